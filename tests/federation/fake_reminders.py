"""A reminder provider for tests: items are set by the test, stages computed like a real provider's."""

from federation.reminders import ReminderItem, Stage, escalation_reached, stage_reached

# (key, title, due_date, role_id or None, user_ids)
ITEMS: list[tuple] = []


def provider(*, today, settings, director_role_id):
    for key, title, due_date, role_id, user_ids in ITEMS:
        stage = stage_reached(due_date=due_date, today=today, lead_days=28, settings=settings)
        if stage:
            yield ReminderItem(
                key=key,
                stage=stage,
                title=title,
                due_date=due_date,
                url=f"/x/{key}/",
                role_id=role_id,
                user_ids=tuple(user_ids),
                kind="Kontroller",
            )
        if escalation_reached(due_date=due_date, today=today, settings=settings):
            yield ReminderItem(key=key, stage=Stage.ESCALATED, title=title, due_date=due_date, role_id=role_id)
