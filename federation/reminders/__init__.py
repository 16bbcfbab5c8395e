"""Reminders: what a reminder item is and which stage it has reached (``items``), the sweep that
claims each (item, stage, recipient) exactly once and the sending of the mails (``services``), and
the Celery tasks that run them (``tasks``). What needs reminding comes from the providers the apps
register (``federation.registry``)."""

from .items import ReminderItem, Stage, escalation_reached, stage_reached

__all__ = ["ReminderItem", "Stage", "escalation_reached", "stage_reached"]
