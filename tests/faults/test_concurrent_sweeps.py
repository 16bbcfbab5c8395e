"""Four sweeps at once, on a worker running four processes: every recipient gets exactly one mail."""

import pytest

from federation.models import ReminderMail, ReminderSent
from federation.tasks import sweep_reminders

from .conftest import DAY, FAST, delivered_once, expected_recipients, reminder_recipients, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_concurrent_sweeps_send_no_mail_twice(demo, smtp_server, worker):
    queue = worker(env={**FAST, "EMAIL_URL": smtp_server.url}, concurrency=4).queue
    sweeps = [sweep_reminders.apply_async(args=[DAY], queue=queue) for _ in range(4)]
    won = [result.get(timeout=90) for result in sweeps]
    assert wait_until(lambda: delivered_once(smtp_server), timeout=60)

    assert sum(bool(mail_ids) for mail_ids in won) >= 1
    assert reminder_recipients(smtp_server) == expected_recipients()
    assert len(ReminderMail.objects.values_list("recipient", flat=True).distinct()) == ReminderMail.objects.count()
    assert ReminderSent.objects.count() > ReminderMail.objects.count()
    print(f"\nFyra samtidiga svep: {len(smtp_server.messages)} mejl mottagna, {ReminderMail.objects.count()} mejl")
