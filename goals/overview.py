"""The goals panel of the översikt: goal fulfilment per inriktningsmål, a mätetal's trend over
the years, the municipalities' ranking and the units still to report. Registered in apps.py; drawn
by templates/goals/overview_panel.html inside the frame of federation.overview."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from federation.models import FollowUp, Unit
from federation.status import Tone

from .models import Assessment, DirectionGoal, Indicator, Outcome, Status, Submission
from .reminders import unassessed_counts
from .selectors import latest_follow_up

# The goal statuses the bars show, in order; the rest are counted as "övriga".
BAR_STATUSES = [Status.MET, Status.PARTLY_MET, Status.NOT_MET, Status.IN_PROGRESS]
# Mätetal whose trend across years the page shows (series keys, see fixtures/goals/).
TREND_SERIES = "navet-elever-teman"
RANKING_SERIES = "sn-ranking-foretagsklimat"


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


def overview_context(*, fiscal_year, on: datetime.date, user) -> dict:
    """The panel's variables for ``fiscal_year`` on ``on``."""
    follow_up, goal_bars = goal_status_bars(fiscal_year=fiscal_year)
    report_follow_up, reporting = units_to_report(on=on)
    return {
        "goal_follow_up": follow_up,
        "goal_bars": goal_bars,
        "trend": indicator_trend(),
        "ranking": ranking_comparison(),
        "report_follow_up": report_follow_up,
        "reporting": reporting,
    }
