"""SMTP refusing every delivery for longer than the whole old retry schedule (9 attempts), then back: every
reminder mail is delivered exactly once, the förbundsdirektör is told of the failing mails and ADMINS once."""

import time

import pytest

from federation.models import ReminderMail, ReminderSent
from federation.tasks import retry_reminder_mails, sweep_reminders

from .conftest import DAY, FAST, delivered_once, expected_recipients, reminder_recipients, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_mail_refused_past_the_retry_schedule_is_delivered_once_when_smtp_is_back(demo, smtp_server, worker):
    smtp_server.refuse = 10**9
    env = {**FAST, "EMAIL_URL": smtp_server.url, "REMINDER_FAILURE_REPORT_AFTER": "4", "ADMINS": "drift@example.org"}
    queue = worker(env=env).queue
    assert sweep_reminders.apply_async(args=[DAY], queue=queue).get(timeout=60)

    def retried_past_the_old_schedule():  # beat runs the retry task every minute; here every half second
        retry_reminder_mails.apply_async(queue=queue).get(timeout=30)
        reminders = ReminderMail.objects.exclude(reminders__stage=ReminderSent.Stage.FAILING)
        return not reminders.filter(attempts__lt=10).exists() and ReminderSent.objects.filter(stage="failing").exists()

    assert wait_until(retried_past_the_old_schedule, timeout=90, interval=0.5)
    assert smtp_server.messages == []
    assert not ReminderMail.objects.exclude(sent_at=None).exists()  # nothing recorded as sent

    smtp_server.refuse = 0
    back = time.monotonic()

    def retried_and_delivered():
        retry_reminder_mails.apply_async(queue=queue).get(timeout=30)
        return delivered_once(smtp_server, extra=1)  # and one mail to ADMINS

    assert wait_until(retried_and_delivered, timeout=60, interval=0.5)
    recovery = time.monotonic() - back
    time.sleep(2)
    retry_reminder_mails.apply_async(queue=queue).get(timeout=30)  # nothing more goes out
    assert delivered_once(smtp_server, extra=1)

    assert reminder_recipients(smtp_server) == expected_recipients()
    admins = [m for m in smtp_server.messages if m["To"] == "drift@example.org"]
    assert len(admins) == 1 and "påminnelsemejl har inte gått fram" in admins[0]["Subject"]
    notices = ReminderSent.objects.filter(stage="failing")
    assert set(notices.values_list("recipient__username", flat=True)) == {"direktor"}
    failing = ReminderMail.objects.exclude(reminders__stage="failing")
    assert notices.count() == failing.count()  # one notice per failing reminder mail
    assert min(failing.values_list("attempts", flat=True)) >= 11
    print(
        f"\nSMTP-avbrott: {len(smtp_server.messages)} mejl mottagna "
        f"({failing.count()} påminnelser, {notices.count()} notiser i direktörens mejl, 1 till ADMINS), "
        f"{smtp_server.refused} avvisade, levererade {recovery:.1f} s efter att SMTP kom tillbaka"
    )
