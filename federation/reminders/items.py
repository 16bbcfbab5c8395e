"""What a reminder is, and which stage an item has reached.

Each app says what needs reminding through a *provider*: a function
``provider(*, today, settings, director_role_id) -> Iterable[ReminderItem]`` that it
registers with ``federation.registry.register_reminder_provider``. The sweep in
``federation.reminders.services`` asks every provider, finds the people, and sends each
stage of each item to each person once. Providers work from the state in the database (what is open and when it
is due), never from events, so a sweep missed for days simply catches up."""

import datetime
from dataclasses import dataclass

from federation.models import ReminderSent

Stage = ReminderSent.Stage


@dataclass(frozen=True)
class ReminderItem:
    """Something that is due, at the stage it has reached today.

    Recipients are the holders of ``role`` on the day of the sweep, or the
    explicit ``users`` (an åtgärd's responsible person), or the förbundsdirektör
    for the escalation stage."""

    key: str  # stable identity of the item, e.g. "check:42"
    stage: str  # a ReminderSent.Stage
    title: str  # Swedish, shown in the mail
    due_date: datetime.date | None = None
    url: str = ""
    role_id: int | None = None
    user_ids: tuple[int, ...] = ()
    kind: str = ""  # heading in the mail, e.g. "Kontroller"


def stage_reached(
    *,
    due_date: datetime.date,
    today: datetime.date,
    lead_days: int,
    overdue_after_days: int | None = None,
    settings,
) -> str | None:
    """The furthest stage ``today`` has reached for the person responsible (not the escalation).

    Only the furthest stage is returned, so a sweep after a gap sends the
    reminder that matters now instead of every stage it missed."""
    overdue_after = settings.overdue_after_days if overdue_after_days is None else overdue_after_days
    if settings.send_overdue and today >= due_date + datetime.timedelta(days=overdue_after):
        return Stage.OVERDUE
    if settings.send_due and today >= due_date:
        return Stage.DUE
    if settings.send_upcoming and today >= due_date - datetime.timedelta(days=lead_days):
        return Stage.UPCOMING
    return None


def escalation_reached(*, due_date: datetime.date, today: datetime.date, settings) -> bool:
    return settings.send_escalation and today >= due_date + datetime.timedelta(days=settings.escalate_after_days)
