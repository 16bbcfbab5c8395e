"""The reminder tasks, thin: each calls a service. Their names are fixed (the beat schedule and any
queued message name them), so moving the code does not change them."""

import datetime
import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from federation import dates

from .services import ReminderSendError, reminder_mail_send, reminder_mails_retry, reminders_sweep

logger = logging.getLogger(__name__)


@shared_task(name="federation.tasks.sweep_reminders", acks_late=True)
def sweep_reminders(today: str | None = None) -> list[int]:
    """The periodic sweep: claim what is due, then queue one send task per mail (and any due again)."""
    day = datetime.date.fromisoformat(today) if today else dates.today()
    result = reminders_sweep(today=day)
    return queue_reminder_mails(set(result.mail_ids) | set(reminder_mails_retry()))


@shared_task(name="federation.tasks.retry_reminder_mails", acks_late=True)
def retry_reminder_mails() -> list[int]:
    """Every minute: queue the mails due for another attempt and report those failing too long."""
    return queue_reminder_mails(reminder_mails_retry())


@shared_task(name="federation.tasks.send_reminder_mail", acks_late=True, reject_on_worker_lost=True)
def send_reminder_mail(mail_id: int) -> bool:
    """Send one mail. A failure is not retried here: the mail carries its next attempt, which the retry task
    queues (no long countdowns held in the broker past its visibility timeout)."""
    try:
        return reminder_mail_send(mail_id=mail_id)
    except ReminderSendError:
        return False


def queue_reminder_mails(mail_ids) -> list[int]:
    """Queue a send task per mail. With the broker down the rest are left: each mail is due again one lease
    after it was claimed or last tried, and the retry task queues it then."""
    mail_ids = sorted(mail_ids)
    for queued, mail_id in enumerate(mail_ids):
        try:
            send_reminder_mail.delay(mail_id)
        except OperationalError as error:
            logger.warning(
                "Broker unavailable, %s reminder mails left for the retry task: %s", len(mail_ids) - queued, error
            )
            break
    return mail_ids
