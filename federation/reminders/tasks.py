"""The reminder tasks, thin: each calls a service. Their names are fixed (the beat schedule and any
queued message name them), so moving the code does not change them."""

import datetime

from celery import shared_task
from django.conf import settings

from federation import dates

from .services import MAX_SEND_ATTEMPTS, ReminderSendError, reminder_mail_send, reminder_mails_stranded, reminders_sweep


@shared_task(name="federation.tasks.sweep_reminders", acks_late=True)
def sweep_reminders(today: str | None = None) -> list[int]:
    """The periodic sweep: claim what is due, then queue one send task per mail."""
    day = datetime.date.fromisoformat(today) if today else dates.today()
    result = reminders_sweep(today=day)
    mail_ids = set(result.mail_ids) | set(reminder_mails_stranded().values_list("pk", flat=True))
    for mail_id in sorted(mail_ids):
        send_reminder_mail.delay(mail_id)
    return sorted(mail_ids)


@shared_task(
    name="federation.tasks.send_reminder_mail",
    bind=True,
    acks_late=True,
    autoretry_for=(ReminderSendError,),
    max_retries=MAX_SEND_ATTEMPTS,
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=False,
)
def send_reminder_mail(self, mail_id: int) -> bool:
    return reminder_mail_send(mail_id=mail_id)
