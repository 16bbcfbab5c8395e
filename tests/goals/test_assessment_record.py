import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals.models import Assessment, Outcome, Status
from goals.services import assessment_record, follow_up_approve, follow_up_submit, outcome_record
from tests.factories import UnitFactory

from .factories import ActivityFactory, IndicatorFactory, StrategyFactory, director, follow_up, unit_lead

pytestmark = pytest.mark.django_db


def test_person_may_override_the_suggested_status_and_the_difference_stays_visible(today):
    # given: "Minst 500 pedagoger på utbildning i matematik", outcome 402
    indicator = IndicatorFactory(target=500, name="Pedagoger på utbildning i matematik")
    activity = indicator.activity
    lead = unit_lead(activity.unit)
    annual = follow_up()
    outcome_record(indicator=indicator, follow_up=annual, user=lead, value=402, today=today)

    # when the unit says "Genomfört"
    assessment = assessment_record(
        target=activity, follow_up=annual, status=Status.MET, text="Genomfört – 402 pedagoger", user=lead, today=today
    )

    # then
    assert assessment.status == Status.MET
    assert assessment.suggested_status == Status.PARTLY_MET
    assert assessment.overridden


def test_every_change_of_an_assessment_is_kept_in_history(today):
    activity = ActivityFactory()
    lead = unit_lead(activity.unit)
    annual = follow_up()
    assessment_record(
        target=activity, follow_up=annual, status=Status.IN_PROGRESS, text="Pågår", user=lead, today=today
    )
    assessment_record(target=activity, follow_up=annual, status=Status.MET, text="Klart", user=lead, today=today)

    assert Assessment.objects.filter(activity=activity).count() == 1
    history = Assessment.history.filter(activity_id=activity.pk).order_by("history_date")
    assert [h.status for h in history] == [Status.IN_PROGRESS, Status.MET]
    assert [h.text for h in history] == ["Pågår", "Klart"]


def test_unit_lead_cannot_change_another_units_strategy(today):
    strategy = StrategyFactory(units=[UnitFactory(name="Kultur")])
    other_lead = unit_lead(UnitFactory(name="Navet science center"))

    with pytest.raises(PermissionDenied):
        assessment_record(target=strategy, follow_up=follow_up(), status=Status.MET, user=other_lead, today=today)
    assert not Assessment.objects.exists()


def test_unit_lead_changes_own_strategy_and_director_changes_everything(today):
    unit = UnitFactory(name="Kultur")
    strategy = StrategyFactory(units=[unit])
    assessment_record(target=strategy, follow_up=follow_up(), status=Status.MET, user=unit_lead(unit), today=today)
    assessment_record(target=strategy, follow_up=follow_up(), status=Status.PARTLY_MET, user=director(), today=today)
    assert Assessment.objects.get(strategy=strategy).status == Status.PARTLY_MET


def test_share_outcome_stores_numerator_and_denominator_and_computes_percentage(today):
    indicator = IndicatorFactory(is_share=True, target=50, unit_of_measure="%")
    outcome = outcome_record(
        indicator=indicator,
        follow_up=follow_up(),
        user=director(),
        numerator=6,
        denominator=9,
        delregion="Boråsregionen",
    )
    assert str(outcome.percentage) == "66.7"
    with pytest.raises(ValidationError):
        outcome_record(indicator=indicator, follow_up=follow_up(), user=director(), value=66)


def test_share_with_zero_denominator_is_rejected_with_nothing_stored(today):
    indicator = IndicatorFactory(is_share=True)
    with pytest.raises(ValidationError) as error:
        outcome_record(indicator=indicator, follow_up=follow_up(), user=director(), numerator=1, denominator=0)
    assert "nämnare" in str(error.value)
    assert not Outcome.objects.exists()


def test_approved_follow_up_is_locked_for_the_unit_and_director_changes_are_marked(today):
    activity = ActivityFactory()
    lead = unit_lead(activity.unit)
    boss = director()
    annual = follow_up()
    assessment_record(target=activity, follow_up=annual, status=Status.IN_PROGRESS, user=lead, today=today)
    submission = follow_up_submit(unit=activity.unit, follow_up=annual, user=lead, today=today)
    follow_up_approve(submission=submission, user=boss, today=today)

    with pytest.raises(ValidationError, match="låst"):
        assessment_record(target=activity, follow_up=annual, status=Status.MET, user=lead, today=today)

    assessment = assessment_record(target=activity, follow_up=annual, status=Status.MET, user=boss, today=today)
    assert assessment.changed_after_approval
    assert assessment.history.count() == 2


def test_only_the_director_approves(today):
    activity = ActivityFactory()
    lead = unit_lead(activity.unit)
    submission = follow_up_submit(unit=activity.unit, follow_up=follow_up(), user=lead, today=today)
    with pytest.raises(PermissionDenied):
        follow_up_approve(submission=submission, user=lead, today=today)
