import pytest
from django.core.exceptions import ValidationError

from goals.models import Activity, Assessment, Indicator, Outcome, Status, Strategy
from goals.services import assessment_record, goals_copy_to_year, outcome_record
from tests.factories import FiscalYearFactory

from .factories import IndicatorFactory, director, follow_up

pytestmark = pytest.mark.django_db


def test_copy_carries_structure_and_series_but_not_assessments_or_outcomes(today):
    indicator = IndicatorFactory(series="navet-elever-teman", target=25000)
    activity = indicator.activity
    boss = director()
    outcome_record(indicator=indicator, follow_up=follow_up(), user=boss, value=27531)
    assessment_record(target=activity, follow_up=follow_up(), status=Status.MET, user=boss)
    to_year = FiscalYearFactory(year=2020)

    counts = goals_copy_to_year(from_year=activity.fiscal_year, to_year=to_year)

    assert counts == {"direction_goals": 1, "strategies": 1, "activities": 1, "indicators": 1}
    copied = Indicator.objects.get(fiscal_year=to_year)
    assert copied.series == "navet-elever-teman" and copied.target == 25000
    assert Activity.objects.get(fiscal_year=to_year).code == activity.code
    assert Strategy.objects.filter(fiscal_year=to_year).count() == 1
    assert Assessment.objects.count() == 1 and Outcome.objects.count() == 1


def test_copy_to_a_year_that_already_has_goals_is_refused():
    indicator = IndicatorFactory()
    year = indicator.fiscal_year
    to_year = FiscalYearFactory(year=2020)
    goals_copy_to_year(from_year=year, to_year=to_year)
    with pytest.raises(ValidationError):
        goals_copy_to_year(from_year=year, to_year=to_year)
