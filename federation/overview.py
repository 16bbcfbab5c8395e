"""Översikt: where the year stands, as plain data for the start page.

Read-only queries only, each a constant number of queries whatever the number
of rows. Every figure is returned as numbers (for the tables beside the charts)
and the template draws the charts from the same numbers."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from federation.models import FiscalYear, FollowUp, Unit
from federation.status import Tone
from goals.models import Assessment, DirectionGoal, Indicator, Outcome, Status, Submission
from goals.reminders import unassessed_counts
from goals.selectors import latest_follow_up
from internalcontrol.models import (
    CONSEQUENCE_LABELS,
    LIKELIHOOD_LABELS,
    Action,
    Check,
    ControlPlan,
    Risk,
    risk_tone,
)

TIMELINE_SHOWN = 6  # checks listed per month on the översikt; the rest are counted
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
# The goal statuses the bars show, in order; the rest are counted as "övriga".
BAR_STATUSES = [Status.MET, Status.PARTLY_MET, Status.NOT_MET, Status.IN_PROGRESS]
# Mätetal whose trend across years the page shows (series keys, see fixtures/goals/).
TREND_SERIES = "navet-elever-teman"
RANKING_SERIES = "sn-ranking-foretagsklimat"


def reference_date(fiscal_year: FiscalYear, today: datetime.date) -> datetime.date:
    """The day the overview speaks of: today within the year, else the year's last (or first) day."""
    return min(max(today, fiscal_year.start), fiscal_year.end)


# --- Internal control -------------------------------------------------------------------


def control_progress(*, plan, on: datetime.date) -> dict:
    """Checks of the plan: planned, done (with remark), open and overdue on ``on``, due within 30 days."""
    soon = on + datetime.timedelta(days=30)
    counts = Check.objects.filter(control_point__area__plan=plan).aggregate(
        planned=Count("pk"),
        done=Count("pk", filter=Q(performed_on__isnull=False)),
        remark=Count("pk", filter=Q(result=Check.Result.REMARK)),
        not_done=Count("pk", filter=Q(result=Check.Result.NOT_DONE)),
        overdue=Count("pk", filter=Q(performed_on__isnull=True, due_date__lt=on)),
        due_soon=Count("pk", filter=Q(performed_on__isnull=True, due_date__gte=on, due_date__lte=soon)),
    )
    counts["open"] = counts["planned"] - counts["done"]
    counts["percent_done"] = round(100 * counts["done"] / counts["planned"]) if counts["planned"] else 0
    return counts


@dataclass
class HeatCell:
    likelihood: int
    consequence: int
    count: int
    tone: str
    word: str


def risk_heat_map(*, plan) -> dict:
    """Risks per sannolikhet × konsekvens: rows from 4 (top) to 1, columns 1 to 4."""
    counts = Counter(
        {
            (row["likelihood"], row["consequence"]): row["n"]
            for row in Risk.objects.filter(plan=plan).values("likelihood", "consequence").annotate(n=Count("pk"))
        }
    )
    rows = []
    for likelihood in range(4, 0, -1):
        cells = []
        for consequence in range(1, 5):
            tone, word = risk_tone(likelihood * consequence)
            cells.append(HeatCell(likelihood, consequence, counts[(likelihood, consequence)], str(tone), str(word)))
        rows.append({"likelihood": likelihood, "label": LIKELIHOOD_LABELS[likelihood], "cells": cells})
    return {
        "rows": rows,
        "consequences": [(value, CONSEQUENCE_LABELS[value]) for value in range(1, 5)],
        "total": sum(counts.values()),
    }


