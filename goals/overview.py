"""The goals panel of the översikt: goal fulfilment per inriktningsmål, a mätetal's trend over
the years, the municipalities' ranking and the units still to report. Registered in apps.py; drawn
by templates/goals/overview_panel.html inside the frame of federation.overview."""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Subquery, Value
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from federation.models import FollowUp, Unit
from federation.status import Tone

from .models import Assessment, DirectionGoal, Indicator, Outcome, Status, Submission
from .reminders import unassessed_counts
from .selectors import waiting_per_follow_up
from .tables import badge

# The goal statuses the bars show, in order; the rest are counted as "övriga".
BAR_STATUSES = [Status.MET, Status.PARTLY_MET, Status.NOT_MET, Status.IN_PROGRESS]
# Mätetal whose trend across years the page shows (series keys, see fixtures/goals/).
TREND_SERIES = "navet-elever-teman"
RANKING_SERIES = "sn-ranking-foretagsklimat"


@dataclass(frozen=True)
class BarWords:
    """The bars' words and badges as text, made once per language rather than once per bar (the lazy
    labels' translation was a noticeable part of a page with a bar per inriktningsmål)."""

    statuses: list  # (status, label, tone) for BAR_STATUSES, in order
    other: tuple  # ("other", label, tone) for the rest
    escaped: dict  # label -> the label escaped for HTML
    badges: dict  # status value -> the own assessment's badge, as ``{% status_badge %}`` draws it


@functools.lru_cache(maxsize=8)
def bar_words(language: str | None) -> BarWords:
    statuses = [(status, str(status.label), str(status.tone)) for status in BAR_STATUSES]
    other = ("other", _("Övriga"), str(Tone.GREY))
    labels = [label for _status, label, _tone in statuses] + [other[1]]
    badges = {
        status.value: format_html('<span class="status status-{}">{}</span>\n', str(status.tone), status.label)
        for status in Status
    }
    return BarWords(statuses, other, {label: escape(label) for label in labels}, badges)


@dataclass
class GoalBar:
    goal: DirectionGoal
    own_status: str = ""
    counts: dict = field(default_factory=dict)
    other: int = 0

    @property
    def total(self):
        return sum(self.counts.values()) + self.other

    @cached_property
    def words(self) -> BarWords:
        return bar_words(get_language())

    @cached_property
    def segments(self) -> list[tuple]:
        """(status, label, tone, count, x %, width %) for the stacked bar (read once the counts are in)."""
        segments, x = [], 0.0
        total = self.total or 1
        for status, label, tone in self.words.statuses:
            count = self.counts.get(status, 0)
            width = 100 * count / total
            segments.append((status, label, tone, count, round(x, 2), round(width, 2)))
            x += width
        if self.other:
            status, label, tone = self.words.other
            segments.append((status, label, tone, self.other, round(x, 2), round(100 * self.other / total, 2)))
        return segments

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

    @property
    def url(self):
        return f"{_item_url_prefix()}{self.goal.pk}/"

    @cached_property
    def row(self):
        """The bar's table row, written here rather than by the template: a page has a bar per inriktningsmål
        (70 at ten times the 2019 volume), and the template's variables, loops and badge per bar were most of
        the översikt's rendering time."""
        rects = format_html_join(
            "",
            '<rect x="{}" y="0" width="{}" height="8" class="seg seg-{}{}"><title>{}: {}</title></rect>',
            (
                (x, width, tone, " seg-progress" if status == Status.IN_PROGRESS else "", label, count)
                for status, label, tone, count, x, width in self.visible_segments
            ),
        )
        own = self.words.badges[self.own_status] if self.own_status else BAR_NOT_ASSESSED
        return format_html(BAR_ROW, self.url, self.goal.title, self.summary, rects, self.summary, own)


BAR_NOT_ASSESSED = format_html('<span class="muted">{}</span>', "Ej bedömt")
BAR_ROW = (
    '<tr><th scope="row"><a href="{}">{}</a></th><td><svg viewBox="0 0 100 8" preserveAspectRatio="none"'
    ' class="stacked-bar" role="img" aria-label="{}">{}</svg>\n<span class="small">{}</span></td><td>{}</td></tr>\n'
)


@functools.cache
def _item_url_prefix():
    """The inriktningsmål page's address but its number; reverse() once, not once per bar."""
    return reverse("goals:item", args=["inriktningsmal", 0]).removesuffix("0/")


