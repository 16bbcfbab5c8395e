"""No reminder is ever lost: a failing mail stays pending and is retried with a growing, capped wait; after
failing for two hours the förbundsdirektör and ADMINS are told once; a stranded mail is picked up as soon as its
lease expires; a person without an e-mail address is reported, never "sent"."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from federation.models import ReminderMail, ReminderSent
from federation.reminders.services import (
    ReminderSendError,
    reminder_mail_send,
    reminder_mails_due,
    reminder_mails_retry,
    reminder_retry_delay,
    reminders_sweep,
)
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.federation import fake_reminders
from tests.registry import reminder_providers_replaced

D = datetime.date
S = datetime.timedelta(seconds=1)
DAY = D(2019, 6, 30)


@pytest.fixture(autouse=True)
def fake_provider():
    fake_reminders.ITEMS.clear()
    with reminder_providers_replaced(fake_reminders.provider):
        yield fake_reminders.ITEMS
    fake_reminders.ITEMS.clear()


@pytest.fixture
def people(db):
    chef = RoleFactory(name="Administrativ chef")
    director_role = RoleFactory(name="Förbundsdirektör", is_director=True)
    anna = RoleAssignmentFactory(role=chef, user=UserFactory(username="anna"), valid_from=D(2019, 1, 1)).user
    direktor = RoleAssignmentFactory(
        role=director_role, user=UserFactory(username="direktor"), valid_from=D(2010, 1, 1)
    ).user
    return {"chef": chef, "anna": anna, "direktor": direktor}


def one_mail(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll", DAY, people["chef"].pk, ()))
    (mail_id,) = reminders_sweep(today=DAY).mail_ids
    return mail_id


def test_the_wait_between_attempts_doubles_and_is_capped(settings):
    settings.REMINDER_RETRY_BACKOFF = 60
    settings.REMINDER_RETRY_MAX = 3600
    waits = [reminder_retry_delay(n).total_seconds() for n in range(1, 12)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600]
    assert reminder_retry_delay(10_000).total_seconds() == 3600


@pytest.mark.django_db
def test_a_mail_that_keeps_failing_stays_pending_and_is_due_again_after_each_wait(people, fake_provider, smtp_server):
    smtp_server.refuse = 10**6
    mail_id = one_mail(people, fake_provider)
    for attempt in range(1, 13):  # far past the old limit of 8 attempts
        before = timezone.now()
        with pytest.raises(ReminderSendError):
            reminder_mail_send(mail_id=mail_id)
        failing = ReminderMail.objects.get(pk=mail_id)
        assert (failing.sent_at, failing.attempts) == (None, attempt)
        wait = failing.next_attempt_at - before
        assert reminder_retry_delay(attempt) <= wait < reminder_retry_delay(attempt) + 5 * S
        assert mail_id not in reminder_mails_due(now=failing.next_attempt_at - S).values_list("pk", flat=True)
        assert mail_id in reminder_mails_retry(now=failing.next_attempt_at + S)
    assert str(failing.state).startswith("misslyckas sedan")

    smtp_server.refuse = 0
    assert reminder_mail_send(mail_id=mail_id) is True
    assert smtp_server.recipients() == ["anna@example.org"]
    assert str(ReminderMail.objects.get(pk=mail_id).state).startswith("skickat")
    assert mail_id not in reminder_mails_retry(now=timezone.now() + datetime.timedelta(days=1))


@pytest.mark.django_db
def test_a_mail_failing_for_two_hours_is_reported_once_to_the_director_and_admins(
    people, fake_provider, smtp_server, settings
):
    settings.ADMINS = [("Drift", "drift@example.org")]
    smtp_server.refuse = 1
    mail_id = one_mail(people, fake_provider)
    with pytest.raises(ReminderSendError):
        reminder_mail_send(mail_id=mail_id)
    now = timezone.now()
    assert reminder_mails_retry(now=now + datetime.timedelta(hours=1)) == [mail_id]  # not yet reported
    assert not ReminderSent.objects.filter(stage="failing").exists()

    later = now + datetime.timedelta(hours=2, seconds=1)
    queued = reminder_mails_retry(now=later)
    notice = ReminderSent.objects.get(stage="failing")
    assert notice.recipient == people["direktor"] and notice.item_key == f"mail-failing:{mail_id}"
    assert "Påminnelsemejlet till" in notice.title
    assert set(queued) == {mail_id, notice.mail_id}
    assert [m["To"] for m in smtp_server.messages] == ["drift@example.org"]
    assert "1 påminnelsemejl har inte gått fram" in smtp_server.messages[0]["Subject"]

    # Told once: later runs report nothing more.
    reminder_mails_retry(now=later + datetime.timedelta(hours=5))
    assert ReminderSent.objects.filter(stage="failing").count() == 1
    assert len(smtp_server.messages) == 1

    assert reminder_mail_send(mail_id=notice.mail_id) is True
    assert reminder_mail_send(mail_id=mail_id) is True
    assert sorted(smtp_server.recipients()) == ["anna@example.org", "direktor@example.org", "drift@example.org"]


@pytest.mark.django_db
def test_the_admins_are_told_on_a_later_run_when_their_mail_fails_too(people, fake_provider, smtp_server, settings):
    settings.ADMINS = [("Drift", "drift@example.org")]
    smtp_server.refuse = 2  # the reminder and the first mail to the admins
    mail_id = one_mail(people, fake_provider)
    with pytest.raises(ReminderSendError):
        reminder_mail_send(mail_id=mail_id)
    later = timezone.now() + datetime.timedelta(hours=3)
    reminder_mails_retry(now=later)
    assert ReminderMail.objects.get(pk=mail_id).failure_reported_at is None
    reminder_mails_retry(now=later)
    reminder_mails_retry(now=later)
    assert [m["To"] for m in smtp_server.messages] == ["drift@example.org"]
    assert ReminderSent.objects.filter(stage="failing").count() == 1


@pytest.mark.django_db
def test_a_stranded_mail_is_due_as_soon_as_its_lease_expires(people, fake_provider, settings):
    settings.REMINDER_SEND_LEASE = 300
    mail_id = one_mail(people, fake_provider)
    created = ReminderMail.objects.get(pk=mail_id)
    assert str(created.state) == "väntar"
    # Its task was lost (a broker that was down): due one lease after the claim.
    assert reminder_mails_retry(now=created.created_at + 290 * S) == []
    assert reminder_mails_retry(now=created.created_at + 310 * S) == [mail_id]
    # Queued again, it is not queued once more until another lease has passed.
    assert reminder_mails_retry(now=created.created_at + 320 * S) == []

    # A worker leased it and died mid-send: nothing until the lease expires, then due at once.
    ReminderMail.objects.filter(pk=mail_id).update(
        sending_until=timezone.now() + 300 * S, next_attempt_at=timezone.now() + 300 * S
    )
    assert reminder_mail_send(mail_id=mail_id) is False
    assert reminder_mails_retry(now=timezone.now() + 290 * S) == []
    assert reminder_mails_retry(now=timezone.now() + 310 * S) == [mail_id]


@pytest.mark.django_db
def test_a_recipient_without_an_address_is_reported_to_the_director_and_never_sent(people, fake_provider):
    people["anna"].email = ""
    people["anna"].save()
    fake_provider.append(("check:1", "Kontroll", DAY, people["chef"].pk, ()))
    fake_provider.append(("action:1", "Åtgärd", DAY, None, (people["anna"].pk,)))

    result = reminders_sweep(today=DAY)
    for mail_id in result.mail_ids:
        reminder_mail_send(mail_id=mail_id)
    assert not ReminderSent.objects.filter(recipient=people["anna"]).exists()
    report = ReminderSent.objects.get()
    assert (report.stage, report.recipient, report.item_key) == (
        "noaddress",
        people["direktor"],
        f"no-address:{people['anna'].pk}",
    )
    assert [m.to for m in mail.outbox] == [["direktor@example.org"]]
    assert "saknar e-postadress" in mail.outbox[0].body

    # Reported once; once she has an address, her reminders go out.
    assert reminders_sweep(today=DAY).mail_ids == []
    people["anna"].email = "anna@example.org"
    people["anna"].save()
    for mail_id in reminders_sweep(today=DAY).mail_ids:
        reminder_mail_send(mail_id=mail_id)
    assert [m.to for m in mail.outbox][1:] == [["anna@example.org"]]
    assert ReminderSent.objects.filter(recipient=people["anna"]).count() == 2


@pytest.mark.django_db
def test_a_mail_whose_recipient_lost_the_address_is_not_recorded_as_sent(people, fake_provider):
    mail_id = one_mail(people, fake_provider)
    people["anna"].email = ""
    people["anna"].save()
    with pytest.raises(ReminderSendError):
        reminder_mail_send(mail_id=mail_id)
    failed = ReminderMail.objects.get(pk=mail_id)
    assert (failed.sent_at, failed.last_error) == (None, "Mottagaren saknar e-postadress")
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_admin_shows_each_mails_state(people, fake_provider, smtp_server, admin_client):
    smtp_server.refuse = 1
    fake_provider.append(("check:1", "Kontroll", DAY, people["chef"].pk, ()))
    fake_provider.append(("check:2", "Kontroll", DAY, None, (people["direktor"].pk,)))
    failing, sent = reminders_sweep(today=DAY).mail_ids
    with pytest.raises(ReminderSendError):
        reminder_mail_send(mail_id=failing)
    reminder_mail_send(mail_id=sent)
    ReminderMail.objects.create(recipient=people["anna"], sweep_date=DAY)

    page = admin_client.get("/admin/federation/remindermail/").content.decode()
    assert "misslyckas sedan" in page and "skickat" in page and "väntar" in page
    failing_only = admin_client.get("/admin/federation/remindermail/?tillstand=misslyckas").content.decode()
    assert "misslyckas sedan" in failing_only and "väntar</td>" not in failing_only
