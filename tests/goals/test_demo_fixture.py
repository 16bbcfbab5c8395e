import pytest
from django.core.management import call_command

from federation.models import FiscalYear
from goals.models import Activity, Assessment, DirectionGoal, Indicator, Outcome, OverallGoal, Status, Strategy
from goals.selectors import indicator_series
from goals.services import year_summary_sentence

pytestmark = pytest.mark.django_db

MODELS = [OverallGoal, DirectionGoal, Strategy, Activity, Indicator, Outcome, Assessment]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_summary_sentence_for_2019_is_computed_from_the_fixture(demo_data):
    year = FiscalYear.objects.get(year=2019)
    assert (
        year_summary_sentence(fiscal_year=year)
        == "Sex av sju inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt."
    )


def test_load_demo_twice_creates_no_duplicates(demo_data):
    before = counts()
    # seven inriktningsmål, DSO and MC 2019, Navet 2013 (and the living year's copy of 2019, see
    # tests/internalcontrol/test_demo_living_year.py)
    assert DirectionGoal.objects.filter(fiscal_year__year__lte=2020).count() == 10
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before


def test_navet_elever_pa_teman_is_one_series_across_2013_and_2019(demo_data):
    indicator = Indicator.objects.get(fiscal_year__year=2019, series="navet-elever-teman")
    values = [(o.follow_up.fiscal_year.year, o.indicator.target, o.value) for o in indicator_series(indicator)]
    assert values == [(2013, 20000, 14263), (2019, 25000, 27531)]


def test_the_402_pedagoger_override_is_visible(demo_data):
    assessment = Assessment.objects.get(activity__code="navet-samordning-7", follow_up__fiscal_year__year=2019)
    assert assessment.status == Status.MET
    assert assessment.suggested_status == Status.PARTLY_MET
    assert "402 pedagoger" in assessment.text


def test_kommun_ranking_and_yh_share_are_stored_as_data(demo_data):
    ranking = Outcome.objects.get(
        indicator__series="sn-ranking-foretagsklimat", municipality__name="Vårgårda", follow_up__fiscal_year__year=2018
    )
    assert ranking.value == 9
    yh = Outcome.objects.get(
        indicator__series="yh-andel-beviljade", delregion="Göteborgsregionen", follow_up__fiscal_year__year=2019
    )
    assert (yh.numerator, yh.denominator, str(yh.percentage)) == (60, 170, "35.3")


def test_fixture_assessments_have_a_first_history_version_once(demo_data):
    assessment = Assessment.objects.get(activity__code="navet-samordning-7")
    assert assessment.history.count() == 1
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert assessment.history.count() == 1
