"""Reminder provider: units whose goals, strategies or activities still lack an
assessment as a follow-up (delår, helår) approaches or has passed.

Registered in ``goals/apps.py`` (``federation.registry``). Works from state: a follow-up is reminded while it is within
``follow_up_lead_days`` ahead or past due, the unit has not submitted it and
something is still unassessed — so a missed sweep catches up."""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from federation.models import FollowUp, Unit
from federation.reminders import ReminderItem, Stage, escalation_reached, stage_reached

from .models import Activity, Assessment, DirectionGoal, Strategy, Submission

# Follow-ups whose due date passed longer ago than this are history, not reminders.
CATCH_UP_DAYS = 365


def unassessed_counts(follow_up) -> dict[int, int]:
    """Per unit id: how many of the unit's goals, strategies and activities lack an assessment at ``follow_up``
    (one query, counted per unit by the database)."""
    year = follow_up.fiscal_year_id

    def unassessed(queryset, item: str, item_ref: str):
        assessed = Assessment.objects.filter(follow_up=follow_up, **{item: OuterRef(item_ref)})
        return queryset.filter(~Exists(assessed)).order_by().values_list("unit_id").annotate(n=Count("*"))

    goals = unassessed(DirectionGoal.objects.filter(fiscal_year=year, unit__isnull=False), "direction_goal", "pk")
    strategies = unassessed(
        Strategy.units.through.objects.filter(strategy__fiscal_year=year), "strategy", "strategy_id"
    )
    activities = unassessed(Activity.objects.filter(fiscal_year=year), "activity", "pk")
    counts: dict[int, int] = defaultdict(int)
    for unit_id, count in goals.union(strategies, activities, all=True):
        counts[unit_id] += count
    return dict(counts)


def follow_up_items(*, today: datetime.date, settings, director_role_id: int | None):
    """One item per (follow-up, unit) with unassessed items, at the stage ``today`` has reached.

    The escalation names the unit's lead role; the sweep sends it to the förbundsdirektör."""
    follow_ups = FollowUp.objects.filter(
        due_date__lte=today + datetime.timedelta(days=settings.follow_up_lead_days),
        due_date__gte=today - datetime.timedelta(days=CATCH_UP_DAYS),
        fiscal_year__closed=False,
    ).select_related("fiscal_year")
    # Once the year is over, the helår follow-up is what counts: a delår left
    # unassessed is not chased any more.
    follow_ups = follow_ups.exclude(kind=FollowUp.Kind.INTERIM, fiscal_year__end__lt=today)
    for follow_up in follow_ups:
        stage = stage_reached(
            due_date=follow_up.due_date, today=today, lead_days=settings.follow_up_lead_days, settings=settings
        )
        escalate = escalation_reached(due_date=follow_up.due_date, today=today, settings=settings)
        if not stage and not escalate:
            continue
        counts = unassessed_counts(follow_up)
        submitted = set(Submission.objects.filter(follow_up=follow_up).values_list("unit_id", flat=True))
        units = Unit.objects.filter(pk__in=[pk for pk in counts if pk not in submitted]).order_by("order", "name")
        for unit in units:
            count = counts[unit.pk]
            title = ngettext(
                "%(unit)s: %(count)s post saknar bedömning för %(follow_up)s",
                "%(unit)s: %(count)s poster saknar bedömning för %(follow_up)s",
                count,
            ) % {"unit": unit.name, "count": count, "follow_up": follow_up}
            url = f"{reverse('goals:my_unit')}?enhet={unit.pk}&year={follow_up.fiscal_year.year}"
            key = f"followup:{follow_up.pk}:unit:{unit.pk}"
            common = {
                "key": key,
                "title": title,
                "due_date": follow_up.due_date,
                "url": url,
                "kind": _("Uppföljning av mål"),
            }
            if stage and unit.lead_role_id:
                yield ReminderItem(stage=stage, role_id=unit.lead_role_id, **common)
            if escalate or (stage and not unit.lead_role_id):
                yield ReminderItem(stage=Stage.ESCALATED, role_id=unit.lead_role_id, **common)
