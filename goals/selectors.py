"""Read-only queries for the goals pages, the report and the reminders."""

import dataclasses
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from federation import dates
from federation.models import FiscalYear, FollowUp

from .models import Activity, Assessment, DirectionGoal, Indicator, Outcome, Strategy, Submission


def latest_follow_up(*, fiscal_year: FiscalYear) -> FollowUp | None:
    """The latest follow-up of the year that has any assessment, else the year's last follow-up."""
    follow_ups = FollowUp.objects.filter(fiscal_year=fiscal_year).order_by("-period_end")
    with_assessment = follow_ups.filter(
        pk__in=Assessment.objects.filter(follow_up__fiscal_year=fiscal_year).values("follow_up")
    ).first()
    return with_assessment or follow_ups.first()


def fiscal_years_with_goal_flag() -> list[FiscalYear]:
    """Every fiscal year, newest first, each with ``has_goals`` (one query, for a year select and its default)."""
    return list(
        FiscalYear.objects.annotate(
            has_goals=Exists(DirectionGoal.objects.filter(fiscal_year=OuterRef("pk")))
        ).order_by("-year")
    )


def default_year(years: list[FiscalYear]) -> FiscalYear | None:
    """The year in progress (``federation.dates.year_in_progress``) when it has goals, else the latest year
    with goals that has started, else the latest with goals, else the year in progress; ``years`` from
    ``fiscal_years_with_goal_flag``. Next year's goals, copied in December, do not replace this year's."""
    current = dates.year_in_progress(years=years)
    if current is None or current.has_goals:
        return current
    with_goals = [year for year in years if year.has_goals]
    started = [year for year in with_goals if year.start <= current.start]
    return (started or with_goals or [current])[0]


def follow_ups_with_latest(*, fiscal_year: FiscalYear) -> tuple[list[FollowUp], FollowUp | None]:
    """The year's follow-ups, and among them what ``latest_follow_up`` gives, in one query."""
    follow_ups = list(
        FollowUp.objects.filter(fiscal_year=fiscal_year)
        .select_related("fiscal_year")
        .annotate(assessed=Exists(Assessment.objects.filter(follow_up=OuterRef("pk"))))
    )
    by_end = sorted(follow_ups, key=lambda follow_up: follow_up.period_end, reverse=True)
    current = next((follow_up for follow_up in by_end if follow_up.assessed), by_end[0] if by_end else None)
    return follow_ups, current


def _with_latest(item, follow_up=None):
    assessments = item.assessment_list
    if follow_up is not None:
        assessments = [a for a in assessments if a.follow_up_id == follow_up.pk]
    item.latest = assessments[-1] if assessments else None
    item.latest_status = item.latest.status if item.latest else ""
    return item


def outcomes_attach(indicators) -> None:
    """Sets each mätetal's ``outcome_list`` (its outcomes in period order), in one query for all of them."""
    by_pk = {indicator.pk: indicator for indicator in indicators}
    for indicator in indicators:
        indicator.outcome_list = []
    if not by_pk:
        return
    outcomes = (
        Outcome.objects.filter(indicator__in=list(by_pk))
        .select_related("follow_up__fiscal_year", "municipality")
        .order_by("follow_up__period_end", "municipality__name", "delregion")
    )
    for outcome in outcomes:
        outcome.indicator = by_pk[outcome.indicator_id]  # as a prefetch would: no query for outcome.indicator
        outcome.indicator.outcome_list.append(outcome)


def _attach(rows, list_name, *owners):
    """Each row to the first of its owners it has (an activity before a strategy before a goal): the owner
    read already is set on the row, and the row appended to the owner's ``list_name``."""
    for row in rows:
        for field, owner_by_pk in owners:
            owner_id = getattr(row, f"{field}_id")
            if owner_id:
                owner = owner_by_pk[owner_id]
                setattr(row, field, owner)
                getattr(owner, list_name).append(row)
                break


