"""Writes in the goals app: assessments, outcomes, submissions, copying a year.

Every function is atomic, validates with ``full_clean()`` and checks the
object-level rule (``user_can_change``) so views, admin, commands and imports
all go through the same door."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federation.access import LOCK_OVERRIDE_REASON, year_locked_message
from federation.copying import model_copy
from federation.models import FiscalYear, FollowUp, Unit
from federation.selectors import is_director

from .models import Activity, Assessment, DirectionGoal, Indicator, Outcome, OverallGoal, Status, Strategy, Submission
from .permissions import owner_unit_ids, user_can_change
from .suggest import outcomes_suggest


def _target_field(target) -> str:
    for model, name in (
        (OverallGoal, "overall_goal"),
        (DirectionGoal, "direction_goal"),
        (Strategy, "strategy"),
        (Activity, "activity"),
    ):
        if isinstance(target, model):
            return name
    raise TypeError(f"Cannot assess {target!r}")


def _approved_submission(*, obj, follow_up):
    units = owner_unit_ids(obj)
    if not units:
        return None
    return Submission.objects.filter(unit_id__in=units, follow_up=follow_up, state=Submission.State.APPROVED).first()


def _guard_change(*, user, obj, follow_up, today) -> bool:
    """Raise unless ``user`` may change ``obj`` for ``follow_up``; True when the change comes after approval."""
    if not user_can_change(user, obj, on=today):
        raise PermissionDenied(_("Du får bara ändra det som din verksamhet ansvarar för."))
    closed = next((y for y in (follow_up.fiscal_year, getattr(obj, "fiscal_year", None)) if y and y.closed), None)
    if closed and not is_director(user, on=today):
        raise ValidationError(year_locked_message(closed))
    if _approved_submission(obj=obj, follow_up=follow_up):
        if not is_director(user, on=today):
            raise ValidationError(_("Uppföljningen är godkänd och låst. Kontakta förbundsdirektören."))
        return True
    return False


def _mark_override(instance, *, follow_up, target):
    """A change in a closed year (only the förbundsdirektör gets here) is recorded as an override."""
    if follow_up.fiscal_year.closed or target.fiscal_year.closed:
        instance._change_reason = LOCK_OVERRIDE_REASON


# Units of measure whose outcomes may be negative; every other mätetal counts something.
NEGATIVE_ALLOWED_UNITS = {"", "%", "index", "kr", "tkr", "mnkr", "procentenheter"}


def outcome_validate(*, indicator, value=None, numerator=None, denominator=None):
    """Swedish errors for outcomes that cannot be: negative counts, negative shares."""
    errors = {}
    for name, number in (("numerator", numerator), ("denominator", denominator)):
        if number not in (None, "") and Decimal(number) < 0:
            errors[name] = _("En andel kan inte ha negativ täljare eller nämnare.")
    if (
        value not in (None, "")
        and Decimal(value) < 0
        and indicator.unit_of_measure.strip().lower() not in NEGATIVE_ALLOWED_UNITS
    ):
        errors["value"] = _("Utfallet räknas i %(unit)s och kan inte vara negativt.") % {
            "unit": indicator.unit_of_measure
        }
    if errors:
        raise ValidationError(errors)


def suggested_status_for(*, target, follow_up) -> Status | None:
    """The status the mätetal of ``target`` suggest at ``follow_up`` (None when they cannot say)."""
    if isinstance(target, (Strategy, Activity)):
        indicators = target.indicators.all()
    else:
        return None
    return outcomes_suggest(
        Outcome.objects.filter(indicator__in=indicators, follow_up=follow_up).select_related("indicator")
    )


def _record_save(record, *, by: str, user, after_approval: bool, follow_up, target):
    """The end of recording an assessment or an outcome: who recorded it (in the field ``by``), whether it was
    changed after its follow-up was approved, the override mark, then validated and saved."""
    setattr(record, by, user if user and user.is_authenticated else None)
    record.changed_after_approval = record.changed_after_approval or after_approval
    _mark_override(record, follow_up=follow_up, target=target)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def assessment_record(
    *, target, follow_up: FollowUp, status: str, text: str = "", user, today: datetime.date | None = None
) -> Assessment:
    """Create or update the assessment of ``target`` at ``follow_up``; history keeps every version."""
    today = today or timezone.localdate()
    after_approval = _guard_change(user=user, obj=target, follow_up=follow_up, today=today)
    field = _target_field(target)
    if target.fiscal_year_id != follow_up.fiscal_year_id:
        raise ValidationError(_("Uppföljningen hör till ett annat verksamhetsår."))
    assessment = Assessment.objects.filter(**{field: target}, follow_up=follow_up).first() or Assessment(
        **{field: target}, follow_up=follow_up
    )
    suggested = suggested_status_for(target=target, follow_up=follow_up)
    assessment.status = status
    assessment.text = text
    assessment.suggested_status = suggested or ""
    return _record_save(
        assessment, by="author", user=user, after_approval=after_approval, follow_up=follow_up, target=target
    )


@transaction.atomic
def outcome_record(
    *,
    indicator: Indicator,
    follow_up: FollowUp,
    user,
    value=None,
    numerator=None,
    denominator=None,
    text: str = "",
    municipality=None,
    delregion: str = "",
    today: datetime.date | None = None,
) -> Outcome:
    """Create or update a mätetal's outcome for a period (and dimension member)."""
    today = today or timezone.localdate()
    after_approval = _guard_change(user=user, obj=indicator, follow_up=follow_up, today=today)
    if indicator.is_share and value is not None:
        raise ValidationError(_("Mätetalet är en andel: ange täljare och nämnare, inte ett värde."))
    outcome_validate(indicator=indicator, value=value, numerator=numerator, denominator=denominator)
    outcome = Outcome.objects.filter(
        indicator=indicator, follow_up=follow_up, municipality=municipality, delregion=delregion
    ).first() or Outcome(indicator=indicator, follow_up=follow_up, municipality=municipality, delregion=delregion)
    outcome.value = None if value in (None, "") else Decimal(value)
    outcome.numerator = None if numerator in (None, "") else Decimal(numerator)
    outcome.denominator = None if denominator in (None, "") else Decimal(denominator)
    outcome.text = text
    return _record_save(
        outcome, by="recorded_by", user=user, after_approval=after_approval, follow_up=follow_up, target=indicator
    )