def year_follow_ups() -> list[FollowUp]:
    """Every follow-up with its year, by due date, each marked ``assessed`` when it has any assessment: read
    once for the panel (there are two or three a year)."""
    return list(
        FollowUp.objects.select_related("fiscal_year")
        .annotate(assessed=Exists(Assessment.objects.filter(follow_up=OuterRef("pk"))))
        .order_by("due_date", "pk")
    )


def goal_follow_up(follow_ups: list[FollowUp], *, fiscal_year) -> FollowUp | None:
    """The rule of ``goals.selectors.latest_follow_up``, on the follow-ups already read: the year's latest
    follow-up with any assessment, else its last one."""
    own = sorted(
        (f for f in follow_ups if f.fiscal_year_id == fiscal_year.pk), key=lambda f: f.period_end, reverse=True
    )
    return next((f for f in own if f.assessed), own[0] if own else None)


def goal_status_bars(*, fiscal_year, follow_up: FollowUp | None) -> list[GoalBar]:
    """Per inriktningsmål: its own assessment and its strategies' and activities' statuses at ``follow_up``."""
    goals = DirectionGoal.objects.filter(fiscal_year=fiscal_year, unit__isnull=True).order_by("order", "pk")
    goals = list(goals.only("title"))  # what a bar shows (not the descriptions)
    bars = {goal.pk: GoalBar(goal) for goal in goals}
    if follow_up is None:
        return list(bars.values())
    # One query in three parts: the goals' own assessments, and the strategies' and the activities' counted
    # per inriktningsmål, each part joined only to the year's strategies or activities (one query joining
    # every strategy and activity of every year to the follow-up's assessments cost the database more).
    assessed = Assessment.objects.filter(follow_up=follow_up).order_by()

    def counted(query, goal):
        own = Value(goal == "direction_goal_id")
        return query.annotate(own=own).values_list("own", goal, "status").annotate(n=Count("pk"))

    rows = counted(assessed.filter(direction_goal__isnull=False), "direction_goal_id").union(
        counted(assessed.filter(strategy__fiscal_year=fiscal_year), "strategy__direction_goal_id"),
        counted(assessed.filter(activity__fiscal_year=fiscal_year), "activity__strategy__direction_goal_id"),
        all=True,
    )
    for own, goal, status, count in rows:
        if own:
            if goal in bars:
                bars[goal].own_status = status
            continue
        bar = bars.get(goal)
        if bar is None:
            continue
        if status in BAR_STATUSES:
            bar.counts[Status(status)] = bar.counts.get(Status(status), 0) + count
        else:
            bar.other += count
    return list(bars.values())


def indicator_trend(series: str = TREND_SERIES, *, up_to: int | None = None) -> dict | None:
    """Target and outcome per year of one mätetal series (e.g. Navet's elever på teman 2013 vs 2019), up to
    the year ``up_to`` when given (the year the översikt shows)."""
    latest_outcome = (
        Outcome.objects.filter(indicator=OuterRef("pk"), municipality__isnull=True, delregion="")
        .order_by("-follow_up__period_end", "-pk")  # the latest period of the year wins
        .values("value")[:1]
    )
    indicators = list(
        Indicator.objects.filter(series=series, **({"fiscal_year__year__lte": up_to} if up_to else {}))
        .annotate(latest_outcome=Subquery(latest_outcome))
        .order_by("fiscal_year__year")
        .values_list("pk", "name", "fiscal_year__year", "target", "latest_outcome")
    )
    if not indicators:
        return None
    points = [{"year": year, "target": target, "outcome": outcome} for _pk, _name, year, target, outcome in indicators]
    top = max([float(p["target"] or 0) for p in points] + [float(p["outcome"] or 0) for p in points]) or 1
    for index, point in enumerate(points):
        point["y"] = index * 22
        point["target_pct"] = round(100 * float(point["target"] or 0) / top, 1)
        point["outcome_pct"] = round(100 * float(point["outcome"] or 0) / top, 1)
        point["target_text"] = floatformat(point["target"], "0g")
        point["outcome_text"] = floatformat(point["outcome"], "0g")
    # The chart's label, bars and table written here, not by three template loops over the points.
    label = "; ".join(f"{p['year']}: mål {p['target_text']}, utfall {p['outcome_text'] or 'saknas'}" for p in points)
    bars = format_html_join(
        "",
        TREND_BARS,
        ((p["y"], p["target_pct"], p["year"], p["y"] + 9, p["outcome_pct"], p["year"]) for p in points),
    )
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td></tr>',
        ((p["year"], p["target_text"], p["outcome_text"] or "–") for p in points),
    )
    last_pk, last_name = indicators[-1][:2]
    return {
        "name": last_name,
        "url": reverse("goals:indicator", args=[last_pk]),
        "points": points,
        "height": 22 * len(points),
        "label": label,
        "bars": bars,
        "rows": rows,
    }


