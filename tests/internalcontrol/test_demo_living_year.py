"""The demo is alive on any day: the year of today is a copy of the latest plan and goals, adopted, with
checks done, overdue and due within days, an open avvikelse with its åtgärd and a unit's delår submitted."""

import datetime

import pytest

from federation import dates
from federation import demo as federation_demo
from goals import demo as goals_demo
from goals.models import DirectionGoal, Submission
from internalcontrol import demo as internalcontrol_demo
from internalcontrol.models import Action, Check, ControlPlan

pytestmark = pytest.mark.django_db
D = datetime.date


def living_year(year):
    return Check.objects.filter(control_point__area__plan__fiscal_year__year=year)


def test_the_demo_keeps_2019_and_2020_and_adds_the_year_of_today(demo_data):
    today = dates.today()
    plan = ControlPlan.objects.get(fiscal_year__year=today.year)
    assert plan.status == "adopted" and plan.copied_from.fiscal_year.year == 2020
    assert ControlPlan.objects.get(fiscal_year__year=2019).status == "reported"
    assert not living_year(2020).filter(performed_on__isnull=False).exists()
    assert (
        DirectionGoal.objects.filter(fiscal_year__year=today.year).count()
        == DirectionGoal.objects.filter(fiscal_year__year=2019).count()
    )


@pytest.mark.parametrize(
    "day", [D(2031, 1, 2), D(2032, 2, 29), D(2033, 5, 17), D(2034, 8, 1), D(2035, 12, 19), D(2036, 12, 30)]
)
def test_on_any_day_the_demo_has_checks_due_within_14_days_and_a_living_year(demo_data, settings, day):
    # given the demo, when it is loaded again on another day (the year of that day is added)
    settings.FIXED_TODAY = day
    federation_demo.current_year()
    goals_demo.current_year()
    internalcontrol_demo.current_year()

    checks = living_year(day.year)
    # then checks of the administrativ chef are due within 14 days
    soon = checks.filter(performed_on__isnull=True, due_date__gte=day, due_date__lte=day + datetime.timedelta(14))
    assert soon.filter(control_point__responsible_role__name="Administrativ chef").exists()
    if day.month > 2:
        # some done, some overdue, one with a remark whose avvikelse has an open åtgärd
        assert checks.filter(performed_on__isnull=False).exists()
        assert checks.overdue(day).exists()
        remark = checks.get(result="remark")
        assert Action.objects.filter(deviation__check_item=remark, status="open", deadline__gt=day).exists()
    assert Submission.objects.filter(follow_up__fiscal_year__year=day.year, follow_up__kind="interim").count() == 1
    assert ControlPlan.objects.get(fiscal_year__year=day.year).status == "adopted"


def test_the_living_year_is_deterministic_and_not_added_twice(demo_data):
    before = list(living_year(dates.today().year).values_list("due_date", "performed_on", "result").order_by("pk"))
    internalcontrol_demo.current_year()
    goals_demo.current_year()
    after = list(living_year(dates.today().year).values_list("due_date", "performed_on", "result").order_by("pk"))
    assert before == after