def _submission_move(submission: Submission, *, state, by: str, user) -> Submission:
    """``submission`` moved to ``state``, with who (``<by>_by``) and when (``<by>_at``), validated and saved."""
    submission.state = state
    setattr(submission, f"{by}_by", user)
    setattr(submission, f"{by}_at", timezone.now())
    submission.full_clean()
    submission.save()
    return submission


@transaction.atomic
def follow_up_submit(*, unit: Unit, follow_up: FollowUp, user, today: datetime.date | None = None) -> Submission:
    """The unit marks its follow-up for the period as submitted."""
    today = today or timezone.localdate()
    if not (is_director(user, on=today) or user_can_change(user, _UnitOwned(unit), on=today)):
        raise PermissionDenied(_("Bara verksamhetens ansvariga kan skicka in uppföljningen."))
    submission = Submission.objects.select_for_update().filter(unit=unit, follow_up=follow_up).first()
    if submission and submission.locked:
        raise ValidationError(_("Uppföljningen är redan godkänd och låst."))
    if submission and submission.state == Submission.State.SUBMITTED:
        raise ValidationError(_("Uppföljningen är redan inskickad och väntar på förbundsdirektören."))
    submission = submission or Submission(unit=unit, follow_up=follow_up)
    submission._change_reason = _("Inskickad igen") if submission.pk else _("Inskickad")
    return _submission_move(submission, state=Submission.State.SUBMITTED, by="submitted", user=user)


def _waiting_submission(*, submission: Submission, user, today, refused: str) -> Submission:
    """``submission`` read again under a row lock, when ``user`` is the förbundsdirektör and it waits."""
    if not is_director(user, on=today):
        raise PermissionDenied(refused)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state == Submission.State.APPROVED:
        raise ValidationError(_("Uppföljningen är redan godkänd."))
    if submission.state == Submission.State.RETURNED:
        raise ValidationError(_("Uppföljningen är skickad tillbaka till verksamheten och inte inskickad igen."))
    return submission


