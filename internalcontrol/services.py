"""Every write of the internal control app: adopting, versioning, copying and
reporting plans, generating checks, logging results, avvikelser and åtgärder.

Views, admin actions, management commands and the demo data all call these."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from simple_history import utils as simple_history_utils

from federation import dates
from federation import services as federation_services
from federation.access import LOCK_OVERRIDE_REASON, year_locked_message
from federation.copying import model_copy
from federation.history import bulk_create_with_history
from federation.models import Decision, FiscalYear
from federation.selectors import is_director
from federation.services import decision_register

from .models import (
    Action,
    Check,
    CheckAlreadyLoggedError,
    ControlGroup,
    ControlPlan,
    ControlPoint,
    Deviation,
    Evidence,
    EvidencePack,
    PlanLockedError,
    PlanSignOff,
    ReviewArea,
    Risk,
)
from .permissions import can_complete_action, can_log_check, plan_is_locked
from .selectors import checks_schedule, plan_points, plan_uncovered_risks

DEFAULT_FOOTNOTES = "\n".join(
    [
        "Färgerna hänvisar till resultatet av risk- och väsentlighetsanalysen.",
        "Avvikelser följs upp inom en 6-månadersperiod efter att internkontrollen genomförts. "
        "Då ska föreslagna åtgärder med anledning av eventuella anmärkningar vara verkställda.",
        "Avrapportering görs till Direktionen i samband med årsbokslut.",
    ]
)


def follow_up_months():
    return getattr(settings, "DEVIATION_FOLLOW_UP_MONTHS", 6)


def default_action_deadline(check_date: datetime.date) -> datetime.date:
    """Six months (settings.DEVIATION_FOLLOW_UP_MONTHS) after the check, as the 2019 plan says."""
    return check_date + relativedelta(months=follow_up_months())


# --- Plans ----------------------------------------------------------------------


@transaction.atomic
def checks_generate(*, plan) -> int:
    """Create the year's missing checks of every kontrollmoment; never deletes or duplicates.

    Open checks of an earlier version of the same year's plan move to the new
    version's kontrollmoment; dates already performed there are not scheduled again
    (``checks_schedule`` decides; this writes what it says)."""
    to_create = []
    for schedule in checks_schedule(plan=plan):
        for check in schedule.moved:
            check.control_point = schedule.point
            check.save(update_fields=["control_point"])
        to_create += [Check(control_point=schedule.point, due_date=due) for due in schedule.created]
    simple_history_utils.bulk_create_with_history(to_create, Check)
    return len(to_create)


def plan_decision_validate(*, plan, decision, report: bool = False) -> None:
    """A plan is adopted by a decision of the kind "Internkontrollplan" dated in the plan's year or the year
    before; it is reported (avrapportering) by one of the kind "Avrapportering av intern kontroll" dated in
    the plan's year or the year after. Anything else is a Swedish error."""
    if decision is None:
        raise ValidationError(
            _("Ange beslutet som avrapporterar planen.") if report else _("Ange beslutet som antar planen.")
        )
    year = plan.fiscal_year.year
    wanted = Decision.Kind.CONTROL_REPORT if report else Decision.Kind.CONTROL_PLAN
    if decision.kind != wanted:
        raise ValidationError(
            _(
                "Beslutet ”%(decision)s” gäller inte %(what)s %(year)s: "
                "välj eller registrera ett beslut av typen %(kind)s."
            )
            % {
                "decision": decision,
                "what": _("avrapporteringen av internkontrollplanen") if report else _("internkontrollplanen"),
                "year": year,
                "kind": wanted.label,
            }
        )
    years = (year, year + 1) if report else (year - 1, year)
    if decision.date.year not in years:
        raise ValidationError(
            _(
                "Beslutet är fattat %(date)s. %(what)s %(year)s beslutas under %(first)s eller %(second)s: "
                "välj eller registrera ett beslut från rätt år."
            )
            % {
                "date": f"{decision.date:%Y-%m-%d}",
                "what": _("Avrapporteringen av internkontrollplanen") if report else _("Internkontrollplanen"),
                "year": year,
                "first": years[0],
                "second": years[1],
            }
        )


def _director_guard(user, message):
    if user is not None and not is_director(user):
        raise PermissionDenied(message)


