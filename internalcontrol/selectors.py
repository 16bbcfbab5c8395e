"""Read-only queries of the internal control app that are not a QuerySet method."""

from django.db.models import Count

from .models import ControlPoint, Risk


def plan_points(plan):
    """Every kontrollmoment of ``plan``."""
    return ControlPoint.objects.filter(area__plan=plan)


def plan_uncovered_risks(*, plan):
    """Risks of ``plan`` with neither a kontrollmoment nor a recorded reason why not."""
    return Risk.objects.filter(plan=plan, not_covered_reason="").annotate(n=Count("control_points")).filter(n=0)
