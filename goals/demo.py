"""Demo data for the goals app: the real 2019 goals (årsredovisning 2019, sections
4–7) and Navet's 2013 resultatmål, from natural-key fixtures under
``fixtures/goals/``. Safe to run again: loaddata updates rows found by natural key."""

import datetime

from django.core.management import call_command

FIXTURES = ["goals/2013", "goals/2019"]


# The unit that has submitted its delår in the demo's living year.
SUBMITTING_UNIT, SUBMITTING_USER = "Navet science center", "navet"


def load():
    call_command("loaddata", *FIXTURES, verbosity=0)
    interim_assessments()
    revised_target()
    suggest_fixture_statuses()
    record_initial_history()
    current_year()


def current_year():
    """The year of today (made by ``federation.demo.current_year``) gets a copy of the latest year's goals,
    and one unit has submitted its delår. Skipped when done, or when today is not after the real years."""
    from django.contrib.auth import get_user_model

    from federation import dates
    from federation import demo as federation_demo
    from federation.models import FiscalYear, FollowUp, Unit

    from .models import DirectionGoal, Submission
    from .services import follow_up_submit, goals_copy_to_year

    year = dates.today().year
    if year <= federation_demo.REAL_YEARS[-1]:
        return
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        return
    if not DirectionGoal.objects.filter(fiscal_year=fiscal_year).exists():
        goal = DirectionGoal.objects.filter(fiscal_year__year__lt=year).select_related("fiscal_year")
        latest = goal.order_by("-fiscal_year__year").first()
        if latest is not None:
            latest = latest.fiscal_year
            goals_copy_to_year(from_year=latest, to_year=fiscal_year)
    interim = FollowUp.objects.filter(fiscal_year=fiscal_year, kind=FollowUp.Kind.INTERIM).first()
    unit = Unit.objects.filter(name=SUBMITTING_UNIT).first()
    user = get_user_model().objects.filter(username=SUBMITTING_USER).first()
    if interim and unit and user and not Submission.objects.filter(unit=unit, follow_up=interim).exists():
        follow_up_submit(unit=unit, follow_up=interim, user=user, today=dates.today())


# The delår of the real year (per 31 August): the årsredovisning gives only the helår, so the delår of the
# goals and strategies is the helår's assessment except every third of those met at the helår, which was still
# in progress in August.
INTERIM_YEAR = 2019
INTERIM_TEXT = "Arbetet pågår enligt plan; bedöms uppfyllas under hösten."


def interim_assessments():
    """Assessments at the delår of INTERIM_YEAR, so the delårsrapport has them and the helår shows what moved.
    Skipped once there are any."""
    from federation.models import FollowUp

    from .models import Assessment, Status

    follow_ups = {f.kind: f for f in FollowUp.objects.filter(fiscal_year__year=INTERIM_YEAR)}
    interim, annual = follow_ups.get(FollowUp.Kind.INTERIM), follow_ups.get(FollowUp.Kind.ANNUAL)
    if interim is None or annual is None or Assessment.objects.filter(follow_up=interim).exists():
        return
    moment = datetime.datetime.combine(interim.period_end, datetime.time(12), tzinfo=datetime.UTC)
    assessments = []
    # The federation's own goals and strategies; the units' activities are left for the units to assess (as the
    # reminders and Min enhet show for the delår).
    annual_assessments = Assessment.objects.filter(follow_up=annual, activity__isnull=True).order_by("pk")
    for index, annual_assessment in enumerate(annual_assessments):
        in_progress = annual_assessment.status == Status.MET and index % 3 == 0
        assessments.append(
            Assessment(
                follow_up=interim,
                overall_goal_id=annual_assessment.overall_goal_id,
                direction_goal_id=annual_assessment.direction_goal_id,
                strategy_id=annual_assessment.strategy_id,
                activity_id=annual_assessment.activity_id,
                status=Status.IN_PROGRESS if in_progress else annual_assessment.status,
                text=INTERIM_TEXT if in_progress else annual_assessment.text,
            )
        )
    Assessment.objects.bulk_create(assessments)
    Assessment.objects.filter(follow_up=interim).update(assessed_at=moment)  # auto_now: set after


# One målvärde revised during the real year, with its reason: what a revision looks like in the report.
REVISION = {
    "changed_at": datetime.datetime(INTERIM_YEAR, 9, 20, 10, 0, tzinfo=datetime.UTC),
    "reason": "Målvärdet ändrades efter delårsuppföljningen, när utfallet för första halvåret var känt.",
}


def revised_target():
    """The first mätetal of INTERIM_YEAR with a numeric målvärde had a lower one until September."""
    from django.contrib.auth import get_user_model

    from .models import Indicator, TargetRevision

    indicator = Indicator.objects.filter(fiscal_year__year=INTERIM_YEAR, target__gt=1).order_by("series", "pk").first()
    if indicator is None or TargetRevision.objects.filter(indicator__fiscal_year__year=INTERIM_YEAR).exists():
        return
    TargetRevision.objects.create(
        indicator=indicator,
        old_target=(indicator.target * 9 / 10).quantize(indicator.target),
        new_target=indicator.target,
        changed_by=get_user_model().objects.filter(username="direktor").first(),
        **REVISION,
    )


def record_initial_history():
    """loaddata saves raw (no history); give every row without history its first version."""
    from .models import Activity, Assessment, DirectionGoal, Indicator, Outcome, OverallGoal, Strategy

    for model in (OverallGoal, DirectionGoal, Strategy, Activity, Indicator, Outcome, Assessment):
        history = model.history.model
        with_history = history.objects.values("id")
        missing = list(model.objects.exclude(pk__in=with_history))
        for instance in missing:
            moment = getattr(instance, "assessed_at", None) or getattr(instance, "recorded_at", None)
            if moment:
                instance._history_date = moment
        model.history.bulk_history_create(missing, default_change_reason="Inläst från årsredovisningen")


def suggest_fixture_statuses():
    """Fixtures carry the human status; fill in what the numbers suggest so the difference shows."""
    from .models import Assessment
    from .services import suggested_status_for

    assessments = (
        Assessment.objects.filter(suggested_status="")
        .select_related("strategy", "activity", "follow_up")
        .exclude(strategy__isnull=True, activity__isnull=True)
    )
    for assessment in assessments:
        suggested = suggested_status_for(target=assessment.target, follow_up=assessment.follow_up)
        if suggested:
            Assessment.objects.filter(pk=assessment.pk).update(suggested_status=suggested)