@transaction.atomic
def plan_adopt(*, plan, decision, user=None, now=None) -> ControlPlan:
    """Adopt a draft plan by the Direktion's decision and generate its checks (``checks_schedule``).

    With ``user`` (pages and the admin), only the förbundsdirektör adopts. ``now`` is when it was adopted
    here (the notice to the kontrollansvariga is sent for plans adopted lately)."""
    _director_guard(user, _("Bara förbundsdirektören antar internkontrollplanen."))
    plan = ControlPlan.objects.select_for_update().select_related("fiscal_year").get(pk=plan.pk)
    if plan.status != ControlPlan.Status.DRAFT:
        raise ValidationError(_("Planen är redan antagen. En ändring kräver ett nytt beslut och en ny version."))
    plan_decision_validate(plan=plan, decision=decision)
    if not plan_points(plan).exists():
        raise ValidationError(_("Planen har inga kontrollmoment."))
    uncovered = list(plan_uncovered_risks(plan=plan).values_list("title", flat=True))
    if uncovered:
        raise ValidationError(
            _("Varje risk ska täckas av ett kontrollmoment eller ha ett skäl till att den inte gör det: %(risks)s")
            % {"risks": ", ".join(uncovered)}
        )
    previous = plan.previous_version
    if previous and previous.is_current:
        raise ValidationError(_("En tidigare version är fortfarande gällande."))
    plan.status = ControlPlan.Status.ADOPTED
    plan.decision = decision
    plan.adopted_at = now or timezone.now()
    plan._change_reason = _("Antagen av %(decision)s") % {"decision": decision.citation()}
    plan.full_clean()
    plan.save()
    checks_generate(plan=plan)
    return plan


@transaction.atomic
def plan_adopt_with_new_decision(*, plan, user=None, now=None, **decision_fields) -> ControlPlan:
    """Register the Direktion's decision and adopt the plan by it, in one transaction: when the plan
    cannot be adopted by it, the decision is not kept either."""
    decision = decision_register(kind=Decision.Kind.CONTROL_PLAN, **decision_fields)
    return plan_adopt(plan=plan, decision=decision, user=user, now=now)


# --- Copies: one routine per model, used by new versions, copy-to-year and the benchmark's scaled data ------
# Each returns an unsaved copy of ``source`` with what belongs to the item itself; the plan, the parent and
# anything else that differs come as ``overrides``. Checks and their results are never copied.


def control_group_copy(*, source: ControlGroup, **overrides) -> ControlGroup:
    return model_copy(source, fields=("name", "order"), **overrides)


def review_area_copy(*, source: ReviewArea, **overrides) -> ReviewArea:
    return model_copy(source, fields=("number", "name"), **overrides)


CONTROL_POINT_COPIED_FIELDS = (
    "order",
    "description",
    "method",
    "frequency_text",
    "per_year",
    "continuous",
    "months",
    "event_driven",
    "responsible_role",
    "reported_to",
    "custom_due_dates",
)


def control_point_copy(*, source: ControlPoint, **overrides) -> ControlPoint:
    return model_copy(source, fields=CONTROL_POINT_COPIED_FIELDS, **overrides)


def risk_copy(*, source: Risk, **overrides) -> Risk:
    """(Its ``control_points`` are set by the caller once the copy is saved.)"""
    fields = ("title", "likelihood", "consequence", "not_covered_reason", "needs_review")
    return model_copy(source, fields=fields, **overrides)


# --- The plan import (internalcontrol/resources.py reads the sheet; these write it) ----------


def fiscal_year_get_or_create(*, year: int) -> FiscalYear:
    """The fiscal year ``year``; a new one is made by federation (a calendar year with its delår and helår)."""
    return federation_services.fiscal_year_get_or_create(year=year)[0]


@transaction.atomic
def plan_get_or_create_for_year(*, year: int) -> tuple[ControlPlan, bool]:
    """``year``'s current plan, or a new draft with the usual footnotes; and whether it was created."""
    plan = ControlPlan.objects.for_year(year)
    if plan is not None:
        return plan, False
    plan = ControlPlan(fiscal_year=fiscal_year_get_or_create(year=year), footnotes=DEFAULT_FOOTNOTES)
    plan.full_clean()
    plan.save()
    return plan, True


def control_group_get_or_create(*, plan, name: str, order: int) -> ControlGroup:
    """The plan's group called ``name``; a new one is placed at ``order``."""
    group = ControlGroup.objects.filter(plan=plan, name=name).first()
    if group is None:
        group = ControlGroup(plan=plan, name=name, order=order)
        group.full_clean()
        group.save()
    return group