def _read_tree(goals_query, *, outcomes: bool, activity_unit=None, follow_ups=None):
    """The goals of ``goals_query`` with their strategies, activities, mätetal (and outcomes) and assessments.

    Six queries (seven with the outcomes) however many rows: the goals, their strategies, the strategies'
    units, the activities, the mätetal of both strategies and activities at once, their outcomes, and the
    assessments of all three levels at once. The children are set as lists (``strategy_list``,
    ``activity_list``, ``indicator_list``, ``outcome_list``, ``assessment_list``). ``activity_unit`` reads
    only that unit's activities; ``follow_ups`` (the year's, already read) are set on the assessments instead
    of being read with them."""
    goals = list(goals_query.select_related("unit", "fiscal_year").order_by("order", "pk"))
    goal_by_pk = {goal.pk: goal for goal in goals}
    for goal in goals:
        goal.strategy_list, goal.assessment_list = [], []
    strategies = (
        list(
            Strategy.objects.filter(direction_goal__in=list(goal_by_pk))
            .order_by("order", "pk")
            .prefetch_related("units")
        )
        if goals
        else []
    )
    strategy_by_pk = {strategy.pk: strategy for strategy in strategies}
    for strategy in strategies:
        strategy.activity_list, strategy.indicator_list, strategy.assessment_list = [], [], []
        strategy.direction_goal = goal_by_pk[strategy.direction_goal_id]  # as a prefetch would set it
        strategy.direction_goal.strategy_list.append(strategy)
    activities = Activity.objects.filter(strategy__in=list(strategy_by_pk))
    if activity_unit is not None:
        activities = activities.filter(unit=activity_unit)
    else:
        activities = activities.select_related("unit")
    activities = list(activities.order_by("order", "pk")) if strategies else []
    if activity_unit is not None:
        for activity in activities:
            activity.unit = activity_unit  # the unit given, not joined again on every row
    activity_by_pk = {activity.pk: activity for activity in activities}
    for activity in activities:
        activity.indicator_list, activity.assessment_list = [], []
        activity.strategy = strategy_by_pk[activity.strategy_id]
        activity.strategy.activity_list.append(activity)
    if not goals:
        return goals
    indicators = Indicator.objects.filter(Q(strategy__in=list(strategy_by_pk)) | Q(activity__in=list(activity_by_pk)))
    indicators = list(indicators.order_by("order", "pk")) if strategies else []
    _attach(indicators, "indicator_list", ("activity", activity_by_pk), ("strategy", strategy_by_pk))
    if outcomes:
        outcomes_attach(indicators)
    assessments = Assessment.objects.filter(
        Q(direction_goal__in=list(goal_by_pk))
        | Q(strategy__in=list(strategy_by_pk))
        | Q(activity__in=list(activity_by_pk))
    ).order_by("follow_up__period_end", "pk")
    if follow_ups is None:
        assessments = assessments.select_related("follow_up__fiscal_year")
    else:
        follow_up_by_pk = {follow_up.pk: follow_up for follow_up in follow_ups}
        assessments = list(assessments)
        for assessment in assessments:
            if assessment.follow_up_id in follow_up_by_pk:  # (always: an assessment's follow-up is its year's)
                assessment.follow_up = follow_up_by_pk[assessment.follow_up_id]
    _attach(
        assessments,
        "assessment_list",
        ("activity", activity_by_pk),
        ("strategy", strategy_by_pk),
        ("direction_goal", goal_by_pk),
    )
    return goals


