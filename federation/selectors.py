"""Read-only queries about the organisation.

``role_holders`` is the one place that answers "who holds role R on day D", and
``is_director`` the one that answers "is this user the förbundsdirektör";
reminders, permissions and pages all ask them."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q

from . import dates
from .models import Role, RoleAssignment, Unit


def role_holders(*, role, on: datetime.date):
    """Active users holding ``role`` on ``on`` (a role may have several holders)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__in=RoleAssignment.objects.active_on(on).filter(role=role),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def role_holders_by_role(*, roles, on: datetime.date) -> dict[int, list]:
    """The holders of many roles at once, keyed by role id, in one query."""
    holders = defaultdict(list)
    assignments = (
        RoleAssignment.objects.active_on(on)
        .filter(role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for assignment in assignments:
        if assignment.user not in holders[assignment.role_id]:
            holders[assignment.role_id].append(assignment.user)
    return dict(holders)


def roles_held_by(*, user, on: datetime.date):
    """The roles ``user`` holds on ``on``."""
    return Role.objects.filter(assignments__in=RoleAssignment.objects.active_on(on).filter(user=user)).distinct()


def director_role_id() -> int | None:
    """The förbundsdirektör's role (at most one, by constraint), or None when none is marked."""
    return Role.objects.filter(is_director=True).values_list("pk", flat=True).first()


def is_director(user, *, on: datetime.date | None = None) -> bool:
    """A superuser, or an active user holding the förbundsdirektör's role on ``on`` (default today)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    on = on or dates.today()
    # What the request's viewer read already (federation.navigation.Viewer.read keeps it on the user for the
    # request, as Django keeps a user's permissions in ``_perm_cache``): no second query for the same answer.
    read = getattr(user, "_viewer", None)
    if read is not None and read.on == on:
        return read.is_director
    return roles_held_by(user=user, on=on).filter(is_director=True).exists()


def units_led_by(*, user, on: datetime.date):
    """Units whose lead role ``user`` holds on ``on``, with their sub-units (one query when read)."""
    roles = roles_held_by(user=user, on=on)
    return Unit.objects.filter(Q(lead_role__in=roles) | Q(parent__lead_role__in=roles))


def import_layout_mapping(sheets, *, kind: str) -> dict:
    """The mapping remembered (``services.import_layout_remember``) for an import of ``kind`` whose file has a
    row among the first rows of a sheet with the same headers; {} when none."""
    from .models import ImportLayout
    from .sheets import HEADER_ROWS

    remembered = {layout.signature: layout.mapping for layout in ImportLayout.objects.filter(kind=kind)}
    if not remembered:
        return {}
    for sheet in sheets:
        for row in sheet.rows[:HEADER_ROWS]:
            stored = remembered.get(ImportLayout.signature_of(row))
            if stored:
                return dict(stored)
    return {}