def review_area_update_or_create(*, plan, number: int, name: str, group=None, result_text: str = "") -> ReviewArea:
    """The plan's granskningsområde ``number`` with this name, group and "Resultat av granskning"."""
    area = ReviewArea.objects.filter(plan=plan, number=number).first() or ReviewArea(plan=plan, number=number)
    area.name, area.group, area.result_text = name, group, result_text
    # The plan and group are the caller's objects (no lookup needed); the constraints hold at the save.
    area.full_clean(exclude=["plan", "group"], validate_constraints=False)
    area.save()
    return area


def review_areas_write(*, plan, areas: dict[int, tuple[str, ControlGroup | None, str]]) -> dict[int, ReviewArea]:
    """The plan's granskningsområden ``{number: (name, group, result_text)}``, as ``review_area_update_or_create``
    writes each: an existing one updated (one at a time, with its history), the new ones validated in Python and
    written in bulk with their history (the plan import's hundreds of areas); the constraints hold at the insert."""
    existing = {area.number for area in ReviewArea.objects.filter(plan=plan).only("number")}
    written, new = {}, []
    for number, (name, group, result_text) in areas.items():
        if number in existing:
            written[number] = review_area_update_or_create(
                plan=plan, number=number, name=name, group=group, result_text=result_text
            )
            continue
        area = ReviewArea(plan=plan, number=number, name=name, group=group, result_text=result_text)
        area.full_clean(exclude=["plan", "group"], validate_constraints=False)
        written[number] = area
        new.append(area)
    bulk_create_with_history(new, ReviewArea, batch_size=500)
    return written


def plan_risk_scale_set(*, plan, scale: int) -> ControlPlan:
    """The risk scale of a draft plan (1–3, 1–4 or 1–5); its risks' values must fit the new scale."""
    if plan.is_locked:
        raise PlanLockedError(_("Planen är antagen och låst."))
    too_high = plan.risks.filter(Q(likelihood__gt=scale) | Q(consequence__gt=scale)).count()
    if too_high:
        raise ValidationError(
            _("%(n)s risker har värden över %(scale)s; ändra dem först.") % {"n": too_high, "scale": scale}
        )
    plan.risk_scale = scale
    plan.full_clean()
    plan.save(update_fields=["risk_scale"])
    plan.risks.update(scale=scale)
    return plan


def risk_add_for_point(*, plan, point, title: str, likelihood: int, consequence: int) -> Risk:
    """A risk of the plan's risk analysis (the same title on several rows is one risk), covered by ``point``."""
    risk = Risk.objects.filter(plan=plan, title__iexact=title).first()
    if risk is None:
        risk = Risk(plan=plan, title=title, likelihood=likelihood, consequence=consequence)
        risk.full_clean()
        risk.save()
    risk.control_points.add(point)
    return risk


def risks_add_for_points(*, plan, risks: list[tuple[str, int, int, ControlPoint]]) -> list[Risk]:
    """The risks of the plan's risk analysis, each (title, likelihood, consequence, point) covered by its
    kontrollmoment; the same title (any case) on several rows is one risk, with the first row's values. In bulk
    (a plan of thousands of rows): each new risk validated in Python, written with its history, then linked."""
    by_title = {risk.title.casefold(): risk for risk in Risk.objects.filter(plan=plan)}
    new, links = [], {}
    for title, likelihood, consequence, point in risks:
        risk = by_title.get(title.casefold())
        if risk is None:
            risk = Risk(plan=plan, title=title, likelihood=likelihood, consequence=consequence, scale=plan.risk_scale)
            risk.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
            by_title[title.casefold()] = risk
            new.append(risk)
        links[(id(risk), point.pk)] = (risk, point)
    bulk_create_with_history(new, Risk)
    through = Risk.control_points.through
    through.objects.bulk_create(
        [through(risk_id=risk.pk, controlpoint_id=point.pk) for risk, point in links.values()], ignore_conflicts=True
    )
    return new


def control_points_create(*, points: list[ControlPoint]) -> list[ControlPoint]:
    """New kontrollmoment of the plan import, already validated (``ControlPoint.clean`` stored each one's
    frequency), written in bulk with their history; each gets its id."""
    bulk_create_with_history(points, ControlPoint, batch_size=500)
    return points


def control_point_save(*, point: ControlPoint, validated: bool = False) -> ControlPoint:
    """Write a kontrollmoment: ``full_clean`` parses its frequency and stores it (see frequency.py).
    ``validated``: the caller (the plan import) has already run its checks, ``clean`` among them."""
    if not validated:
        point.full_clean()
    point.save()
    return point