def goal_tree(
    fiscal_year: FiscalYear,
    unit=None,
    status: str | None = None,
    follow_up: FollowUp | None = None,
    goal_ids=None,
    outcomes: bool = True,
    activity_unit=None,
    follow_ups=None,
):
    """The year's inriktningsmål with strategies, activities, mätetal and outcomes, in a fixed number of queries.

    Each goal, strategy and activity gets ``latest`` (its latest assessment, or
    the one at ``follow_up``) and ``latest_status``; ``strategy_list``,
    ``activity_list``, ``indicator_list`` hold the children. ``unit`` keeps what
    that unit owns (and the goals and strategies above it); ``status`` keeps the
    items with that latest status (and their parents). ``goal_ids`` limits the
    inriktningsmål read (a page of the tree); ``outcomes=False`` leaves out the
    mätetal's outcomes (``outcome_list``) for a page that does not show them; ``activity_unit`` and
    ``follow_ups`` as for ``_read_tree``."""
    goals = DirectionGoal.objects.filter(fiscal_year=fiscal_year)
    if goal_ids is not None:
        goals = goals.filter(pk__in=goal_ids if isinstance(goal_ids, QuerySet) else list(goal_ids))
    goals = _read_tree(goals, outcomes=outcomes, activity_unit=activity_unit, follow_ups=follow_ups)
    unit_id = getattr(unit, "pk", unit)
    result = []
    for goal in goals:
        _with_latest(goal, follow_up)
        kept_strategies = []
        for strategy in goal.strategy_list:
            _with_latest(strategy, follow_up)
            # The strategy's units only when filtering by unit (a related manager per strategy costs).
            unit_owns = bool(unit_id) and any(u.pk == unit_id for u in strategy.units.all())
            for activity in strategy.activity_list:
                _with_latest(activity, follow_up)
            activities_kept = strategy.activity_list
            if unit_id and not unit_owns:
                activities_kept = [a for a in activities_kept if a.unit_id == unit_id]
            if status:
                activities_kept = [a for a in activities_kept if a.latest_status == status]
            strategy_matches = (not unit_id or unit_owns or activities_kept) and (
                not status or strategy.latest_status == status or activities_kept
            )
            strategy.activity_list = activities_kept
            if strategy_matches:
                kept_strategies.append(strategy)
        goal.strategy_list = kept_strategies
        goal_matches = (not unit_id or goal.unit_id == unit_id or kept_strategies) and (
            not status or goal.latest_status == status or kept_strategies
        )
        if goal_matches:
            result.append(goal)
    return result


def items_owned_by(*, unit, fiscal_year: FiscalYear, outcomes: bool = True, follow_ups=None) -> list:
    """Goals, strategies and activities that ``unit`` owns in the year (in tree order). ``outcomes=False``
    leaves the mätetal's ``outcome_list`` unset (a page reads them with ``outcomes_attach`` for its items);
    ``follow_ups``, the year's follow-ups already read, are set on the assessments."""
    items = []
    # Read only the inriktningsmål under which the unit owns something (not the whole year's tree).
    # One subquery per way of owning (not a join of all four, whose fan-out cost ~12 ms at ten times the volume).
    strategies = Strategy.objects.filter(fiscal_year=fiscal_year)
    goal_ids = DirectionGoal.objects.filter(fiscal_year=fiscal_year).filter(
        Q(unit=unit)
        | Q(pk__in=strategies.filter(Q(units=unit) | Q(plan_unit=unit)).values("direction_goal"))
        | Q(pk__in=Activity.objects.filter(fiscal_year=fiscal_year, unit=unit).values("strategy__direction_goal"))
    )
    goal_ids = goal_ids.values_list("pk", flat=True)
    tree = goal_tree(
        fiscal_year, unit=unit, goal_ids=goal_ids, outcomes=outcomes, activity_unit=unit, follow_ups=follow_ups
    )
    for goal in tree:
        if goal.unit_id == unit.pk:
            items.append(goal)
        for strategy in goal.strategy_list:
            if unit.pk in {u.pk for u in strategy.units.all()}:
                items.append(strategy)
            items += [a for a in strategy.activity_list if a.unit_id == unit.pk]
    return items


def items_without_assessment(*, follow_up: FollowUp, unit) -> list:
    """What ``unit`` owns in the follow-up's year that has no assessment for ``follow_up``."""
    goals = DirectionGoal.objects.filter(fiscal_year=follow_up.fiscal_year_id, unit=unit).exclude(
        assessments__follow_up=follow_up
    )
    strategies = Strategy.objects.filter(fiscal_year=follow_up.fiscal_year_id, units=unit).exclude(
        assessments__follow_up=follow_up
    )
    activities = Activity.objects.filter(fiscal_year=follow_up.fiscal_year_id, unit=unit).exclude(
        assessments__follow_up=follow_up
    )
    return [
        *goals.order_by("order"),
        *strategies.distinct().order_by("direction_goal__order", "order"),
        *activities.order_by("strategy__direction_goal__order", "strategy__order", "order"),
    ]


