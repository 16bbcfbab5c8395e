"""The Celery tasks of federation, found here by ``autodiscover_tasks``: each subpackage's tasks are
imported so a worker registers them under their fixed names (``federation.tasks.…``)."""

from celery import shared_task

from .reminders.tasks import retry_reminder_mails, send_reminder_mail, sweep_reminders
from .reports.tasks import export_report

__all__ = ["export_report", "ping", "retry_reminder_mails", "send_reminder_mail", "sweep_reminders"]


@shared_task(name="federation.tasks.ping")
def ping() -> str:
    """A trivial task: proves a worker is consuming from the broker."""
    return "pong"
