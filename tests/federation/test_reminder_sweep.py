"""The reminder sweep: the right people, each reminder exactly once, catching up after gaps."""

import datetime
import math
import threading

import pytest
from django.core import mail
from django.db import connection

from federation.models import ReminderMail, ReminderSent, ReminderSettings
from federation.reminders.services import ReminderSendError, reminder_mail_send, reminders_sweep
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.federation import fake_reminders
from tests.registry import reminder_providers_replaced

D = datetime.date


@pytest.fixture(autouse=True)
def fake_provider():
    fake_reminders.ITEMS.clear()
    with reminder_providers_replaced(fake_reminders.provider):
        yield fake_reminders.ITEMS
    fake_reminders.ITEMS.clear()


@pytest.fixture
def people(db):
    """Administrativ chef held by Anna (and, until 2018, by Bo); a förbundsdirektör."""
    chef = RoleFactory(name="Administrativ chef")
    director_role = RoleFactory(name="Förbundsdirektör", is_director=True)
    anna = RoleAssignmentFactory(role=chef, user=UserFactory(username="anna"), valid_from=D(2019, 1, 1)).user
    bo = RoleAssignmentFactory(
        role=chef, user=UserFactory(username="bo"), valid_from=D(2015, 1, 1), valid_to=D(2018, 12, 31)
    ).user
    direktor = RoleAssignmentFactory(
        role=director_role, user=UserFactory(username="direktor"), valid_from=D(2010, 1, 1)
    ).user
    return {"chef": chef, "anna": anna, "bo": bo, "direktor": direktor}


def send_all(result):
    for mail_id in result.mail_ids:
        reminder_mail_send(mail_id=mail_id)


def sent(username=None):
    rows = ReminderSent.objects.select_related("recipient").order_by("item_key", "stage", "recipient__username")
    return [(r.item_key, r.stage, r.recipient.username) for r in rows if username in (None, r.recipient.username)]


@pytest.mark.django_db
def test_holder_of_the_role_gets_an_upcoming_reminder_28_days_before_and_nothing_earlier(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll av bokförda poster", D(2019, 6, 30), people["chef"].pk, ()))
    send_all(reminders_sweep(today=D(2019, 6, 1)))
    assert sent() == []
    send_all(reminders_sweep(today=D(2019, 6, 2)))
    assert sent() == [("check:1", "upcoming", "anna")]
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]