TREND_BARS = (
    '<rect x="0" y="{}" width="{}" height="8" class="bar-target"><title>Mål {}</title></rect>'
    '<rect x="0" y="{}" width="{}" height="8" class="bar-outcome"><title>Utfall {}</title></rect>'
)


def ranking_comparison(series: str = RANKING_SERIES) -> dict | None:
    """Per kommun, the ranking in each year the series has (lower is better)."""
    outcomes = list(
        Outcome.objects.filter(indicator__series=series, municipality__isnull=False)
        .order_by("municipality__name", "follow_up__period_end")
        .values_list("municipality__name", "follow_up__fiscal_year__year", "value", "indicator__name")
    )
    if not outcomes:
        return None
    years = sorted({year for _name, year, _value, _indicator in outcomes})
    by_municipality: dict[str, dict] = defaultdict(dict)
    for name, year, value, _indicator in outcomes:
        by_municipality[name][year] = value
    worst = max(float(value or 0) for _name, _year, value, _indicator in outcomes) or 1
    rows = []
    for name, values in by_municipality.items():
        cells = []
        for year in years:
            value = values.get(year)
            cells.append({"year": year, "value": value, "pct": round(100 * float(value or 0) / worst, 1)})
        first, last = values.get(years[0]), values.get(years[-1])
        change = None if first is None or last is None else int(first - last)
        rows.append({"name": name, "cells": cells, "change": change, "html": _ranking_row(name, cells, change)})
    return {"name": outcomes[-1][3], "years": years, "rows": rows}


RANKING_CELL = (
    '<td><svg viewBox="0 0 100 6" preserveAspectRatio="none" class="mini-bar" aria-hidden="true">'
    '<rect x="0" y="0" width="{}" height="6"/></svg><span class="num">{}</span></td>'
)


def _ranking_row(name, cells, change):
    """A kommun's row of the ranking table (written here, not by a template loop per cell)."""
    if change is None:
        change_html = "–"
    elif change:
        change_html = format_html("{}\n", badge("green" if change > 0 else "red", f"{change:+d}"))
    else:
        change_html = "±0"
    return format_html(
        '<tr><th scope="row">{}</th>{}<td class="num">{}</td></tr>\n',
        name,
        format_html_join("", RANKING_CELL, ((cell["pct"], floatformat(cell["value"], "0") or "–") for cell in cells)),
        change_html,
    )


def report_follow_up(follow_ups: list[FollowUp], *, on: datetime.date) -> FollowUp | None:
    """The next follow-up due from ``on``, else the last one due before it (``follow_ups`` by due date)."""
    return next((f for f in follow_ups if f.due_date >= on), follow_ups[-1] if follow_ups else None)


def units_to_report(follow_up: FollowUp | None) -> list[dict]:
    """Before ``follow_up``'s date: each unit's count of items still without an assessment, and whether the
    unit has submitted."""
    if follow_up is None:
        return []
    counts = unassessed_counts(follow_up)
    units = (
        Unit.objects.filter(pk__in=counts)
        .annotate(submitted=Exists(Submission.objects.reported().filter(follow_up=follow_up, unit=OuterRef("pk"))))
        .order_by("order", "name")
    )
    submitted = {
        True: format_html("{}\n", badge("green", _("Inskickad"))),
        False: format_html("{}\n", badge("yellow", _("Ej inskickad"))),
    }
    return [
        {"unit": unit, "count": counts[unit.pk], "submitted": unit.submitted, "badge": submitted[unit.submitted]}
        for unit in units
    ]


def overview_context(*, fiscal_year, on: datetime.date, user) -> dict:
    """The panel's variables for ``fiscal_year`` on ``on``."""
    follow_ups = year_follow_ups()
    follow_up = goal_follow_up(follow_ups, fiscal_year=fiscal_year)
    # The chosen year's own follow-ups: the next one due from today, else its last.
    reported = report_follow_up([f for f in follow_ups if f.fiscal_year_id == fiscal_year.pk], on=on)
    return {
        "goal_follow_up": follow_up,
        "goal_bars": goal_status_bars(fiscal_year=fiscal_year, follow_up=follow_up),
        "trend": indicator_trend(up_to=fiscal_year.year),
        "ranking": ranking_comparison(),
        "report_follow_up": reported,
        "reporting": units_to_report(reported),
        "waiting": waiting_per_follow_up(),
    }
