"""What a reminder is, and which stage an item has reached.

Each app says what needs reminding through a *provider*: a function
``provider(*, today, settings, director_role_id) -> Iterable[ReminderItem]`` that it
registers with ``federation.registry.register_reminder_provider``. The sweep in
``federation.reminders.services`` asks every provider, finds the people, and sends each
stage of each item to each person once. Providers work from the state in the database (what is open and when it
is due), never from events, so a sweep missed for days simply catches up."""

import datetime
from dataclasses import dataclass

from federation.dates import due_state
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
    settings,
) -> str | None:
    """The furthest stage ``today`` has reached for the person responsible (not the escalation): the item's
    state (``federation.dates.due_state``, the same one the pages show), or the nearest earlier stage that is
    switched on.

    Only the furthest stage is returned, so a sweep after a gap sends the
    reminder that matters now instead of every stage it missed."""
    state = due_state(due_date=due_date, on=today, lead_days=lead_days, rules=settings)
    switched_on = {
        Stage.OVERDUE: settings.send_overdue,
        Stage.DUE: settings.send_due,
        Stage.UPCOMING: settings.send_upcoming,
    }
    order = [Stage.OVERDUE, Stage.DUE, Stage.UPCOMING]
    if state is None:
        return None
    return next((stage for stage in order[order.index(state) :] if switched_on[stage]), None)


def escalation_reached(*, due_date: datetime.date, today: datetime.date, settings) -> bool:
    return settings.send_escalation and today >= due_date + datetime.timedelta(days=settings.escalate_after_days)
