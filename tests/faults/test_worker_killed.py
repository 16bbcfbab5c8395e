"""A worker killed with SIGKILL while it is sending: every mail is delivered exactly once after a new worker
starts, within the recovery window (the lease, 3 s here, plus the retry task's next run)."""

import time

import pytest

from federation.models import ReminderMail
from federation.tasks import retry_reminder_mails, sweep_reminders

from .conftest import (
    DAY,
    FAST,
    delivered_once,
    expected_recipients,
    hold_first_delivery,
    reminder_recipients,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_killed_mid_send_delivers_every_mail_once_after_restart(demo, smtp_server, worker):
    holding, release = hold_first_delivery(smtp_server)
    env = {**FAST, "EMAIL_URL": smtp_server.url}
    first = worker(env=env)
    sweep_reminders.apply_async(args=[DAY], queue=first.queue)
    assert holding.wait(timeout=60), "ingen sändning nådde SMTP-servern"
    first.kill9()  # mid-send: the SMTP conversation is open, the mail leased
    release.set()
    leased = ReminderMail.objects.exclude(sending_until=None).filter(sent_at=None)
    assert leased.count() == 1
    assert smtp_server.messages == []

    second = worker(env=env, queue=first.queue)
    back = time.monotonic()

    def retried_and_delivered():  # beat runs the retry task every minute; here every half second
        retry_reminder_mails.apply_async(queue=second.queue)
        return delivered_once(smtp_server)

    assert wait_until(retried_and_delivered, timeout=60, interval=0.5)
    recovery = time.monotonic() - back
    time.sleep(2)
    assert delivered_once(smtp_server)
    assert reminder_recipients(smtp_server) == expected_recipients()
    assert recovery < 3 + 15  # the lease plus a margin for the retry task and a loaded machine
    print(
        f"\nArbetare dödad: {len(smtp_server.messages)} mejl mottagna, alla levererade {recovery:.1f} s efter omstart"
    )
