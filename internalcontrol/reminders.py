"""Reminder providers of the internal control app (see federation/reminders/, registered in apps.py).

``check_items``: open checks of adopted plans coming due — to the holders of the
responsible role, escalated to the förbundsdirektör when long overdue.
``action_items``: open åtgärder approaching or past their deadline — to the
responsible person, escalated likewise.
``adoption_items``: the notice to each kontrollansvarig that a plan with their kontrollmoment was adopted.
Each uses a fixed number of queries."""

import datetime
import functools

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from federation.reminders import ReminderItem, Stage, escalation_reached, stage_reached

from .models import Action, Check, ControlPlan, ControlPoint, check_lead_days

CHECKS_KIND = "Kontroller"
ACTIONS_KIND = "Åtgärder"
ADOPTED_KIND = "Antagen internkontrollplan"


@functools.cache
def _check_url_prefix():
    return reverse("internalcontrol:check-detail", args=[0]).removesuffix("0/")


def _check_url(pk):
    """The check page's address; reverse() once, not once per item (100 000 checks in a sweep)."""
    return f"{_check_url_prefix()}{pk}/"


def _reminders(*, today: datetime.date, settings, director_role_id: int | None, kind: str):
    """``remind(key=…, title=…, due_date=…, url=…, lead_days=…, <recipients>)``: the item at the stage its due date
    has reached on ``today`` (to its recipients: ``role_id`` or ``user_ids``), and its escalation to the
    förbundsdirektör once long overdue — none, one or both."""

    def remind(*, due_date: datetime.date, lead_days: int, **item):
        stage = stage_reached(due_date=due_date, today=today, lead_days=lead_days, settings=settings)
        if stage:
            yield ReminderItem(stage=stage, due_date=due_date, kind=kind, **item)
        if escalation_reached(due_date=due_date, today=today, settings=settings):
            escalated = {**item, "role_id": director_role_id, "user_ids": ()}
            yield ReminderItem(stage=Stage.ESCALATED, due_date=due_date, kind=kind, **escalated)

    return remind


def check_items(*, today: datetime.date, settings, director_role_id: int | None):
    horizon = today + datetime.timedelta(days=max(settings.check_lead_days_long, settings.check_lead_days_monthly))
    rows = (
        Check.objects.open()
        .filter(
            due_date__lte=horizon,
            control_point__area__plan__status=ControlPlan.Status.ADOPTED,
            control_point__area__plan__is_current=True,
        )
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "due_date",
            "control_point__description",
            "control_point__area__number",
            "control_point__area__name",
            "control_point__per_year",
            "control_point__responsible_role_id",
        )
    )
    remind = _reminders(today=today, settings=settings, director_role_id=director_role_id, kind=CHECKS_KIND)
    for pk, due_date, description, number, area, per_year, role_id in rows:
        title, lead_days = f"{number}. {area}: {description}", check_lead_days(per_year, settings)
        yield from remind(
            key=f"check:{pk}", title=title, due_date=due_date, url=_check_url(pk), lead_days=lead_days, role_id=role_id
        )


def carried_roots() -> dict[int, int]:
    """For every åtgärd carried to a later year's plan (a copy), the first åtgärd of its chain (one query)."""
    parent = dict(Action.objects.filter(carried_from__isnull=False).values_list("pk", "carried_from_id"))
    roots = {}
    for pk in parent:
        root, seen = pk, set()
        while root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
        roots[pk] = root
    return roots


def action_items(*, today: datetime.date, settings, director_role_id: int | None):
    """Open åtgärder by their deadline. An åtgärd copied to next year's plan stays open in its own year too;
    only the latest copy is reminded, under the key of the first one, so it is reminded once, not again."""
    horizon = today + datetime.timedelta(days=settings.action_lead_days)
    rows = (
        Action.objects.filter(status=Action.Status.OPEN, deadline__lte=horizon, carried_to__isnull=True)
        .order_by("deadline", "pk")
        .values_list("pk", "deadline", "description", "responsible_id", "deviation__check_item_id")
    )
    roots = carried_roots()
    remind = _reminders(today=today, settings=settings, director_role_id=director_role_id, kind=ACTIONS_KIND)
    for pk, deadline, description, responsible_id, check_id in rows:
        title, url = f"Åtgärd: {description}", _check_url(check_id)
        lead_days = settings.action_lead_days
        key = f"action:{roots.get(pk, pk)}"
        yield from remind(
            key=key, title=title, due_date=deadline, url=url, lead_days=lead_days, user_ids=(responsible_id,)
        )


# Plans adopted longer ago than this are history, not news (the first sweep after an upgrade sends nothing old).
ADOPTION_NOTICE_DAYS = 30


def adoption_items(*, today: datetime.date, settings, director_role_id: int | None):
    """To each kontrollansvarig when a plan they have kontrollmoment in is adopted: each of their kontrollmoment
    with its number of checks for the year and the first due date (one mail lists them all). Two queries."""
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=ADOPTION_NOTICE_DAYS), datetime.time())
    )
    plans = {
        plan.pk: plan
        for plan in ControlPlan.objects.filter(
            status=ControlPlan.Status.ADOPTED, is_current=True, adopted_at__gte=since
        ).select_related("fiscal_year")
    }
    if not plans:
        return
    points = (
        ControlPoint.objects.filter(area__plan__in=list(plans))
        .annotate(n_checks=Count("checks"), first_due=Min("checks__due_date"))
        .order_by("area__plan", "area__number", "order", "pk")
        .values_list("pk", "area__plan_id", "area__number", "area__name", "description", "frequency_text",
                     "responsible_role_id", "n_checks", "first_due")
    )  # fmt: skip
    for pk, plan_id, number, area, description, frequency, role_id, checks, first_due in points:
        plan = plans[plan_id]
        count = ngettext("%(count)s kontroll", "%(count)s kontroller", checks) % {"count": checks}
        yield ReminderItem(
            key=f"plan-adopted:{plan_id}:point:{pk}",
            stage=Stage.ADOPTED,
            title=_("%(plan)s: %(number)s. %(area)s: %(point)s – %(count)s %(year)s (%(frequency)s)%(first)s")
            % {
                "plan": plan,
                "number": number,
                "area": area,
                "point": description,
                "count": count,
                "year": plan.fiscal_year.year,
                "frequency": frequency,
                "first": _(", den första senast %(date)s") % {"date": f"{first_due:%Y-%m-%d}"} if first_due else "",
            },
            url=f"{reverse('internalcontrol:my-checks')}?year={plan.fiscal_year.year}",
            role_id=role_id,
            kind=ADOPTED_KIND,
        )