def _copy_structure(*, source, target, mark_risks_for_review):
    """Groups, areas, kontrollmoment and risks of ``source`` into ``target``; returns {old point id: new point}."""
    groups = {}
    for group in source.groups.all():
        groups[group.pk] = control_group_copy(source=group, plan=target)
        groups[group.pk].save(force_insert=True)
    points = {}
    for area in source.areas.select_related("group").prefetch_related("points"):
        new_area = review_area_copy(source=area, plan=target, group=groups.get(area.group_id))
        new_area.save(force_insert=True)
        for point in area.points.all():
            points[point.pk] = control_point_copy(source=point, area=new_area, carried_from=point)
            points[point.pk].save(force_insert=True)
    for risk in source.risks.prefetch_related("control_points"):
        new_risk = risk_copy(
            source=risk, plan=target, needs_review=mark_risks_for_review or risk.needs_review, carried_from=risk
        )
        new_risk.save(force_insert=True)
        new_risk.control_points.set([points[p.pk] for p in risk.control_points.all() if p.pk in points])
    return points


@transaction.atomic
def plan_new_version(*, plan, decision=None) -> ControlPlan:
    """A change to an adopted plan: a new version (a draft copy) that becomes the year's
    current plan; the old version is kept unchanged. With ``decision`` it is adopted at once."""
    plan = ControlPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_current:
        raise ValidationError(_("Bara den gällande versionen kan ändras."))
    if plan.status != ControlPlan.Status.ADOPTED:
        raise ValidationError(_("Bara en antagen (ej avrapporterad) plan får en ny version; ändra utkastet direkt."))
    plan.is_current = False
    plan.save(update_fields=["is_current"])
    new = ControlPlan.objects.create(
        fiscal_year=plan.fiscal_year,
        risk_scale=plan.risk_scale,
        version=plan.version + 1,
        is_current=True,
        previous_version=plan,
        copied_from=plan.copied_from,
        footnotes=plan.footnotes,
    )
    points = _copy_structure(source=plan, target=new, mark_risks_for_review=False)
    for area in plan.areas.all():
        ReviewArea.objects.filter(plan=new, number=area.number).update(result_text=area.result_text)
    for action in Action.objects.open().filter(control_point__area__plan=plan):
        action.control_point = points[action.control_point_id]
        action.save(update_fields=["control_point"])
    if decision is not None:
        new = plan_adopt(plan=new, decision=decision)
    return new


@transaction.atomic
def plan_copy_to_year(*, plan, year: int) -> ControlPlan:
    """Next year's plan as a draft: areas, kontrollmoment and risks (marked for review);
    no results or checks; open åtgärder copied forward, each linked to the one it continues.

    The old year stays as it was: its åtgärder keep their status there (the reminders follow only the
    latest copy, see ``internalcontrol.reminders.action_items``)."""
    fiscal_year = fiscal_year_get_or_create(year=year)
    if year <= plan.fiscal_year.year:
        raise ValidationError(_("En plan kopieras till ett senare år."))
    if ControlPlan.objects.filter(fiscal_year=fiscal_year, is_current=True).exists():
        raise ValidationError(_("Det finns redan en internkontrollplan för %(year)s.") % {"year": year})
    new = ControlPlan.objects.create(
        fiscal_year=fiscal_year, copied_from=plan, footnotes=plan.footnotes, risk_scale=plan.risk_scale
    )
    points = _copy_structure(source=plan, target=new, mark_risks_for_review=True)
    # (an åtgärd already copied to another year's plan goes on there, and is not copied twice)
    carried = Action.objects.open().latest_copies().filter(control_point__area__plan=plan)
    for action in carried.select_related("control_point"):
        Action.objects.create(
            deviation_id=action.deviation_id,
            control_point=points[action.control_point_id],
            description=action.description,
            responsible_id=action.responsible_id,
            deadline=action.deadline,
            status=action.status,
            done_on=action.done_on,
            carried_from=action,
        )
    return new


# The check counts kept in a sign-off's snapshot.
SNAPSHOT_COUNTS = ["planned", "ok", "remark", "not_done", "open"]


def _plan_summary(plan, *, on):
    summary = Check.objects.filter(control_point__area__plan=plan).summary(on=on)
    counts = {key: summary[key] for key in SNAPSHOT_COUNTS}
    areas = [{"number": a.number, "name": a.name, "result": a.result_text} for a in plan.areas.order_by("number")]
    actions = [
        {"id": a.pk, "description": a.description, "deadline": a.deadline.isoformat(), "status": a.status}
        for a in Action.objects.filter(control_point__area__plan=plan).order_by("deadline", "pk")
    ]
    return {"plan": str(plan), "checks": counts, "areas": areas, "actions": actions}


