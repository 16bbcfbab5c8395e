"""Object-level rules: the förbundsdirektör changes everything; a unit lead
(whoever holds a unit's ``lead_role`` today) changes only what their unit owns."""

import datetime

from federation import dates
from federation.selectors import is_director, units_led_by


def may_use_my_unit(*, director: bool, leads_units: bool) -> bool:
    """Min enhet is the unit lead's work; the förbundsdirektör opens it for every unit (to approve)."""
    return director or leads_units


def owner_unit_ids(obj) -> set[int]:
    """The units that own a goal, strategy, activity, mätetal, outcome or assessment."""
    from .models import Assessment, Outcome

    if isinstance(obj, Assessment):
        obj = obj.target
    elif isinstance(obj, Outcome):
        obj = obj.indicator
    return obj.owner_unit_ids()


def user_can_change(user, obj, *, on: datetime.date | None = None) -> bool:
    on = on or dates.today()
    if is_director(user, on=on):
        return True
    if not user.is_authenticated:
        return False
    owners = owner_unit_ids(obj)
    if not owners:
        return False
    led = set(units_led_by(user=user, on=on).values_list("pk", flat=True))
    return bool(owners & led)
