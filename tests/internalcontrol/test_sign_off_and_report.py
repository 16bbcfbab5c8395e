"""Year end: only the förbundsdirektör signs off, with the state frozen; reporting needs the sign-off."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from internalcontrol.models import ControlPlan, ReviewArea
from internalcontrol.services import plan_report, plan_sign_off
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def test_only_the_director_signs_off_and_reporting_requires_it():
    plan = adopted_plan()
    chef = RoleAssignmentFactory(role=RoleFactory(name="Administrativ chef"), user=UserFactory(username="c")).user
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True), user=UserFactory(username="d")
    ).user
    with pytest.raises(ValidationError, match="underteckna"):
        plan_report(plan=plan, reported_on=D(2020, 3, 27))
    with pytest.raises(PermissionDenied):
        plan_sign_off(plan=plan, user=chef)

    sign_off = plan_sign_off(plan=plan, user=director, comment="Klart", now=timezone.now())
    assert sign_off.snapshot["checks"] == {"planned": 2, "ok": 0, "remark": 0, "not_done": 0, "open": 2}
    assert sign_off.snapshot["areas"] == [{"number": 1, "name": "Redovisning", "result": ""}]

    ReviewArea.objects.update(result_text="Utan anmärkning")  # later changes do not alter the snapshot
    sign_off.refresh_from_db()
    assert sign_off.snapshot["areas"][0]["result"] == ""

    plan = plan_report(plan=plan, reported_on=D(2020, 3, 27))
    assert (plan.status, plan.reported_on) == ("reported", D(2020, 3, 27))
    assert ControlPlan.objects.get().is_locked