def checks_timeline(*, plan, on: datetime.date, months: int = 4, shown: int = TIMELINE_SHOWN) -> list[dict]:
    """Open checks due from ``on`` over the coming months, grouped by month: each month's count and its first
    ``shown`` checks (the only ones read whole, so the card costs the same however many checks are due)."""
    end_month = (on.month - 1 + months) % 12 + 1
    end_year = on.year + (on.month - 1 + months) // 12
    until = datetime.date(end_year, end_month, 1)
    due = Check.objects.filter(
        control_point__area__plan=plan, performed_on__isnull=True, due_date__gte=on, due_date__lt=until
    ).order_by("due_date", "control_point__area__number", "control_point__order", "pk")
    counts, first_ids = defaultdict(int), []
    for pk, due_date in due.values_list("pk", "due_date"):
        key = (due_date.year, due_date.month)
        counts[key] += 1
        if counts[key] <= shown:
            first_ids.append(pk)
    by_month = defaultdict(list)
    for check in due.filter(pk__in=first_ids).select_related("control_point__area", "control_point__responsible_role"):
        by_month[(check.due_date.year, check.due_date.month)].append(check)
    timeline = []
    year, month = on.year, on.month
    for _step in range(months):
        key = (year, month)
        timeline.append(
            {
                "label": f"{MONTHS[month - 1]} {year}",
                "checks": by_month[key],
                "count": counts[key],
                "more": counts[key] - len(by_month[key]),
            }
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return timeline


def open_actions(*, plan, limit: int = 10) -> list:
    """Åtgärder still open for avvikelser in this plan (or carried into it), earliest deadline first."""
    return list(
        Action.objects.open()
        .filter(control_point__area__plan=plan)
        .select_related("responsible", "control_point__area", "deviation")
        .order_by("deadline", "pk")[:limit]
    )


# --- Goals ------------------------------------------------------------------------------


@dataclass
class GoalBar:
    goal: DirectionGoal
    own_status: str = ""
    counts: dict = field(default_factory=dict)
    other: int = 0

    @property
    def total(self):
        return sum(self.counts.values()) + self.other

    @property
    def segments(self):
        """(status, label, tone, count, x %, width %) for the stacked bar."""
        x = 0.0
        total = self.total or 1
        for status in BAR_STATUSES:
            count = self.counts.get(status, 0)
            width = 100 * count / total
            yield status, status.label, str(status.tone), count, round(x, 2), round(width, 2)
            x += width
        if self.other:
            yield "other", _("Övriga"), str(Tone.GREY), self.other, round(x, 2), round(100 * self.other / total, 2)

    @cached_property
    def visible_segments(self):
        return [segment for segment in self.segments if segment[3]]

    @cached_property
    def summary(self):
        """The bar in words ("Uppfyllt 3 · Pågår 2"): its label and the line under it."""
        return " · ".join(f"{label} {count}" for _status, label, _tone, count, _x, _width in self.visible_segments)

    @property
    def own_label(self):
        return Status(self.own_status).label if self.own_status else ""

    @property
    def own_tone(self):
        return str(Status(self.own_status).tone) if self.own_status else str(Tone.GREY)


def goal_status_bars(*, fiscal_year) -> tuple[FollowUp | None, list[GoalBar]]:
    """Per inriktningsmål: its own assessment and its strategies' and activities' statuses at the latest follow-up."""
    follow_up = latest_follow_up(fiscal_year=fiscal_year)
    goals = list(DirectionGoal.objects.filter(fiscal_year=fiscal_year, unit__isnull=True).order_by("order", "pk"))
    bars = {goal.pk: GoalBar(goal) for goal in goals}
    if follow_up is None:
        return None, list(bars.values())
    rows = Assessment.objects.filter(follow_up=follow_up).values_list(
        "direction_goal_id", "strategy__direction_goal_id", "activity__strategy__direction_goal_id", "status"
    )
    for own_goal, strategy_goal, activity_goal, status in rows:
        if own_goal in bars:
            bars[own_goal].own_status = status
            continue
        bar = bars.get(strategy_goal or activity_goal)
        if bar is None:
            continue
        if status in BAR_STATUSES:
            bar.counts[Status(status)] = bar.counts.get(Status(status), 0) + 1
        else:
            bar.other += 1
    return follow_up, list(bars.values())


def indicator_trend(series: str = TREND_SERIES) -> dict | None:
    """Target and outcome per year of one mätetal series (e.g. Navet's elever på teman 2013 vs 2019)."""
    indicators = list(
        Indicator.objects.filter(series=series).select_related("fiscal_year").order_by("fiscal_year__year")
    )
    if not indicators:
        return None
    outcomes = {}
    for outcome in (
        Outcome.objects.filter(indicator__in=indicators, municipality__isnull=True, delregion="")
        .select_related("follow_up")
        .order_by("follow_up__period_end")
    ):
        outcomes[outcome.indicator_id] = outcome.value  # the latest period of the year wins
    points = [
        {"year": indicator.fiscal_year.year, "target": indicator.target, "outcome": outcomes.get(indicator.pk)}
        for indicator in indicators
    ]
    top = max([float(p["target"] or 0) for p in points] + [float(p["outcome"] or 0) for p in points]) or 1
    for index, point in enumerate(points):
        point["y"] = index * 22
        point["target_pct"] = round(100 * float(point["target"] or 0) / top, 1)
        point["outcome_pct"] = round(100 * float(point["outcome"] or 0) / top, 1)
    return {"name": indicators[-1].name, "indicator": indicators[-1], "points": points, "height": 22 * len(points)}


def ranking_comparison(series: str = RANKING_SERIES) -> dict | None:
    """Per kommun, the ranking in each year the series has (lower is better)."""
    outcomes = list(
        Outcome.objects.filter(indicator__series=series, municipality__isnull=False)
        .select_related("municipality", "follow_up__fiscal_year", "indicator")
        .order_by("municipality__name", "follow_up__period_end")
    )
    if not outcomes:
        return None
    years = sorted({outcome.follow_up.fiscal_year.year for outcome in outcomes})
    by_municipality: dict[str, dict] = defaultdict(dict)
    for outcome in outcomes:
        by_municipality[outcome.municipality.name][outcome.follow_up.fiscal_year.year] = outcome.value
    worst = max(float(outcome.value or 0) for outcome in outcomes) or 1
    rows = []
    for name, values in by_municipality.items():
        cells = []
        for year in years:
            value = values.get(year)
            cells.append({"year": year, "value": value, "pct": round(100 * float(value or 0) / worst, 1)})
        first, last = values.get(years[0]), values.get(years[-1])
        change = None if first is None or last is None else int(first - last)
        rows.append({"name": name, "cells": cells, "change": change})
    return {"name": outcomes[-1].indicator.name, "indicator": outcomes[-1].indicator, "years": years, "rows": rows}


def units_to_report(*, on: datetime.date) -> tuple[FollowUp | None, list[dict]]:
    """Before the next follow-up date: each unit's count of items still without an assessment."""
    follow_up = (
        FollowUp.objects.filter(due_date__gte=on).select_related("fiscal_year").order_by("due_date").first()
        or FollowUp.objects.filter(due_date__lt=on).select_related("fiscal_year").order_by("-due_date").first()
    )
    if follow_up is None:
        return None, []
    counts = unassessed_counts(follow_up)
    submitted = set(Submission.objects.filter(follow_up=follow_up).values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=counts).select_related("lead_role").order_by("order", "name")
    return follow_up, [{"unit": unit, "count": counts[unit.pk], "submitted": unit.pk in submitted} for unit in units]


def year_overview(*, fiscal_year: FiscalYear, today: datetime.date) -> dict:
    on = reference_date(fiscal_year, today)
    plan = ControlPlan.objects.for_year(fiscal_year.year)
    follow_up, goal_bars = goal_status_bars(fiscal_year=fiscal_year)
    report_follow_up, reporting = units_to_report(on=on)
    context = {
        "on": on,
        "plan": plan,
        "goal_follow_up": follow_up,
        "goal_bars": goal_bars,
        "trend": indicator_trend(),
        "ranking": ranking_comparison(),
        "report_follow_up": report_follow_up,
        "reporting": reporting,
    }
    if plan is not None:
        context.update(
            progress=control_progress(plan=plan, on=on),
            heat_map=risk_heat_map(plan=plan),
            timeline=checks_timeline(plan=plan, on=on),
            actions=open_actions(plan=plan),
        )
    return context
