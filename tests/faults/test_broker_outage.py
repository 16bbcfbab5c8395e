"""The broker stopped during a sweep, after the claims and before the send tasks are queued: once the broker is
back, every mail is delivered exactly once (picked up when its lease after the claim has passed)."""

import subprocess
import sys
import time

import pytest

from config.celery import app
from federation.models import ReminderMail
from federation.tasks import retry_reminder_mails
from tests.services import BASE_DIR, database_url

from .conftest import (
    DAY,
    FAST,
    SWEEP_SCRIPT,
    delivered_once,
    expected_recipients,
    reminder_recipients,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sweep_whose_broker_went_down_delivers_every_mail_once_when_it_is_back(demo, smtp_server, worker, own_redis):
    env = {**FAST, "EMAIL_URL": smtp_server.url, "CELERY_BROKER_URL": own_redis.url}
    w = worker(env=env)
    sweep = subprocess.run(
        [sys.executable, str(SWEEP_SCRIPT), DAY, str(own_redis.port)],
        cwd=BASE_DIR,
        env={**w.env, "DATABASE_URL": database_url(), "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sweep.returncode == 0, sweep.stderr[-3000:]
    assert "Broker unavailable" in sweep.stderr
    claimed = ReminderMail.objects.count()
    assert claimed > 0 and not ReminderMail.objects.exclude(sent_at=None).exists()
    assert own_redis.process.wait(timeout=10) is not None  # the broker is down

    time.sleep(1)
    own_redis.start()
    back = time.monotonic()

    def retried_and_delivered():  # beat runs the retry task every minute; here every half second
        with app.connection_for_write(own_redis.url) as connection:
            retry_reminder_mails.apply_async(queue=w.queue, connection=connection)
        return delivered_once(smtp_server)

    assert wait_until(retried_and_delivered, timeout=60, interval=0.5)
    recovery = time.monotonic() - back
    time.sleep(2)
    assert delivered_once(smtp_server)
    assert ReminderMail.objects.count() == claimed
    assert reminder_recipients(smtp_server) == expected_recipients()
    print(f"\nBroker nere: {len(smtp_server.messages)} mejl mottagna, alla levererade {recovery:.1f} s efter omstart")
