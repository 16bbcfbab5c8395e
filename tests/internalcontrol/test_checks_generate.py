"""Adopting a plan generates the year's checks; regenerating never duplicates or deletes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from internalcontrol.models import Check, ControlPlan
from internalcontrol.services import check_log_result, checks_generate, plan_adopt, plan_new_version
from tests.factories import DecisionFactory, RoleAssignmentFactory, UserFactory

from .factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, RiskFactory, adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("frequency", "count", "first", "last"),
    [
        ("Månadsvis", 12, D(2019, 1, 31), D(2019, 12, 31)),
        ("Kvartalsvis", 4, D(2019, 3, 31), D(2019, 12, 31)),
        ("2 ggr/år", 2, D(2019, 6, 30), D(2019, 12, 31)),
        ("1 gång/år", 1, D(2019, 12, 31), D(2019, 12, 31)),
        ("1gång/år", 1, D(2019, 12, 31), D(2019, 12, 31)),
        ("1 gång/år samt löpande", 1, D(2019, 12, 31), D(2019, 12, 31)),
        ("Löpande", 1, D(2019, 12, 31), D(2019, 12, 31)),
    ],
)
def test_adopting_generates_each_frequencys_checks_for_the_whole_year_once(frequency, count, first, last):
    plan = adopted_plan(frequency=frequency)
    dates = list(
        Check.objects.filter(control_point__area__plan=plan).order_by("due_date").values_list("due_date", flat=True)
    )
    assert len(dates) == count and dates[0] == first and dates[-1] == last
    assert checks_generate(plan=plan) == 0
    assert checks_generate(plan=plan) == 0
    assert Check.objects.filter(control_point__area__plan=plan).count() == count


def test_custom_due_dates_replace_the_period_ends():
    plan = ControlPlanFactory()
    area = ReviewAreaFactory(plan=plan)
    point = ControlPointFactory(area=area, frequency_text="2 ggr/år", custom_due_dates=["11-15", "05-20"])
    RiskFactory(plan=plan, points=[point])
    plan_adopt(plan=plan, decision=DecisionFactory())
    assert sorted(point.checks.values_list("due_date", flat=True)) == [D(2019, 5, 20), D(2019, 11, 15)]


def test_regenerating_keeps_performed_checks_and_adds_only_missing_dates():
    plan = adopted_plan(frequency="Kvartalsvis")
    role = plan.areas.get().points.get().responsible_role
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2018, 1, 1)).user
    first = Check.objects.order_by("due_date").first()
    check_log_result(check=first, user=chef, result="ok", performed_on=D(2019, 4, 2), today=D(2019, 4, 2))
    Check.objects.filter(due_date=D(2019, 12, 31)).delete()  # an open check removed by hand
    assert checks_generate(plan=plan) == 1
    assert Check.objects.count() == 4
    first.refresh_from_db()
    assert first.result == "ok" and first.performed_by == chef


def test_a_plan_without_points_or_with_an_uncovered_risk_cannot_be_adopted():
    plan = ControlPlanFactory()
    with pytest.raises(ValidationError, match="inga kontrollmoment"):
        plan_adopt(plan=plan, decision=DecisionFactory())
    ControlPointFactory(area=ReviewAreaFactory(plan=plan))
    RiskFactory(plan=plan, title="Felaktiga utbetalningar")
    with pytest.raises(ValidationError, match="Felaktiga utbetalningar"):
        plan_adopt(plan=plan, decision=DecisionFactory())
    assert ControlPlan.objects.get().status == "draft"
    assert not Check.objects.exists()


def test_an_adopted_plan_is_locked_and_a_change_makes_a_new_version_keeping_the_old():
    plan = adopted_plan(frequency="2 ggr/år")
    point = plan.areas.get().points.get()
    point.description = "Ändrad"
    with pytest.raises(ValidationError, match="låst"):
        point.full_clean()
    chef = RoleAssignmentFactory(
        role=point.responsible_role, user=UserFactory(username="c2"), valid_from=D(2018, 1, 1)
    ).user
    june = point.checks.get(due_date=D(2019, 6, 30))
    check_log_result(check=june, user=chef, result="ok", performed_on=D(2019, 7, 1), today=D(2019, 7, 1))

    new = plan_new_version(plan=plan, decision=DecisionFactory(date=D(2019, 8, 30)))

    plan.refresh_from_db()
    assert (plan.version, plan.is_current, plan.status) == (1, False, "adopted")
    assert (new.version, new.is_current, new.status) == (2, True, "adopted")
    new_point = new.areas.get().points.get()
    # the performed June check stays with version 1; December moves to version 2; nothing duplicated
    assert list(point.checks.values_list("due_date", flat=True)) == [D(2019, 6, 30)]
    assert list(new_point.checks.values_list("due_date", flat=True)) == [D(2019, 12, 31)]
