"""CheckQuerySet.summary: the one place that counts checks (översikt, Mina kontroller, the year overview, the
sign-off snapshot)."""

import datetime

import pytest

from federation.models import ReminderSettings
from internalcontrol.models import Check

from .factories import CheckFactory, ControlPointFactory, ReviewAreaFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def checks():
    """Two areas of one plan. Area 1: done ok, done with remark, open overdue, open due in 10 and 40 days.
    Area 2: one check not done (logged as not performed)."""
    first = ControlPointFactory()
    second = ControlPointFactory(area=ReviewAreaFactory(plan=first.area.plan))
    CheckFactory(control_point=first, due_date=D(2019, 3, 31), performed_on=D(2019, 3, 30), result="ok")
    CheckFactory(
        control_point=first, due_date=D(2019, 4, 30), performed_on=D(2019, 5, 2), result="remark", severity="low"
    )
    CheckFactory(control_point=first, due_date=D(2019, 5, 31))
    CheckFactory(control_point=first, due_date=D(2019, 6, 20))
    CheckFactory(control_point=first, due_date=D(2019, 7, 20))
    CheckFactory(control_point=second, due_date=D(2019, 5, 31), performed_on=D(2019, 6, 1), result="not_done")
    return first.area, second.area


def test_the_summary_counts_every_kind_of_check_on_the_day(checks):
    summary = Check.objects.summary(on=D(2019, 6, 10))
    assert summary == {
        "planned": 6,
        "done": 3,
        "ok": 1,
        "remark": 1,
        "not_done": 1,
        "open": 3,
        "overdue": 1,
        "due": 0,
        "due_soon": 1,
        "event_done": 0,
        "event_remark": 0,
        "percent_done": 50,
    }


def test_the_summary_by_area_counts_each_area_on_its_own_in_one_query(checks, django_assert_num_queries):
    first, second = checks
    rules = ReminderSettings.load()
    with django_assert_num_queries(1):
        by_area = Check.objects.summary(on=D(2019, 6, 10), rules=rules, by="control_point__area")
    assert (by_area[first.pk]["planned"], by_area[first.pk]["done"], by_area[first.pk]["overdue"]) == (5, 2, 1)
    assert (by_area[second.pk]["planned"], by_area[second.pk]["not_done"], by_area[second.pk]["percent_done"]) == (
        1,
        1,
        100,
    )


def test_the_summary_of_no_checks_is_all_zero():
    summary = Check.objects.none().summary(on=D(2019, 6, 10))
    assert set(summary.values()) == {0}
