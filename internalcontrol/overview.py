"""The internal control panel of the översikt: control progress, the risk heat map, the checks
coming due and the open åtgärder of the year's plan. Registered in apps.py; drawn by
templates/internalcontrol/overview_panel.html inside the frame of federation.overview."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.urls import reverse

from federation import dates
from federation.tables import PageUrls

from .models import SCALE_LABELS, Action, Check, ControlPlan, Risk, risk_tone

TIMELINE_SHOWN = 6  # checks listed per month on the översikt; the rest are counted
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


# What the panel shows of CheckQuerySet.summary (open and percent_done follow from planned and done).
PROGRESS_COUNTS = ("planned", "done", "remark", "overdue", "due", "due_soon")


def control_progress(*, plan, on: datetime.date, rules=None) -> dict:
    """Checks of the plan: planned, done (with remark), open, and overdue, due and due soon on ``on``."""
    return Check.objects.filter(control_point__area__plan=plan).summary(on=on, rules=rules, only=PROGRESS_COUNTS)


@dataclass
class HeatCell:
    likelihood: int
    consequence: int
    count: int
    tone: str
    word: str
    url: str = ""  # the cell's risks, when it has any


def risk_heat_map(*, plan) -> dict:
    """Risks per sannolikhet × konsekvens on the plan's risk scale: rows from the top value down to 1,
    columns 1 up to it."""
    counts = Counter(
        {
            (row["likelihood"], row["consequence"]): row["n"]
            for row in Risk.objects.filter(plan=plan).values("likelihood", "consequence").annotate(n=Count("pk"))
        }
    )
    risks = f"{reverse('internalcontrol:risks')}?year={plan.fiscal_year.year}"  # reversed once, not per cell
    rows = []
    scale, labels = plan.risk_scale, SCALE_LABELS[plan.risk_scale]
    for likelihood in range(scale, 0, -1):
        cells = []
        for consequence in range(1, scale + 1):
            tone, word = risk_tone(likelihood * consequence, scale)
            count = counts[(likelihood, consequence)]
            url = f"{risks}&sannolikhet={likelihood}&konsekvens={consequence}" if count else ""
            cells.append(HeatCell(likelihood, consequence, count, str(tone), str(word), url))
        rows.append({"likelihood": likelihood, "label": labels["likelihood"][likelihood], "cells": cells})
    return {
        "rows": rows,
        "consequences": [(value, labels["consequence"][value]) for value in range(1, scale + 1)],
        "total": sum(counts.values()),
    }


@dataclass
class TimelineCheck:
    """A check as the timeline card shows it."""

    pk: int
    due_date: datetime.date
    area_number: int
    area_name: str
    role: str
    url: str


def checks_timeline(*, plan, on: datetime.date, months: int = 4, shown: int = TIMELINE_SHOWN) -> list[dict]:
    """Open checks due from ``on`` over the coming months, grouped by month: each month's count and its first
    ``shown`` checks (one query: the database numbers and counts each month's checks and returns only the
    first ``shown``, so the card costs the same however many checks are due; read as values, only what the
    card shows)."""
    end_month = (on.month - 1 + months) % 12 + 1
    end_year = on.year + (on.month - 1 + months) // 12
    until = datetime.date(end_year, end_month, 1)
    month = [TruncMonth("due_date")]
    order = ["due_date", "control_point__area__number", "control_point__order", "pk"]
    first = (
        Check.objects.filter(
            control_point__area__plan=plan, performed_on__isnull=True, due_date__gte=on, due_date__lt=until
        )
        .annotate(
            place=Window(RowNumber(), partition_by=month, order_by=order),
            month_count=Window(Count("pk"), partition_by=month),
        )
        .filter(place__lte=shown)
        .order_by(*order)
        .values_list(
            "pk",
            "due_date",
            "month_count",
            "control_point__area__number",
            "control_point__area__name",
            "control_point__responsible_role__name",
        )
    )
    by_month, counts = defaultdict(list), {}
    urls = PageUrls()
    for pk, due_date, month_count, area_number, area_name, role in first:
        key = (due_date.year, due_date.month)
        url = urls("internalcontrol:check-detail", pk)
        by_month[key].append(TimelineCheck(pk, due_date, area_number, area_name, role, url))
        counts[key] = month_count
    timeline = []
    year, month_number = on.year, on.month
    for _step in range(months):
        key = (year, month_number)
        count = counts.get(key, 0)
        timeline.append(
            {
                "label": f"{MONTHS[month_number - 1]} {year}",
                "checks": by_month[key],
                "count": count,
                "more": count - len(by_month[key]),
            }
        )
        year, month_number = (year + 1, 1) if month_number == 12 else (year, month_number + 1)
    return timeline


def open_actions(*, plan, on: datetime.date | None = None, rules=None, limit: int = 10) -> list:
    """Åtgärder still open for avvikelser in this plan (or carried into it), earliest deadline first; with
    ``on``, each with ``due`` and ``due_tone`` (``federation.dates``), as every page shows them."""
    actions = list(
        Action.objects.open()
        .filter(control_point__area__plan=plan)
        .select_related("responsible", "control_point__area")
        .only(  # what the card shows
            "description",
            "deadline",
            "status",
            "control_point__area__number",
            "responsible__username",
            "responsible__first_name",
            "responsible__last_name",
        )
        .order_by("deadline", "pk")[:limit]
    )
    if on is not None:
        rules = rules or dates.due_rules()
        for action in actions:
            action.due = action.due_state(on, rules)
            action.due_tone = dates.due_words(action.due, due_date=action.deadline, on=on)[0]
    return actions


def overview_context(*, fiscal_year, on: datetime.date, user) -> dict:
    """The panel's variables: the year's plan and, when there is one, its figures on ``on``."""
    plan = ControlPlan.objects.for_year(fiscal_year.year)
    context = {"plan": plan}
    if plan is not None:
        rules = dates.due_rules()
        context.update(
            progress=control_progress(plan=plan, on=on, rules=rules),
            heat_map=risk_heat_map(plan=plan),
            timeline=checks_timeline(plan=plan, on=on),
            actions=open_actions(plan=plan, on=on, rules=rules),
        )
    return context
