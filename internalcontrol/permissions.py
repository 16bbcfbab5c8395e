"""Who may log and see a check (object-level rules beside the models they guard)."""

import datetime

from django.utils import timezone

from federation.models import RoleAssignment


def _active_role_ids(user, today):
    """(role ids held today, holds the director role) in one query."""
    rows = RoleAssignment.objects.active_on(today).filter(user=user).values_list("role_id", "role__is_director")
    role_ids = {role_id for role_id, _ in rows}
    return role_ids, any(is_director for _, is_director in rows)


def can_log_check(user, check, today: datetime.date | None = None) -> bool:
    """Holders of the check's responsible role today, and the förbundsdirektör, may log it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role_ids, is_director = _active_role_ids(user, today or timezone.localdate())
    return is_director or check.control_point.responsible_role_id in role_ids


def can_view_check(user, check, today: datetime.date | None = None) -> bool:
    """Anyone with read access to internal control (revisorer, Direktion…), or who may log it."""
    return user.has_perm("internalcontrol.view_check") or can_log_check(user, check, today)


def is_director(user, today: datetime.date | None = None) -> bool:
    if user.is_superuser:
        return True
    return _active_role_ids(user, today or timezone.localdate())[1]
