"""Writes in the goals app: assessments, outcomes, submissions, copying a year.

Every function is atomic, validates with ``full_clean()`` and checks the
object-level rule (``user_can_change``) so views, admin, commands and imports
all go through the same door."""

import datetime
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from federation import dates
from federation.access import LOCK_OVERRIDE_REASON, year_locked_message
from federation.copying import model_copy
from federation.history import bulk_create_with_history
from federation.models import FiscalYear, FollowUp, Unit
from federation.selectors import is_director

from .models import (
    Activity,
    Assessment,
    Direction,
    DirectionGoal,
    Indicator,
    Outcome,
    OverallGoal,
    Status,
    Strategy,
    Submission,
    TargetRevision,
    status_tone,
)
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
    today = today or dates.today()
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
    today = today or dates.today()
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


def _target_value(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def indicator_target_changes(indicator: Indicator, *, target, target_text: str) -> bool:
    """Whether ``target`` / ``target_text`` differ from the mätetal's målvärde as saved."""
    return _target_value(target) != indicator.target or (target_text or "") != indicator.target_text


@transaction.atomic
def indicator_target_revise(
    indicator: Indicator, *, target, target_text: str = "", reason: str, user
) -> TargetRevision | None:
    """Change a mätetal's målvärde, keeping the old one with when, by whom and why (a TargetRevision).
    Nothing happens (None) when the målvärde stays the same; a change needs a reason (Swedish error)."""
    if not indicator_target_changes(indicator, target=target, target_text=target_text):
        return None
    if user is not None and user.is_authenticated and not user_can_change(user, indicator):
        raise PermissionDenied(_("Du får bara ändra det som din verksamhet ansvarar för."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ange varför målvärdet ändras.")})
    revision = TargetRevision(
        indicator=indicator,
        old_target=indicator.target,
        old_target_text=indicator.target_text,
        new_target=_target_value(target),
        new_target_text=target_text or "",
        changed_by=user if user is not None and user.is_authenticated else None,
        reason=reason,
    )
    indicator.target, indicator.target_text = revision.new_target, revision.new_target_text
    indicator._change_reason = reason[:100]  # simple-history's reason field holds 100 characters
    indicator.full_clean()
    indicator.save()
    revision.full_clean()
    revision.save()
    return revision


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
    today = today or dates.today()
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
    today = today or dates.today()
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


def direction_goal_statuses(*, fiscal_year: FiscalYear, follow_up: FollowUp | None) -> list[str]:
    """Each of the federation's inriktningsmål's status at ``follow_up`` ("" when not assessed), in one query."""
    status = Assessment.objects.filter(direction_goal=OuterRef("pk"), follow_up=follow_up).order_by()
    return list(
        DirectionGoal.objects.filter(fiscal_year=fiscal_year, unit__isnull=True)
        .order_by()
        .annotate(status=Subquery(status.values("status")[:1]) if follow_up else Value(""))
        .values_list("status", flat=True)
    )


def statuses_tone(statuses) -> str:
    """One colour for many statuses: green when all are met, red when any is not met, grey when none is
    assessed, else yellow."""
    values = [value or "" for value in statuses]
    if not values or all(value == "" for value in values):
        return status_tone("")
    if all(value == Status.MET for value in values):
        return status_tone(Status.MET)
    if any(value == Status.NOT_MET for value in values):
        return status_tone(Status.NOT_MET)
    return status_tone(Status.PARTLY_MET)


def year_summary_sentence(*, fiscal_year: FiscalYear, follow_up: FollowUp | None = None) -> str:
    """E.g. "Sex av sju inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt." (computed)."""
    from .selectors import latest_follow_up

    follow_up = follow_up or latest_follow_up(fiscal_year=fiscal_year)
    statuses = direction_goal_statuses(fiscal_year=fiscal_year, follow_up=follow_up)
    if not statuses:
        return _("Inga inriktningsmål finns för %(year)s.") % {"year": fiscal_year.year}
    counts: dict[str, int] = {}
    for key in statuses:
        counts[key or ""] = counts.get(key or "", 0) + 1
    order = list(STATUS_PHRASES)
    groups = sorted(counts.items(), key=lambda kv: order.index(Status(kv[0]) if kv[0] else ""))
    total = len(statuses)

    def phrase(status, n):
        singular, plural = STATUS_PHRASES[Status(status) if status else ""]
        return singular if n == 1 else plural

    first_status, first_n = groups[0]
    if first_n == total and not first_status:
        return (
            _("Inget av de %(total)s inriktningsmålen är ännu bedömt.") % {"total": number_word(total)}
            if total > 1
            else _("Inriktningsmålet är ännu inte bedömt.")
        )
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


# --- A whole goal plan from a spreadsheet (goals/resources.py reads it; this writes it) --------------------
# The reader hands over the plan as a tree of the dataclasses below, every value already parsed; the
# writer matches what the year already has by title (case-insensitive) — so importing the same file twice
# changes nothing and a later file adds outcomes to the same mätetal — and writes the rest in bulk, with
# history. Each row is validated (``full_clean`` without the per-row queries) and the database constraints
# stand behind it.


@dataclass
class PlanOutcome:
    row: int
    follow_up: FollowUp
    municipality: object = None
    delregion: str = ""
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    text: str = ""


@dataclass
class PlanIndicator:
    row: int
    name: str
    unit_of_measure: str = ""
    direction: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_text: str = ""
    is_share: bool = False
    dimension: str = ""
    outcomes: dict = dataclass_field(default_factory=dict)  # (follow_up, municipality, delregion) → PlanOutcome
    instance: Indicator | None = None


@dataclass
class PlanActivity:
    row: int
    title: str
    unit: Unit
    number: str = ""
    indicators: dict = dataclass_field(default_factory=dict)  # casefold name → PlanIndicator
    instance: Activity | None = None


@dataclass
class PlanStrategy:
    row: int
    title: str
    units: list = dataclass_field(default_factory=list)
    activities: dict = dataclass_field(default_factory=dict)  # casefold title → PlanActivity
    indicators: dict = dataclass_field(default_factory=dict)
    instance: Strategy | None = None


@dataclass
class PlanGoal:
    row: int
    title: str
    strategies: dict = dataclass_field(default_factory=dict)  # casefold title → PlanStrategy
    instance: DirectionGoal | None = None


def title_key(text: str) -> str:
    """A title as the import compares it: case and runs of whitespace do not matter."""
    return " ".join(str(text).split()).casefold()


class _Codes:
    """New codes (or mätetal series) from titles, unique among those the year already has."""

    def __init__(self, taken):
        self.taken = set(taken)

    def new(self, title: str, fallback: str) -> str:
        base = slugify(title)[:60].strip("-") or fallback
        code, n = base, 1
        while code in self.taken:
            n += 1
            code = f"{base[:70]}-{n}"
        self.taken.add(code)
        return code


def _plan_validate(obj, row: int, errors: list):
    """``full_clean`` without the queries it would make per row (foreign keys, uniqueness, constraints):
    the reader checked those, and the database constraints are the last word."""
    foreign_keys = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = "" if name == "__all__" else f"{str(obj._meta.get_field(name).verbose_name).capitalize()}: "
            errors.extend((row, f"{label}{message}") for message in messages)


def _bulk_save(model, new, changed, fields, *, user, errors, dry_run):
    if errors:
        raise ValidationError([_("Rad %(row)s: %(error)s") % {"row": r, "error": e} for r, e in sorted(errors)])
    if dry_run:
        return
    if new:
        bulk_create_with_history(new, model, batch_size=500, default_user=user)
    if changed:
        bulk_update_with_history(changed, model, fields, batch_size=500, default_user=user)


def _strategy_key(strategy) -> tuple:
    return (strategy.direction_goal_id, title_key(strategy.title))


def _owner_key(strategy, activity) -> tuple:
    if activity is not None:
        return ("activity", _strategy_key(activity.strategy), title_key(activity.title))
    return ("strategy", _strategy_key(strategy), "")


def _next_order(queryset) -> int:
    return max(queryset.values_list("order", flat=True), default=0)


# Why a målvärde changed when a goal plan import changed it (the TargetRevision's required reason).
IMPORT_REVISION_REASON = "Ändrat genom import av målplanen."


@transaction.atomic
def goal_plan_write(*, fiscal_year: FiscalYear, goals: list[PlanGoal], user=None, dry_run=False) -> dict[str, int]:
    """Write ``goals`` (inriktningsmål → strategier → aktiviteter → mätetal → utfall) into ``fiscal_year``;
    returns how many of each were created and how many outcomes were set. All or nothing. With ``dry_run``
    everything is matched and validated and nothing is written (new objects have no id: nothing matches
    below them, which is right, since nothing exists there)."""
    if fiscal_year.closed:
        raise ValidationError(year_locked_message(fiscal_year))
    user = user if user is not None and user.is_authenticated else None
    counts = dict.fromkeys(("direction_goals", "strategies", "activities", "indicators", "outcomes"), 0)

    # Inriktningsmål
    existing = DirectionGoal.objects.filter(fiscal_year=fiscal_year)
    by_title = {title_key(goal.title): goal for goal in existing}
    codes, order, new, errors = _Codes(g.code for g in by_title.values()), _next_order(existing), [], []
    for goal in goals:
        goal.instance = by_title.get(title_key(goal.title))
        if goal.instance is None:
            order += 1
            goal.instance = DirectionGoal(
                fiscal_year=fiscal_year, code=codes.new(goal.title, "mal"), title=goal.title, order=order
            )
            _plan_validate(goal.instance, goal.row, errors)
            new.append(goal.instance)
    _bulk_save(DirectionGoal, new, [], [], user=user, errors=errors, dry_run=dry_run)
    counts["direction_goals"] = len(new)

    # Strategier, with their responsible units
    existing = Strategy.objects.filter(fiscal_year=fiscal_year)
    by_title = {(s.direction_goal_id, title_key(s.title)): s for s in existing}
    codes, new, errors = _Codes(s.code for s in by_title.values()), [], []
    strategies = [strategy for goal in goals for strategy in goal.strategies.values()]
    for goal in goals:
        for order, strategy in enumerate(goal.strategies.values(), start=1):
            strategy.instance = by_title.get((goal.instance.pk, title_key(strategy.title)))
            if strategy.instance is None:
                strategy.instance = Strategy(
                    fiscal_year=fiscal_year,
                    direction_goal=goal.instance,
                    code=codes.new(strategy.title, "strategi"),
                    title=strategy.title,
                    order=order,
                )
                _plan_validate(strategy.instance, strategy.row, errors)
                new.append(strategy.instance)
    _bulk_save(Strategy, new, [], [], user=user, errors=errors, dry_run=dry_run)
    counts["strategies"] = len(new)
    through = Strategy.units.through
    have = set(through.objects.filter(strategy__fiscal_year=fiscal_year).values_list("strategy_id", "unit_id"))
    links = []
    for strategy in strategies:
        units = strategy.units or [a.unit for a in strategy.activities.values()]
        for unit in {unit.pk: unit for unit in units}.values():
            if (strategy.instance.pk, unit.pk) not in have:
                have.add((strategy.instance.pk, unit.pk))
                links.append(through(strategy_id=strategy.instance.pk, unit_id=unit.pk))
    if not dry_run:
        through.objects.bulk_create(links, batch_size=500)

    # Aktiviteter
    # Matched by their strategy's title, not its id: two strategies of a goal may share a title.
    existing = Activity.objects.filter(fiscal_year=fiscal_year).select_related("strategy")
    by_title = {(_strategy_key(a.strategy), title_key(a.title)): a for a in existing}
    codes, new, changed, errors = _Codes(a.code for a in by_title.values()), [], [], []
    for strategy in strategies:
        for order, activity in enumerate(strategy.activities.values(), start=1):
            instance = by_title.get((_strategy_key(strategy.instance), title_key(activity.title)))
            if instance is None:
                instance = Activity(
                    fiscal_year=fiscal_year,
                    strategy=strategy.instance,
                    code=codes.new(activity.title, "aktivitet"),
                    title=activity.title,
                    number=activity.number,
                    unit=activity.unit,
                    order=order,
                )
                new.append(instance)
            elif (instance.number, instance.unit_id) != (activity.number or instance.number, activity.unit.pk):
                instance.number, instance.unit = activity.number or instance.number, activity.unit
                changed.append(instance)
            _plan_validate(instance, activity.row, errors)
            activity.instance = instance
    _bulk_save(Activity, new, changed, ["number", "unit"], user=user, errors=errors, dry_run=dry_run)
    counts["activities"] = len(new)

    # Mätetal, on their strategy or activity
    existing = Indicator.objects.filter(fiscal_year=fiscal_year).select_related("strategy", "activity__strategy")
    by_name = {(*_owner_key(i.strategy, i.activity), title_key(i.name)): i for i in existing}
    codes, new, changed, errors, revisions = _Codes(i.series for i in by_name.values()), [], [], [], []
    owned = [(s.instance, None, s.indicators) for s in strategies]
    owned += [(None, a.instance, a.indicators) for s in strategies for a in s.activities.values()]
    indicators = []
    order = _next_order(existing)
    for strategy, activity, items in owned:
        for item in items.values():
            key = (*_owner_key(strategy, activity), title_key(item.name))
            instance = by_name.get(key)
            values = {f: getattr(item, f) for f in PLAN_INDICATOR_FIELDS}
            values["direction"] = values["direction"] or (instance.direction if instance else Direction.AT_LEAST)
            if instance is None:
                order += 1
                instance = Indicator(
                    fiscal_year=fiscal_year,
                    series=codes.new(item.name, "matetal"),
                    strategy=strategy,
                    activity=activity,
                    name=item.name,
                    order=order,
                    **values,
                )
                new.append(instance)
            elif any(getattr(instance, f) != v for f, v in values.items()):
                if indicator_target_changes(instance, target=values["target"], target_text=values["target_text"]):
                    # A revised målvärde keeps the old one (the report shows both), as indicator_target_revise.
                    revisions.append(
                        TargetRevision(
                            indicator=instance,
                            old_target=instance.target,
                            old_target_text=instance.target_text,
                            new_target=values["target"],
                            new_target_text=values["target_text"] or "",
                            changed_by=user,
                            reason=IMPORT_REVISION_REASON,
                        )
                    )
                for name, value in values.items():
                    setattr(instance, name, value)
                changed.append(instance)
            _plan_validate(instance, item.row, errors)
            item.instance = instance
            indicators.append(item)
    _bulk_save(Indicator, new, changed, list(PLAN_INDICATOR_FIELDS), user=user, errors=errors, dry_run=dry_run)
    if not dry_run:
        TargetRevision.objects.bulk_create(revisions)
    counts["revised_targets"] = len(revisions)
    counts["indicators"] = len(new)

    # Utfall per uppföljning och dimension
    existing = Outcome.objects.filter(indicator__fiscal_year=fiscal_year)
    by_key = {(o.indicator_id, o.follow_up_id, o.municipality_id, o.delregion): o for o in existing}
    new, changed, errors, now = [], [], [], timezone.now()
    for item in indicators:
        for outcome in item.outcomes.values():
            key = (item.instance.pk, outcome.follow_up.pk, getattr(outcome.municipality, "pk", None), outcome.delregion)
            instance = by_key.get(key) or Outcome(
                indicator=item.instance,
                follow_up=outcome.follow_up,
                municipality=outcome.municipality,
                delregion=outcome.delregion,
            )
            values = {name: getattr(outcome, name) for name in ("value", "numerator", "denominator", "text")}
            values["text"] = values["text"] or instance.text  # an empty cell does not erase a comment
            if instance.pk and all(getattr(instance, name) == value for name, value in values.items()):
                continue  # the same outcome again: no new version
            (changed if instance.pk else new).append(instance)
            for name, value in values.items():
                setattr(instance, name, value)
            instance.recorded_by, instance.recorded_at = user, now
            _plan_validate(instance, outcome.row, errors)
    _bulk_save(
        Outcome,
        new,
        changed,
        ["value", "numerator", "denominator", "text", "recorded_by", "recorded_at"],
        user=user,
        errors=errors,
        dry_run=dry_run,
    )
    counts["outcomes"] = len(new) + len(changed)
    return counts


PLAN_INDICATOR_FIELDS = (
    "unit_of_measure",
    "direction",
    "baseline",
    "target",
    "target_text",
    "is_share",
    "dimension",
)