@transaction.atomic
def plan_sign_off(*, plan, user, comment: str = "", now=None) -> PlanSignOff:
    """The förbundsdirektör signs off the year's follow-up; the state is frozen in a snapshot."""
    now = now or timezone.now()
    if not is_director(user, on=timezone.localdate(now)):
        raise PermissionDenied(_("Bara förbundsdirektören undertecknar uppföljningen."))
    if plan.status != ControlPlan.Status.ADOPTED or not plan.is_current:
        raise ValidationError(_("Bara en gällande, antagen plan kan undertecknas."))
    if PlanSignOff.objects.filter(plan=plan).exists():
        raise ValidationError(_("Uppföljningen är redan undertecknad."))
    sign_off = PlanSignOff(
        plan=plan,
        signed_by=user,
        signed_at=now,
        comment=comment,
        snapshot=_plan_summary(plan, on=timezone.localdate(now)),
    )
    sign_off.full_clean()
    sign_off.save()
    return sign_off


@transaction.atomic
def plan_report(
    *, plan, reported_on: datetime.date | None = None, decision: Decision | None = None, user=None
) -> ControlPlan:
    """Report the signed-off follow-up to the Direktion at bokslut (avrapportering), by its decision.

    ``reported_on`` defaults to the decision's date. With ``user``, only the förbundsdirektör reports."""
    _director_guard(user, _("Bara förbundsdirektören avrapporterar internkontrollplanen."))
    plan = ControlPlan.objects.select_for_update().select_related("fiscal_year").get(pk=plan.pk)
    if plan.status != ControlPlan.Status.ADOPTED:
        raise ValidationError(_("Bara en antagen plan kan avrapporteras."))
    if not PlanSignOff.objects.filter(plan=plan).exists():
        raise ValidationError(_("Förbundsdirektören ska underteckna uppföljningen innan den avrapporteras."))
    if decision is not None:
        plan_decision_validate(plan=plan, decision=decision, report=True)
    reported_on = reported_on or (decision.date if decision else None)
    if reported_on is None:
        raise ValidationError(_("Ange när planen avrapporterades."))
    plan.status = ControlPlan.Status.REPORTED
    plan.reported_on = reported_on
    plan.report_decision = decision
    if decision is not None:
        plan._change_reason = _("Avrapporterad till %(decision)s") % {"decision": decision.citation()}
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_report_with_new_decision(*, plan, user=None, **decision_fields) -> ControlPlan:
    """Register the Direktion's decision and report the plan by it, in one transaction."""
    decision = decision_register(kind=Decision.Kind.CONTROL_REPORT, **decision_fields)
    return plan_report(plan=plan, decision=decision, user=user)


# --- Checks, avvikelser, åtgärder ----------------------------------------------------


def performed_on_validate(*, performed_on, fiscal_year):
    """A check of a year cannot be performed before that year began (late checks are allowed)."""
    if performed_on < fiscal_year.start:
        raise ValidationError(
            {
                "performed_on": _("Datumet ligger före verksamhetsåret %(year)s (som börjar %(start)s).")
                % {"year": fiscal_year.year, "start": fiscal_year.start}
            }
        )


def lock_guard(*, plan, user, today=None) -> bool:
    """Refuse changes to a reported plan or a closed year, except by the förbundsdirektör.

    Returns True when the change is the director's override (to be recorded)."""
    if not plan_is_locked(plan):
        return False
    if is_director(user, on=today):
        return True
    if plan.fiscal_year.closed:
        raise ValidationError(year_locked_message(plan.fiscal_year))
    raise ValidationError(_("Planen är avrapporterad och låst; bara förbundsdirektören kan ändra den."))


def _change_reason(reason: str, *, override: bool) -> str:
    """The reason kept in history; a change after locking says so first."""
    if not override:
        return reason
    return f"{LOCK_OVERRIDE_REASON}: {reason}" if reason else LOCK_OVERRIDE_REASON


def _check_for_update(check) -> Check:
    return Check.objects.select_for_update().select_related("control_point__area__plan__fiscal_year").get(pk=check.pk)


