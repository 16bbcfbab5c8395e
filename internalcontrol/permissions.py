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


def plan_is_locked(plan) -> bool:
    """A reported plan, or a plan of a closed year: only the förbundsdirektör may still change what it holds."""
    from .models import ControlPlan

    return plan.fiscal_year.closed or plan.status == ControlPlan.Status.REPORTED


def can_change_check(user, check, today: datetime.date | None = None) -> bool:
    """May correct a logged check, add evidence, avvikelser or åtgärder to it: those who may log it, until
    the plan is reported; after that only the förbundsdirektör (services.lock_guard enforces the same)."""
    if not can_log_check(user, check, today):
        return False
    return not plan_is_locked(check.control_point.area.plan) or is_director(user, on=today)


def can_complete_action(user, action, today: datetime.date | None = None) -> bool:
    """The person responsible for an åtgärd, and the förbundsdirektör, mark it as done."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk == action.responsible_id or is_director(user, on=today)


CONTROL_ROLE = "is_control_role"


def control_role_condition():
    """A role is kontrollansvarig for some kontrollmoment (a role fact, read with the viewer's roles)."""
    from django.db.models import Exists, OuterRef

    from .models import ControlPoint

    return Exists(ControlPoint.objects.filter(responsible_role=OuterRef("pk")))


def may_log_checks(viewer) -> bool:
    """Mina kontroller is the work of the kontrollansvariga (and the förbundsdirektör, who may log every
    check, as ``can_log_check``); a reader holding no such role has none."""
    return viewer.is_director or viewer.holds(CONTROL_ROLE)


def may_get_evidence_pack(user) -> bool:
    """The revisorer's evidence pack: the förbundsdirektör and the revisorer (the group Revisor) may ask for
    it and download it; nobody else (not the Direktion's readers, the administrativ chef or a unit lead)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return evidence_pack_allowed(is_director=is_director(user), groups=user.groups.values_list("name", flat=True))


def viewer_may_get_evidence_pack(viewer) -> bool:
    """``may_get_evidence_pack`` on what the request's ``Viewer`` has already read (the Bevispaket tab)."""
    return evidence_pack_allowed(is_director=viewer.is_director, groups=viewer.groups)


def evidence_pack_allowed(*, is_director: bool, groups) -> bool:
    """The one rule of the evidence pack: the förbundsdirektör, or a member of the group Revisor."""
    from federation.access import AUDITOR

    return is_director or AUDITOR in set(groups)


def can_download_evidence_pack(user, pack) -> bool:
    """One's own pack, or any pack for the förbundsdirektör."""
    return may_get_evidence_pack(user) and (pack.requested_by_id == user.pk or is_director(user))
