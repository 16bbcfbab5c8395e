import pytest

from goals.models import Status
from goals.services import assessment_record, year_summary_sentence

from .factories import DirectionGoalFactory, director, follow_up

pytestmark = pytest.mark.django_db


def assess(statuses):
    boss = director()
    goals = [DirectionGoalFactory() for _ in statuses]
    for goal, status in zip(goals, statuses, strict=True):
        if status:
            assessment_record(target=goal, follow_up=follow_up(), status=status, user=boss)
    return goals[0].fiscal_year


def test_six_of_seven_met_and_one_partly():
    year = assess([Status.PARTLY_MET] + [Status.MET] * 6)
    assert (
        year_summary_sentence(fiscal_year=year)
        == "Sex av sju inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt."
    )


def test_three_groups_are_joined_with_och():
    year = assess([Status.MET, Status.MET, Status.NOT_MET, Status.PARTLY_MET, None])
    assert year_summary_sentence(fiscal_year=year) == (
        "Två av fem inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt, ett ej uppfyllt "
        "och ett ännu inte bedömt."
    )


def test_all_met():
    year = assess([Status.MET] * 3)
    assert year_summary_sentence(fiscal_year=year) == "Alla tre inriktningsmål bedöms helt uppfyllda."