def _check_result_validate(*, check, result, performed_on, severity, today) -> str:
    """The rules every result of a check follows, logged or corrected; returns the severity to store."""
    if result not in (Check.Result.OK, Check.Result.REMARK, Check.Result.NOT_DONE):
        raise ValidationError({"result": _("Välj ett resultat.")})
    if performed_on is None:
        raise ValidationError({"performed_on": _("Ange när kontrollen genomfördes.")})
    if performed_on > today:
        raise ValidationError({"performed_on": _("Datumet kan inte ligga i framtiden.")})
    performed_on_validate(performed_on=performed_on, fiscal_year=check.control_point.area.plan.fiscal_year)
    if result == Check.Result.REMARK and not severity:
        raise ValidationError({"severity": _("Ange hur allvarlig anmärkningen är.")})
    if result != Check.Result.REMARK:
        if check.deviations.exists():
            raise ValidationError(_("Kontrollen har avvikelser och måste ha resultatet ”med anmärkning”."))
        return ""
    return severity


@transaction.atomic
def check_log_result(
    *,
    check,
    user,
    result: str,
    performed_on: datetime.date,
    severity: str = "",
    sample: str = "",
    comment: str = "",
    today: datetime.date | None = None,
) -> Check:
    """Record what a check found, once. Only holders of the responsible role (and the förbundsdirektör).

    A check already logged is refused (CheckAlreadyLoggedError): it changes only by ``check_correct``."""
    today = today or dates.today()
    if not can_log_check(user, check, today):
        raise PermissionDenied(_("Du innehar inte den kontrollansvariga rollen för det här kontrollmomentet."))
    check = _check_for_update(check)
    if check.performed_on is not None:
        raise CheckAlreadyLoggedError(
            _("Kontrollen är redan registrerad. Den ändras med ”Ändra”, med ett skäl som sparas i historiken.")
        )
    plan = check.control_point.area.plan
    if plan.status == ControlPlan.Status.DRAFT:
        raise ValidationError(_("Resultat registreras bara i en antagen plan."))
    override = lock_guard(plan=plan, user=user, today=today)
    severity = _check_result_validate(
        check=check, result=result, performed_on=performed_on, severity=severity, today=today
    )
    check.result, check.severity = result, severity
    check.performed_on, check.performed_by = performed_on, user
    check.sample, check.comment = sample, comment
    check.logged_at = timezone.now()
    if override:
        check._change_reason = LOCK_OVERRIDE_REASON
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def check_log_event(
    *,
    point,
    user,
    result: str,
    performed_on: datetime.date,
    severity: str = "",
    sample: str = "",
    comment: str = "",
    today: datetime.date | None = None,
) -> Check:
    """A check of an event-driven kontrollmoment ("Vid behov", "Vid varje nyanställning"), registered when the
    event happened: the check of that day is created and logged in one step (``check_log_result``), by the
    same people and under the same rules. Such a kontrollmoment has no planned checks, so nothing of it is
    ever overdue."""
    today = today or dates.today()
    point = ControlPoint.objects.select_related("area__plan__fiscal_year", "responsible_role").get(pk=point.pk)
    if not can_log_check(user, Check(control_point=point), today):
        raise PermissionDenied(_("Du innehar inte den kontrollansvariga rollen för det här kontrollmomentet."))
    if not point.event_driven:
        raise ValidationError(
            _("Kontrollmomentet har fasta förfallodagar; registrera resultatet på den planerade kontrollen.")
        )
    plan = point.area.plan
    if plan.status == ControlPlan.Status.DRAFT:
        raise ValidationError(_("Resultat registreras bara i en antagen plan."))
    if performed_on is None:
        raise ValidationError({"performed_on": _("Ange när kontrollen genomfördes.")})
    if performed_on > today:
        raise ValidationError({"performed_on": _("Datumet kan inte ligga i framtiden.")})
    fiscal_year = plan.fiscal_year
    performed_on_validate(performed_on=performed_on, fiscal_year=fiscal_year)
    if performed_on > fiscal_year.end:
        raise ValidationError(
            {
                "performed_on": _(
                    "Datumet ligger efter verksamhetsåret %(year)s; registrera kontrollen i planen för det året."
                )
                % {"year": fiscal_year.year}
            }
        )
    if Check.objects.filter(control_point=point, due_date=performed_on).exists():
        raise ValidationError(
            {
                "performed_on": _("Kontrollmomentet har redan en registrerad kontroll %(date)s; ändra den i stället.")
                % {"date": f"{performed_on:%Y-%m-%d}"}
            }
        )
    check = Check(control_point=point, due_date=performed_on)
    check.full_clean()
    check.save()
    return check_log_result(
        check=check,
        user=user,
        result=result,
        performed_on=performed_on,
        severity=severity,
        sample=sample,
        comment=comment,
        today=today,
    )


CHECK_CORRECTABLE_FIELDS = ("result", "severity", "performed_on", "sample", "comment")


