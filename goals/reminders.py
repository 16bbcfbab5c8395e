"""Reminder providers of the goals app (registered in ``goals/apps.py``, see ``federation.registry``).

``follow_up_items``: units whose goals, strategies or activities still lack an assessment as a follow-up
(delår, helår) approaches or has passed. Works from state: a follow-up is reminded while it is within
``follow_up_lead_days`` ahead or past due, the unit has not reported it (submitted or approved; one sent
back counts as not reported) and something is still unassessed — so a missed sweep catches up.

``submission_items``: the notices of follow-ups submitted (to the förbundsdirektör), approved or sent back
(to the unit's lead)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
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
        submitted = set(Submission.objects.reported().filter(follow_up=follow_up).values_list("unit_id", flat=True))
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


# --- Notices: a follow-up submitted, approved or sent back (sent once each, like the reminders) --------

# Approvals older than this are history, not news (the first sweep after an upgrade sends no old ones).
NOTICE_DAYS = 30


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else "–"


def submission_items(*, today: datetime.date, settings, director_role_id: int | None):
    """To the förbundsdirektör: every follow-up submitted and waiting (each submission, and each new submission
    after it was sent back, once: the key holds the time it was submitted). One mail per sweep lists them all.
    To the unit's lead: the follow-up approved, or sent back with the comment. Three queries."""
    waiting = Submission.objects.waiting().with_related().order_by("submitted_at", "pk")
    for submission in waiting:
        yield ReminderItem(
            key=f"submission:{submission.pk}:submitted:{submission.submitted_at:%Y%m%dT%H%M%S%f}",
            stage=Stage.SUBMITTED,
            title=_("%(unit)s: %(follow_up)s inskickad av %(person)s %(when)s")
            % {
                "unit": submission.unit,
                "follow_up": submission.follow_up,
                "person": _person(submission.submitted_by),
                "when": f"{timezone.localtime(submission.submitted_at):%Y-%m-%d %H:%M}",
            },
            url=reverse("goals:submission", args=[submission.pk]),
            role_id=director_role_id,
            kind=_("Att godkänna"),
        )
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=NOTICE_DAYS), datetime.time())
    )
    decided = (
        Submission.objects.with_related()
        .filter(Q(state=Submission.State.APPROVED, approved_at__gte=since) | Q(state=Submission.State.RETURNED))
        .order_by("pk")
    )
    for submission in decided:
        unit = submission.unit
        url = f"{reverse('goals:my_unit')}?enhet={unit.pk}&year={submission.follow_up.fiscal_year.year}"
        recipients = (
            {"role_id": unit.lead_role_id}
            if unit.lead_role_id
            else {"user_ids": (submission.submitted_by_id,) if submission.submitted_by_id else ()}
        )
        if submission.state == Submission.State.APPROVED:
            yield ReminderItem(
                key=f"submission:{submission.pk}:approved:{submission.approved_at:%Y%m%dT%H%M%S%f}",
                stage=Stage.APPROVED,
                title=_("%(unit)s: %(follow_up)s är godkänd av %(person)s och låst")
                % {"unit": unit, "follow_up": submission.follow_up, "person": _person(submission.approved_by)},
                url=url,
                kind=_("Uppföljning av mål"),
                **recipients,
            )
        else:
            title = _("%(unit)s: %(follow_up)s är skickad tillbaka av %(person)s. Kommentar: %(comment)s") % {
                "unit": unit,
                "follow_up": submission.follow_up,
                "person": _person(submission.returned_by),
                "comment": submission.return_comment,
            }
            yield ReminderItem(
                key=f"submission:{submission.pk}:returned:{submission.returned_at:%Y%m%dT%H%M%S%f}",
                stage=Stage.RETURNED,
                title=Truncator(title).chars(300),
                url=url,
                kind=_("Uppföljning av mål"),
                **recipients,
            )
