"""Demo data for internal control: the real internkontrollplan 2019 (Bilaga 2 of the
2019 annual report) from fixtures/internalcontrol/2019.json, run through the
year as its area results say and reported; and the 2020 plan as a copy adopted
by the Direktion on 2019-12-06 with its checks open.

Every step goes through the services and is skipped when already done, so
loading twice changes nothing."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command

from federation.models import Decision

from . import services
from .models import Check, ControlPlan, Deviation

D = datetime.date
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Who performs the checks of each role in the demo.
PERFORMERS = {
    "Administrativ chef": "adminchef",
    "Ekonom Navet": "ekonomnavet",
    "Förbundsdirektör": "direktor",
    "Regionutvecklingschef": "regionutv",
    "Skyddskommittén": "skydd2",
}

# Area number → (kontrollmoment order, severity, avvikelse, åtgärd, deadline or None for the default)
# for the checks at year end that found what the area's "Resultat av granskning" says.
REMARKS_2019 = {
    13: (
        1,
        "low",
        "Dokumenthanteringsplanen är inte aktuell efter förändringar i verksamheten.",
        "Revidera dokumenthanteringsplanen.",
        D(2020, 6, 30),
    ),
    16: (
        1,
        "medium",
        "Delegationsordningen speglar inte den nuvarande organisationen.",
        "Revidera delegationsordningen i samband med organisationsöversynen.",
        D(2020, 6, 30),
    ),
    19: (
        1,
        "low",
        "Flera handlingstyper saknas i dokumenthanteringsplanen.",
        "Komplettera dokumenthanteringsplanen med alla ärende- och handlingstyper.",
        D(2020, 6, 30),
    ),
    21: (
        1,
        "high",
        "Förbundet saknar en fastställd IT-policy.",
        "Ta fram en IT-policy och informera medarbetarna om den på APT.",
        None,
    ),
    23: (
        1,
        "low",
        "Personalhandboken är inte aktuell i alla delar.",
        "Revidera personalhandboken och gå igenom den på APT.",
        None,
    ),
}
COMMENTS_2019 = {
    4: "Lönerna kontrolleras även månadsvis.",
    9: "Kontokorten kontrolleras även månadsvis.",
    17: "Attestlista upprättad.",
    23: "Riskanalys ur kompetensförsörjningsperspektiv genomförd.",
    25: "Arbetet med handlingsplanen pågår enligt plan.",
}
SAMPLES = {
    "Stickprov": "Stickprov om tio verifikationer för perioden.",
}


def _performed_on(check, index):
    """A plausible date: mid-year checks in the weeks after the period; year-end checks in December or January."""
    if check.due_date.month == 12:
        return D(2019, 12, 9) + datetime.timedelta(days=(index * 3) % 40)
    return check.due_date + datetime.timedelta(days=3 + (index * 2) % 18)


def _noon(day):
    """When the demo's plans were adopted here: the day of the decision (not the day the demo is loaded, which
    would send every kontrollansvarig the notice of a plan adopted years ago)."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=STOCKHOLM)


def _users():
    User = get_user_model()
    return {user.username: user for user in User.objects.filter(username__in=[*PERFORMERS.values(), "direktor"])}


def load():
    if not ControlPlan.objects.filter(fiscal_year__year=2019, version=1).exists():
        call_command("loaddata", "internalcontrol/2019", verbosity=0)
    users = _users()
    if set(PERFORMERS.values()) - set(users):
        return  # the demo users are made by federation.demo.load, which runs first
    plan = ControlPlan.objects.get(fiscal_year__year=2019, version=1)
    if plan.status == ControlPlan.Status.DRAFT:
        decision = Decision.objects.get(
            body__name="Direktionen", date=D(2018, 12, 7), subject="Intern kontrollplan 2019"
        )
        plan = services.plan_adopt(plan=plan, decision=decision, now=_noon(decision.date))
    if plan.status == ControlPlan.Status.ADOPTED:
        _run_2019(plan, users)
        _plan_2020(plan)
        if not hasattr(plan, "sign_off"):
            services.plan_sign_off(
                plan=plan,
                user=users["direktor"],
                comment="Uppföljningen av intern kontrollplan 2019 är genomförd.",
                now=datetime.datetime(2020, 2, 14, 10, 0, tzinfo=STOCKHOLM),
            )
        services.plan_report(
            plan=plan,
            reported_on=D(2020, 3, 27),
            decision=Decision.objects.get(body__name="Direktionen", date=D(2020, 3, 27)),
        )
    elif not ControlPlan.objects.filter(fiscal_year__year=2020).exists():
        _plan_2020(plan)


def _run_2019(plan, users):
    checks = (
        Check.objects.filter(control_point__area__plan=plan, performed_on__isnull=True)
        .select_related("control_point__area", "control_point__responsible_role")
        .order_by("due_date", "control_point__area__number", "control_point__order")
    )
    for index, check in enumerate(checks):
        point = check.control_point
        area = point.area.number
        user = users[PERFORMERS[point.responsible_role.name]]
        remark = REMARKS_2019.get(area)
        is_remark = remark and remark[0] == point.order and check.due_date.month == 12
        performed_on = _performed_on(check, index)
        services.check_log_result(
            check=check,
            user=user,
            result="remark" if is_remark else "ok",
            severity=remark[1] if is_remark else "",
            performed_on=performed_on,
            sample=SAMPLES.get(point.method, ""),
            comment=COMMENTS_2019.get(area, ""),
            today=performed_on,
        )
        if is_remark and not Deviation.objects.filter(check_item=check).exists():
            _, _, deviation, action, deadline = remark
            deviation_obj = services.deviation_record(check=check, user=user, description=deviation)
            services.action_create(deviation=deviation_obj, description=action, responsible=user, deadline=deadline)


def _plan_2020(plan_2019):
    if ControlPlan.objects.filter(fiscal_year__year=2020).exists():
        return
    plan_2020 = services.plan_copy_to_year(plan=plan_2019, year=2020)
    decision = Decision.objects.get(body__name="Direktionen", date=D(2019, 12, 6), subject="Intern kontrollplan 2020")
    services.plan_adopt(plan=plan_2020, decision=decision, now=_noon(decision.date))