@transaction.atomic
def check_correct(
    *,
    check,
    user,
    reason: str,
    result: str,
    performed_on: datetime.date,
    severity: str = "",
    sample: str = "",
    comment: str = "",
    today: datetime.date | None = None,
) -> Check:
    """Correct a logged check's result, date, sample or comment; the reason is kept in its history
    (``history_change_reason``) beside the old and new values.

    The holder of the responsible role and the förbundsdirektör may, until the plan is reported; after
    that (or in a closed year) only the förbundsdirektör, recorded as a change after locking. Who
    performed the check and when it was first logged stay as they were."""
    today = today or dates.today()
    if not can_log_check(user, check, today):
        raise PermissionDenied(_("Du innehar inte den kontrollansvariga rollen för det här kontrollmomentet."))
    check = _check_for_update(check)
    if check.performed_on is None:
        raise ValidationError(_("Kontrollen är inte registrerad än; registrera resultatet först."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ange varför kontrollen ändras.")})
    override = lock_guard(plan=check.control_point.area.plan, user=user, today=today)
    severity = _check_result_validate(
        check=check, result=result, performed_on=performed_on, severity=severity, today=today
    )
    new = {"result": result, "severity": severity, "performed_on": performed_on, "sample": sample, "comment": comment}
    if all(getattr(check, name) == new[name] for name in CHECK_CORRECTABLE_FIELDS):
        raise ValidationError(_("Inget har ändrats."))
    for name in CHECK_CORRECTABLE_FIELDS:
        setattr(check, name, new[name])
    check._change_reason = _change_reason(reason, override=override)
    check._history_user = user
    check.full_clean()
    check.save()
    return check


def _evidence_save(*, check, user, file, period_start, period_end, description="", action=None, override=False):
    evidence = Evidence(
        check_item=check,
        action=action,
        file=file,
        period_start=period_start,
        period_end=period_end,
        description=description,
        uploaded_by=user,
    )
    if override:
        evidence._change_reason = LOCK_OVERRIDE_REASON
    evidence.full_clean()
    evidence.save()
    return evidence


def evidence_add(
    *, check, user, file, period_start, period_end, description: str = "", today: datetime.date | None = None
) -> Evidence:
    """Evidence for a check, when it is logged or later (a done check can be completed with more)."""
    check = Check.objects.select_related("control_point__area__plan__fiscal_year").get(pk=check.pk)
    if not can_log_check(user, check, today):
        raise PermissionDenied(_("Du får inte lägga till underlag för den här kontrollen."))
    override = lock_guard(plan=check.control_point.area.plan, user=user, today=today)
    return _evidence_save(
        check=check,
        user=user,
        file=file,
        period_start=period_start,
        period_end=period_end,
        description=description,
        override=override,
    )


@transaction.atomic
def deviation_record(
    *,
    check,
    user,
    description: str,
    action_description: str = "",
    responsible=None,
    deadline: datetime.date | None = None,
) -> Deviation:
    """An avvikelse on a check with a remark, optionally with its åtgärd."""
    check = Check.objects.select_related("control_point").get(pk=check.pk)
    if not can_log_check(user, check):
        raise PermissionDenied(_("Du får inte registrera avvikelser för den här kontrollen."))
    if check.result != Check.Result.REMARK:
        raise ValidationError(_("En avvikelse kan bara registreras på en kontroll med anmärkning."))
    deviation = Deviation(check_item=check, description=description.strip(), recorded_by=user)
    deviation.full_clean()
    deviation.save()
    if action_description.strip():
        action_create(
            deviation=deviation, description=action_description, responsible=responsible or user, deadline=deadline
        )
    return deviation


def action_create(
    *, deviation, description: str, responsible, deadline: datetime.date | None = None, change_reason: str = ""
) -> Action:
    check = deviation.check_item
    action = Action(
        deviation=deviation,
        control_point_id=check.control_point_id,
        description=description.strip(),
        responsible=responsible,
        deadline=deadline or default_action_deadline(check.performed_on or check.due_date),
    )
    if change_reason:
        action._change_reason = change_reason
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_add(
    *,
    deviation,
    user,
    description: str,
    responsible,
    deadline: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Action:
    """One more åtgärd for an avvikelse (an avvikelse may need several), by those who may change its check."""
    deviation = Deviation.objects.select_related("check_item__control_point__area__plan__fiscal_year").get(
        pk=deviation.pk
    )
    check = deviation.check_item
    if not can_log_check(user, check, today):
        raise PermissionDenied(_("Du får inte lägga till åtgärder för den här kontrollen."))
    override = lock_guard(plan=check.control_point.area.plan, user=user, today=today)
    return action_create(
        deviation=deviation,
        description=description,
        responsible=responsible,
        deadline=deadline,
        change_reason=_change_reason("", override=override),
    )


@transaction.atomic
def action_mark_done(
    *, action, user, done_on: datetime.date, comment: str, evidence=None, today: datetime.date | None = None
) -> Action:
    """The responsible person (or the förbundsdirektör) says an åtgärd is done: what was done, optionally
    with a file that shows it; who and when are kept. A later check of the same kontrollmoment verifies it."""
    action = Action.objects.select_for_update().select_related("deviation__check_item").get(pk=action.pk)
    if action.status != Action.Status.OPEN:
        raise ValidationError(_("Åtgärden är inte öppen."))
    if not can_complete_action(user, action, today):
        raise PermissionDenied(_("Bara den ansvarige eller förbundsdirektören kan markera åtgärden som genomförd."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Beskriv vad som gjordes.")})
    override = lock_guard(plan=action.control_point.area.plan, user=user, today=today)
    if override:
        action._change_reason = LOCK_OVERRIDE_REASON
    action.status = Action.Status.DONE
    action.done_on = done_on
    action.done_by = user
    action.done_comment = comment
    action.full_clean()
    action.save()
    if evidence is not None:
        _evidence_save(
            check=action.deviation.check_item,
            user=user,
            file=evidence,
            period_start=done_on,
            period_end=done_on,
            description=Truncator(_("Åtgärd: %(action)s") % {"action": action.description}).chars(200),
            action=action,
            override=override,
        )
    # The same åtgärd in the other years' plans (copied forward): done there too, where the year is open.
    for linked in _action_chain(action):
        plan = linked.control_point.area.plan
        if linked.status == Action.Status.OPEN and not (plan.fiscal_year.closed or plan.status == plan.Status.REPORTED):
            linked.status, linked.done_on, linked.done_by, linked.done_comment = (
                Action.Status.DONE,
                done_on,
                user,
                comment,
            )
            linked.save(update_fields=["status", "done_on", "done_by", "done_comment"])
    return action


def _action_chain(action) -> list[Action]:
    """The other åtgärder of ``action``'s chain of copies to later years (earlier and later links)."""
    related = Action.objects.select_related("control_point__area__plan__fiscal_year")
    chain, seen = [], {action.pk}
    link = action
    while link.carried_from_id and link.carried_from_id not in seen:
        link = related.get(pk=link.carried_from_id)
        seen.add(link.pk)
        chain.append(link)
    link = related.filter(carried_from=action).first()
    while link is not None and link.pk not in seen:
        seen.add(link.pk)
        chain.append(link)
        link = related.filter(carried_from=link).first()
    return chain


@transaction.atomic
def action_verify(*, action, check) -> Action:
    """Close the loop: a performed follow-up check of the same kontrollmoment verifies the åtgärd."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status != Action.Status.DONE:
        raise ValidationError(_("Bara en genomförd åtgärd kan verifieras."))
    check = Check.objects.get(pk=check.pk)
    if check.control_point_id != action.control_point_id:
        raise ValidationError(_("Åtgärden verifieras av en kontroll av samma kontrollmoment."))
    if not check.is_done:
        raise ValidationError(_("Den uppföljande kontrollen är inte genomförd."))
    if check.result != Check.Result.OK:
        raise ValidationError(_("Den uppföljande kontrollen hade anmärkning; åtgärden kan inte verifieras."))
    if action.done_on and check.performed_on < action.done_on:
        raise ValidationError(_("Den uppföljande kontrollen gjordes innan åtgärden var genomförd."))
    action.status = Action.Status.VERIFIED
    action.verified_on = check.performed_on
    action.verified_by_check = check
    action.full_clean()
    action.save()
    return action


# --- The revisorer's evidence pack ----------------------------------------------------


def evidence_pack_request(*, user, year) -> EvidencePack:
    """Record a pack of ``year`` for ``user`` and queue it for a worker once the transaction commits
    (``evidence.EvidencePackError`` in Swedish for an unknown year)."""
    from .evidence import resolve_year
    from .tasks import build_evidence_pack

    fiscal_year = resolve_year(year)
    with transaction.atomic():
        pack = EvidencePack.objects.create(requested_by=user, fiscal_year=fiscal_year)
        transaction.on_commit(lambda: build_evidence_pack.delay(pack.pk))
    return pack
