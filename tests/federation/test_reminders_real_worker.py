"""End to end: Celery beat's sweep task on a real worker over the real broker, mailing a real SMTP server.

The demo data's 2020 plan has open checks; on 2020-03-31 the quarterly checks
are due, January's monthly ones are escalated, and so on. Every recipient gets
exactly one mail, even when the sweep runs twice, and a refused delivery is
retried until it goes through."""

import time

import pytest
from django.core.management import call_command

from federation.models import ReminderMail, ReminderSent
from federation.tasks import retry_reminder_mails, sweep_reminders
from tests.services import celery_worker

pytestmark = pytest.mark.django_db(transaction=True)

DAY = "2020-03-31"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def wait_until(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def all_mails_sent():
    return ReminderMail.objects.exists() and not ReminderMail.objects.filter(sent_at=None).exists()


def test_the_sweep_on_a_real_worker_mails_each_recipient_once(demo, smtp_server):
    with celery_worker(extra_env={"EMAIL_URL": smtp_server.url}) as queue:
        assert sweep_reminders.apply_async(args=[DAY], queue=queue).get(timeout=90)
        assert wait_until(lambda: all_mails_sent() and len(smtp_server.messages) >= ReminderMail.objects.count())

        # The sweep again, twice at once: nothing new is due, nothing is sent again.
        again = [sweep_reminders.apply_async(args=[DAY], queue=queue) for _ in range(2)]
        assert [result.get(timeout=90) for result in again] == [[], []]
        time.sleep(1)

    expected = sorted(ReminderMail.objects.values_list("recipient__email", flat=True))
    assert smtp_server.recipients() == expected
    assert len(expected) == len(set(expected))  # one mail per recipient
    assert "adminchef@example.org" in expected  # the administrativ chef's checks are due
    assert "direktor@example.org" in expected  # escalations
    assert ReminderSent.objects.filter(mail__isnull=False).count() == ReminderSent.objects.count() > len(expected)

    message = next(m for m in smtp_server.messages if m["To"] == "adminchef@example.org")
    assert message["Subject"].startswith("Påminnelse: ")
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Hej Anders Lind!" in text
    assert "/internkontroll/kontroll/" in text and "/internkontroll/kontroll/" in html


def test_a_refused_delivery_is_retried_and_recorded(demo, smtp_server):
    smtp_server.refuse = 1
    with celery_worker(extra_env={"EMAIL_URL": smtp_server.url, "REMINDER_RETRY_BACKOFF": "1"}) as queue:
        assert sweep_reminders.apply_async(args=[DAY], queue=queue).get(timeout=90)

        def retried_and_sent():  # beat runs the retry task every minute
            retry_reminder_mails.apply_async(queue=queue).get(timeout=30)
            return all_mails_sent() and len(smtp_server.messages) == ReminderMail.objects.count()

        assert wait_until(retried_and_sent)

    assert smtp_server.refused == 1
    retried = ReminderMail.objects.get(attempts=2)
    assert "451" in retried.last_error
    assert retried.sent_at is not None
    assert set(ReminderMail.objects.values_list("attempts", flat=True)) == {1, 2}
    assert len(smtp_server.recipients()) == len(set(smtp_server.recipients())) == ReminderMail.objects.count()