def indicator_series(indicator: Indicator):
    """All outcomes of the mätetal's series across years, oldest first."""
    return (
        Outcome.objects.filter(indicator__series=indicator.series)
        .select_related("indicator__fiscal_year", "follow_up__fiscal_year", "municipality")
        .order_by("follow_up__period_end", "municipality__name", "delregion")
    )


def assessment_history(target):
    """Every version of every assessment of ``target``, newest first."""
    field = {
        "OverallGoal": "overall_goal",
        "DirectionGoal": "direction_goal",
        "Strategy": "strategy",
        "Activity": "activity",
    }[type(target).__name__]
    return (
        Assessment.history.filter(**{f"{field}_id": target.pk})
        .select_related("history_user", "follow_up", "author")
        .order_by("-history_date")
    )


# --- Att godkänna: the förbundsdirektör's review of submitted follow-ups ------------------------------


def submissions_waiting():
    """Every follow-up a unit has submitted that waits for the förbundsdirektör, oldest period first."""
    return (
        Submission.objects.waiting()
        .with_related()
        .order_by("follow_up__period_end", "unit__order", "unit__name", "submitted_at")
    )


def submissions_sent_back():
    """Follow-ups sent back to their units and not yet submitted again, latest first."""
    return Submission.objects.filter(state=Submission.State.RETURNED).with_related().order_by("-returned_at")


def waiting_per_follow_up() -> list[dict]:
    """Per follow-up with anything waiting: ``follow_up`` (e.g. "Helår 2019", a string) and ``count`` (one query)."""
    rows = (
        Submission.objects.waiting()
        .order_by("follow_up__period_end")
        .values("follow_up_id", "follow_up__kind", "follow_up__fiscal_year__year", "follow_up__period_end")
        .annotate(count=Count("pk"))
    )
    return [
        {
            "follow_up": f"{FollowUp.Kind(row['follow_up__kind']).label} {row['follow_up__fiscal_year__year']}",
            "count": row["count"],
        }
        for row in rows
    ]


@dataclass
class ReviewRow:
    """One goal, strategy or activity of a submitted follow-up, beside the unit's previous follow-up."""

    item: object
    assessment: Assessment | None
    previous: Assessment | None
    indicators: list = dataclasses.field(default_factory=list)  # (indicator, outcomes now, outcomes at the previous)
    changed_since_return: bool = False

    @property
    def status_changed(self) -> bool:
        return (
            self.previous is not None and self.assessment is not None and self.previous.status != self.assessment.status
        )

    @property
    def text_changed(self) -> bool:
        return self.previous is not None and self.assessment is not None and self.previous.text != self.assessment.text


def submission_review(submission: Submission) -> tuple[list[ReviewRow], FollowUp | None]:
    """What the unit submitted: each item it owns with its assessment and outcomes at the follow-up, beside
    those of the unit's previous follow-up of the year (None for the year's first), and whether it was
    changed after the follow-up was last sent back. A fixed number of queries (``items_owned_by``)."""
    follow_up = submission.follow_up
    previous = (
        FollowUp.objects.filter(fiscal_year=follow_up.fiscal_year_id, period_end__lt=follow_up.period_end)
        .order_by("-period_end")
        .first()
    )
    rows = []
    for item in items_owned_by(unit=submission.unit, fiscal_year=follow_up.fiscal_year):
        by_follow_up = {a.follow_up_id: a for a in item.assessment_list}
        assessment = by_follow_up.get(follow_up.pk)
        indicators = [
            (
                indicator,
                [o for o in indicator.outcome_list if o.follow_up_id == follow_up.pk],
                [o for o in indicator.outcome_list if previous and o.follow_up_id == previous.pk],
            )
            for indicator in getattr(item, "indicator_list", [])
        ]
        returned_at = submission.returned_at
        changed = bool(
            returned_at
            and (
                (assessment and assessment.assessed_at > returned_at)
                or any(o.recorded_at > returned_at for _i, now, _p in indicators for o in now)
            )
        )
        rows.append(
            ReviewRow(
                item=item,
                assessment=assessment,
                previous=by_follow_up.get(previous.pk) if previous else None,
                indicators=indicators,
                changed_since_return=changed,
            )
        )
    return rows, previous
