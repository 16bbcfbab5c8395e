"""Who may log and see a check (object-level rules beside the models they guard)."""

import datetime

from federation import dates
from federation.selectors import is_director, roles_held_by


def can_log_check(user, check, today: datetime.date | None = None) -> bool:
    """Holders of the check's responsible role today, and the förbundsdirektör, may log it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    on = today or dates.today()
    holds_role = roles_held_by(user=user, on=on).filter(pk=check.control_point.responsible_role_id).exists()
    return holds_role or is_director(user, on=on)


def can_view_check(user, check, today: datetime.date | None = None) -> bool:
    """Anyone with read access to internal control (revisorer, Direktion…), or who may log it."""
    return user.has_perm("internalcontrol.view_check") or can_log_check(user, check, today)