@transaction.atomic
def follow_up_approve(*, submission: Submission, user, today: datetime.date | None = None) -> Submission:
    """The förbundsdirektör approves a submitted follow-up, which locks it for the unit."""
    today = today or timezone.localdate()
    submission = _waiting_submission(
        submission=submission, user=user, today=today, refused=_("Bara förbundsdirektören kan godkänna en uppföljning.")
    )
    submission._change_reason = _("Godkänd")
    return _submission_move(submission, state=Submission.State.APPROVED, by="approved", user=user)


@transaction.atomic
def follow_up_send_back(
    *, submission: Submission, user, comment: str, today: datetime.date | None = None
) -> Submission:
    """The förbundsdirektör sends a submitted follow-up back to the unit with a comment: it is open again for
    the unit to correct and submit anew. The comment stays in the history."""
    today = today or timezone.localdate()
    submission = _waiting_submission(
        submission=submission,
        user=user,
        today=today,
        refused=_("Bara förbundsdirektören kan skicka tillbaka en uppföljning."),
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv vad verksamheten ska rätta innan du skickar tillbaka.")})
    submission.return_comment = comment
    submission._change_reason = _("Skickad tillbaka: %(comment)s") % {"comment": comment}
    return _submission_move(submission, state=Submission.State.RETURNED, by="returned", user=user)


class _UnitOwned:
    """Stand-in object owned by one unit, for the permission check."""

    def __init__(self, unit):
        self.unit = unit

    def owner_unit_ids(self):
        return {self.unit.pk}


# --- Copies: one routine per model, used by copy-to-year and by the benchmark's scaled data --------------
# Each returns an unsaved copy of ``source`` with what belongs to the goal itself; the year, the parent and
# anything else that differs come as ``overrides``. Assessments and outcomes are never copied.


def overall_goal_copy(*, source: OverallGoal, **overrides) -> OverallGoal:
    return model_copy(source, fields=("title", "description"), **overrides)


def direction_goal_copy(*, source: DirectionGoal, **overrides) -> DirectionGoal:
    return model_copy(source, fields=("code", "order", "title", "description", "unit"), **overrides)


def strategy_copy(*, source: Strategy, **overrides) -> Strategy:
    """(Its ``units`` are set by the caller once the copy is saved.)"""
    return model_copy(source, fields=("code", "order", "title", "plan_unit"), **overrides)


def activity_copy(*, source: Activity, **overrides) -> Activity:
    return model_copy(source, fields=("code", "order", "number", "title", "unit"), **overrides)


INDICATOR_COPIED_FIELDS = (
    "series",
    "name",
    "unit_of_measure",
    "direction",
    "baseline",
    "target",
    "target_text",
    "is_share",
    "dimension",
    "order",
)


def indicator_copy(*, source: Indicator, **overrides) -> Indicator:
    return model_copy(source, fields=INDICATOR_COPIED_FIELDS, **overrides)


@transaction.atomic
def goals_copy_to_year(*, from_year: FiscalYear, to_year: FiscalYear) -> dict[str, int]:
    """Copy the structure of a year (goals, strategies, activities, mätetal) to another year.

    Codes and mätetal series are kept, so the new year's mätetal continue the
    same time series; assessments and outcomes are not copied."""
    if from_year.pk == to_year.pk:
        raise ValidationError(_("Välj ett annat år att kopiera till."))
    if DirectionGoal.objects.filter(fiscal_year=to_year).exists():
        raise ValidationError(
            _("År %(year)s har redan mål; kopieringen görs bara till ett tomt år.") % {"year": to_year.year}
        )
    counts = {"direction_goals": 0, "strategies": 0, "activities": 0, "indicators": 0}

    overall = OverallGoal.objects.filter(fiscal_year=from_year).first()
    if overall and not OverallGoal.objects.filter(fiscal_year=to_year).exists():
        overall_goal_copy(source=overall, fiscal_year=to_year).save(force_insert=True)

    def copy_indicators(old_owner, **owner):
        for indicator in old_owner.indicators.all():
            indicator_copy(source=indicator, fiscal_year=to_year, **owner).save(force_insert=True)
            counts["indicators"] += 1

    goals = DirectionGoal.objects.filter(fiscal_year=from_year).prefetch_related(
        "strategies__units", "strategies__indicators", "strategies__activities__indicators"
    )
    for goal in goals:
        new_goal = direction_goal_copy(source=goal, fiscal_year=to_year)
        new_goal.save(force_insert=True)
        counts["direction_goals"] += 1
        for strategy in goal.strategies.all():
            new_strategy = strategy_copy(source=strategy, fiscal_year=to_year, direction_goal=new_goal)
            new_strategy.save(force_insert=True)
            new_strategy.units.set(strategy.units.all())
            counts["strategies"] += 1
            copy_indicators(strategy, strategy=new_strategy)
            for activity in strategy.activities.all():
                new_activity = activity_copy(source=activity, fiscal_year=to_year, strategy=new_strategy)
                new_activity.save(force_insert=True)
                counts["activities"] += 1
                copy_indicators(activity, activity=new_activity)
    return counts


NUMBER_WORDS = {
    1: "ett",
    2: "två",
    3: "tre",
    4: "fyra",
    5: "fem",
    6: "sex",
    7: "sju",
    8: "åtta",
    9: "nio",
    10: "tio",
    11: "elva",
    12: "tolv",
}
# (singular, plural) after "bedöms"
STATUS_PHRASES = {
    Status.MET: ("helt uppfyllt", "helt uppfyllda"),
    Status.PARTLY_MET: ("delvis uppfyllt", "delvis uppfyllda"),
    Status.NOT_MET: ("ej uppfyllt", "ej uppfyllda"),
    Status.IN_PROGRESS: ("pågående", "pågående"),
    Status.NOT_STARTED: ("ej påbörjat", "ej påbörjade"),
    Status.NOT_ASSESSABLE: ("ej bedömbart", "ej bedömbara"),
    "": ("ännu inte bedömt", "ännu inte bedömda"),
}


def number_word(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def year_summary_sentence(*, fiscal_year: FiscalYear, follow_up: FollowUp | None = None) -> str:
    """E.g. "Sex av sju inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt." (computed)."""
    from .selectors import latest_follow_up

    follow_up = follow_up or latest_follow_up(fiscal_year=fiscal_year)
    goals = list(DirectionGoal.objects.filter(fiscal_year=fiscal_year, unit__isnull=True))
    if not goals:
        return _("Inga inriktningsmål finns för %(year)s.") % {"year": fiscal_year.year}
    statuses = (
        dict(
            Assessment.objects.filter(direction_goal__in=goals, follow_up=follow_up).values_list(
                "direction_goal", "status"
            )
        )
        if follow_up
        else {}
    )
    counts: dict[str, int] = {}
    for goal in goals:
        key = statuses.get(goal.pk, "")
        counts[key] = counts.get(key, 0) + 1
    order = list(STATUS_PHRASES)
    groups = sorted(counts.items(), key=lambda kv: order.index(Status(kv[0]) if kv[0] else ""))
    total = len(goals)

    def phrase(status, n):
        singular, plural = STATUS_PHRASES[Status(status) if status else ""]
        return singular if n == 1 else plural

    first_status, first_n = groups[0]
    if first_n == total:
        head = (
            f"alla {number_word(total)} inriktningsmål bedöms {phrase(first_status, 2)}"
            if total > 1
            else (f"inriktningsmålet bedöms {phrase(first_status, 1)}")
        )
        return head[0].upper() + head[1:] + "."
    parts = [f"{number_word(first_n)} av {number_word(total)} inriktningsmål bedöms {phrase(first_status, first_n)}"]
    parts += [f"{number_word(n)} {phrase(status, n)}" for status, n in groups[1:]]
    sentence = (
        parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + (" och " if len(parts) > 2 else ", ") + parts[-1]
    )
    return sentence[0].upper() + sentence[1:] + "."