@pytest.mark.django_db
def test_a_person_whose_assignment_ended_receives_nothing(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    send_all(reminders_sweep(today=D(2019, 6, 30)))
    assert "bo" not in {username for *_, username in sent()}
    assert all("bo@example.org" not in m.to for m in mail.outbox)


@pytest.mark.django_db
def test_the_sweep_run_twice_sends_each_reminder_once(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    send_all(reminders_sweep(today=D(2019, 6, 30)))
    second = reminders_sweep(today=D(2019, 6, 30))
    send_all(second)
    assert second.mail_ids == []
    assert len(mail.outbox) == 1
    assert ReminderMail.objects.count() == 1


@pytest.mark.django_db
def test_each_stage_is_sent_once_as_the_days_pass(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    for day in [
        D(2019, 6, 2),
        D(2019, 6, 3),
        D(2019, 6, 30),
        D(2019, 7, 1),
        D(2019, 7, 7),
        D(2019, 7, 30),
        D(2019, 8, 5),
    ]:
        send_all(reminders_sweep(today=day))
    assert sent() == [
        ("check:1", "due", "anna"),
        ("check:1", "escalated", "direktor"),
        ("check:1", "overdue", "anna"),
        ("check:1", "upcoming", "anna"),
    ]


@pytest.mark.django_db
def test_a_sweep_after_a_gap_of_days_catches_up_with_the_stage_reached_and_the_escalation(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    send_all(reminders_sweep(today=D(2019, 8, 15)))  # nothing ran since May
    assert sent() == [("check:1", "escalated", "direktor"), ("check:1", "overdue", "anna")]


@pytest.mark.django_db
def test_one_mail_per_recipient_lists_all_their_items_with_links(people, fake_provider, settings):
    settings.SITE_URL = "https://mal.example.se"
    fake_provider.append(("check:1", "Kontroll av bokförda poster", D(2019, 6, 30), people["chef"].pk, ()))
    fake_provider.append(("check:2", "Kontroll av leverantörsfakturor", D(2019, 6, 30), people["chef"].pk, ()))
    send_all(reminders_sweep(today=D(2019, 6, 30)))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Påminnelse: 2 ärenden att hantera"
    assert "Förfaller i dag" in message.body
    assert "Kontroll av bokförda poster (senast 2019-06-30)" in message.body
    assert "https://mal.example.se/x/check:2/" in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://mal.example.se/x/check:1/">Kontroll av bokförda poster</a>' in html


@pytest.mark.django_db
def test_explicit_users_are_reminded_when_the_item_has_no_role(people, fake_provider):
    fake_provider.append(("action:5", "Åtgärd: uppdatera attestlistan", D(2019, 6, 30), None, (people["bo"].pk,)))
    send_all(reminders_sweep(today=D(2019, 6, 20)))
    assert sent() == [("action:5", "upcoming", "bo")]


@pytest.mark.django_db
def test_a_role_with_no_holder_is_reported_to_the_forbundsdirektor_once(people, fake_provider):
    vacant = RoleFactory(name="Ekonom Navet")
    fake_provider.append(("check:6", "Handkassan", D(2019, 6, 30), vacant.pk, ()))
    fake_provider.append(("check:7", "Handkassan igen", D(2019, 12, 31), vacant.pk, ()))
    send_all(reminders_sweep(today=D(2019, 6, 30)))
    send_all(reminders_sweep(today=D(2019, 12, 31)))
    assert [row for row in sent() if row[1] == "vacant"] == [(f"vacant-role:{vacant.pk}:never", "vacant", "direktor")]


@pytest.mark.django_db
def test_stages_switched_off_in_the_settings_are_not_sent(people, fake_provider):
    ReminderSettings.objects.update_or_create(pk=1, defaults={"send_upcoming": False, "send_escalation": False})
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    send_all(reminders_sweep(today=D(2019, 6, 10)))
    send_all(reminders_sweep(today=D(2019, 8, 30)))
    assert sent() == [("check:1", "overdue", "anna")]


@pytest.mark.django_db
def test_dry_run_lists_what_would_be_sent_and_claims_nothing(people, fake_provider):
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    result = reminders_sweep(today=D(2019, 6, 30), dry_run=True)
    name = people["anna"].get_full_name()  # people by name, as everywhere
    assert list(result.lines()) == [f"{name} <anna@example.org>: [Förfaller i dag] Kontroll"]
    assert ReminderSent.objects.count() == 0


@pytest.mark.django_db
def test_the_sweeps_query_count_does_not_grow_with_the_number_of_items(
    people, fake_provider, django_assert_max_num_queries
):
    def sweep_queries(n):
        fake_provider.clear()
        fake_provider.extend((f"check:{n}-{i}", f"K {i}", D(2019, 6, 30), people["chef"].pk, ()) for i in range(n))
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            reminders_sweep(today=D(2019, 6, 30) + datetime.timedelta(days=n))
        return len(captured)

    # Only the database's own limit on parameters per statement may add queries:
    # SQLite splits a bulk insert into batches, PostgreSQL does not.
    fields = [f for f in ReminderSent._meta.concrete_fields if not f.primary_key]
    batches = math.ceil(400 / connection.ops.bulk_batch_size(fields, [None] * 400))
    few = sweep_queries(10)
    many = sweep_queries(400)
    assert many - few <= batches - 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_send_each_reminder_once(people, fake_provider):
    fake_provider.extend((f"check:{i}", f"Kontroll {i}", D(2019, 6, 30), people["chef"].pk, ()) for i in range(30))
    results, errors = [], []

    def sweep():
        try:
            results.append(reminders_sweep(today=D(2019, 6, 30)))
        except Exception as error:  # pragma: no cover - shown in the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ReminderSent.objects.count() == 30
    assert ReminderMail.objects.count() == 1
    assert sorted(len(r.mail_ids) for r in results) == [0, 0, 1]


@pytest.mark.django_db
def test_a_mail_refused_by_the_smtp_server_is_sent_on_retry_once(people, fake_provider, smtp_server):
    smtp_server.refuse = 1
    fake_provider.append(("check:1", "Kontroll", D(2019, 6, 30), people["chef"].pk, ()))
    result = reminders_sweep(today=D(2019, 6, 30))
    (mail_id,) = result.mail_ids
    with pytest.raises(ReminderSendError):
        reminder_mail_send(mail_id=mail_id)
    failed = ReminderMail.objects.get(pk=mail_id)
    assert (failed.sent_at, failed.attempts) == (None, 1) and "451" in failed.last_error
    assert reminder_mail_send(mail_id=mail_id) is True
    assert reminder_mail_send(mail_id=mail_id) is False  # a duplicate task sends nothing
    assert smtp_server.recipients() == ["anna@example.org"]
    assert ReminderMail.objects.get(pk=mail_id).attempts == 2
