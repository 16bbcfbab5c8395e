"""Read-only queries of the internal control app that are not a QuerySet method."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count

from .models import Check, ControlGroup, ControlPlan, ControlPoint, ReviewArea, Risk


def plan_points(plan):
    """Every kontrollmoment of ``plan``."""
    return ControlPoint.objects.filter(area__plan=plan)


def event_points_for_viewer(viewer, *, years):
    """The event-driven kontrollmoment ("Vid behov") of the adopted current plans of ``years`` that ``viewer``
    (``federation.navigation.Viewer``: the request's user with the roles held today) may register checks of:
    of the roles held, every one for the förbundsdirektör (as ``CheckQuerySet.for_viewer``)."""
    points = (
        ControlPoint.objects.filter(
            event_driven=True,
            area__plan__is_current=True,
            area__plan__fiscal_year__year__in=years,
        )
        .exclude(area__plan__status=ControlPlan.Status.DRAFT)
        .select_related("area__plan__fiscal_year", "responsible_role")
        .order_by("-area__plan__fiscal_year__year", "area__number", "order")
    )
    if not viewer.is_director:
        points = points.filter(responsible_role__in=[role.pk for role in viewer.roles])
    return points


def plan_uncovered_risks(*, plan):
    """Risks of ``plan`` with neither a kontrollmoment nor a recorded reason why not."""
    return Risk.objects.filter(plan=plan, not_covered_reason="").annotate(n=Count("control_points")).filter(n=0)


@dataclass
class PointSchedule:
    """What adopting (or re-generating) does for one kontrollmoment: open checks of the same year's earlier
    version that move to it, and the due dates of the checks to create."""

    point: ControlPoint
    moved: list[Check] = field(default_factory=list)
    created: list[datetime.date] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.moved) + len(self.created)

    @property
    def first_due(self) -> datetime.date | None:
        dates = [check.due_date for check in self.moved] + self.created
        return min(dates) if dates else None


def checks_schedule(*, plan) -> list[PointSchedule]:
    """The one reading of which checks each kontrollmoment of ``plan`` gets for its year (by its stored
    frequency, ``ControlPoint.due_dates``): used by ``checks_generate`` to write them and by the adoption's
    confirmation to show them. Never a date twice; dates already performed in an earlier version of the
    same year's plan are not scheduled again, its open checks move instead."""
    year = plan.fiscal_year.year
    points = list(
        plan_points(plan)
        .select_related("carried_from__area__plan", "area", "responsible_role")
        .order_by("area__number", "order", "pk")
    )
    existing = set(Check.objects.filter(control_point__in=points).values_list("control_point_id", "due_date"))
    same_year = [
        p.carried_from_id
        for p in points
        if p.carried_from_id and p.carried_from.area.plan.fiscal_year_id == plan.fiscal_year_id
    ]
    ancestor_checks: dict[int, list[Check]] = {}
    for check in Check.objects.filter(control_point_id__in=same_year).order_by("due_date", "pk"):
        ancestor_checks.setdefault(check.control_point_id, []).append(check)
    schedules = []
    for point in points:
        schedule = PointSchedule(point=point)
        taken = set()
        for check in ancestor_checks.get(point.carried_from_id, []) if point.carried_from_id in same_year else []:
            if check.performed_on is None and (point.pk, check.due_date) not in existing:
                schedule.moved.append(check)
                existing.add((point.pk, check.due_date))
            else:
                taken.add(check.due_date)
        for due in point.due_dates(year):
            if (point.pk, due) not in existing and due not in taken:
                schedule.created.append(due)
                existing.add((point.pk, due))
        schedules.append(schedule)
    return schedules


@dataclass
class PlanLockSummary:
    """What adopting ``plan`` locks, and the checks it generates."""

    groups: int
    areas: int
    points: int
    risks: int
    schedules: list[PointSchedule]

    @property
    def checks(self) -> int:
        return sum(schedule.count for schedule in self.schedules)


def plan_lock_summary(*, plan) -> PlanLockSummary:
    """For the adoption's confirmation: the counts of what becomes locked and each kontrollmoment's checks."""
    return PlanLockSummary(
        groups=ControlGroup.objects.filter(plan=plan).count(),
        areas=ReviewArea.objects.filter(plan=plan).count(),
        points=plan_points(plan).count(),
        risks=Risk.objects.filter(plan=plan).count(),
        schedules=checks_schedule(plan=plan),
    )
