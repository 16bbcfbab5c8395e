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

from federation import dates
from federation.demo import REAL_YEARS
from federation.models import Decision, DecisionBody, FiscalYear, Role

from . import services
from .models import Check, ControlPlan, ControlPoint, Deviation, ReviewArea
from .selectors import plan_points

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
    current_year(users)


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


# The living year (the year of today): what is left open around today, and what is due within days.
OVERDUE_AMONG_LAST = 9  # of the checks due over a week ago, every third of the last nine is left open
SOON = (4, 11)  # days from today of the two checks "due within days"
CURRENT_REMARK = (
    "medium",
    "Underlag saknades för två av de tio granskade posterna.",
    "Komplettera underlagen och gå igenom rutinen med de berörda.",
)


def current_year(users=None):
    """The year of today as a copy of the latest plan, adopted, with checks spread around today: done ones,
    some overdue, some due (the due date has come), a remark with an open avvikelse and åtgärd, and two
    checks of the administrativ chef due within days. Deterministic from today; skipped once it exists."""
    users = users or _users()
    today = dates.today()
    year = today.year
    if year <= REAL_YEARS[-1] or ControlPlan.objects.filter(fiscal_year__year=year).exists():
        return
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    latest = ControlPlan.objects.current().filter(fiscal_year__year__lt=year).order_by("-fiscal_year__year").first()
    if fiscal_year is None or latest is None:
        return
    plan = services.plan_copy_to_year(plan=latest, year=year)
    _due_within_days(plan, today)
    event_point = _event_driven_point(plan)
    decision, _ = Decision.objects.get_or_create(
        body=DecisionBody.objects.get(name="Direktionen"),
        date=D(year - 1, 12, 4),
        subject=f"Intern kontrollplan {year}",
        kind=Decision.Kind.CONTROL_PLAN,
    )
    plan = services.plan_adopt(plan=plan, decision=decision, now=_noon(decision.date))
    _run_until(plan, users, today)
    _log_events(event_point, users, today)


# An event-driven kontrollmoment of the living year ("Vid varje nyanställning"): no due dates, logged when a
# new employee starts, EVENT_DAYS_AGO days before today (those that fall in the year).
EVENT_POINT = (
    "Behörigheter i verksamhetssystemen ges enligt checklistan för nyanställda",
    "Kontroll av beställda behörigheter mot checklistan",
    "Vid varje nyanställning",
)
EVENT_DAYS_AGO = (47, 12)


def _event_driven_point(plan):
    area = ReviewArea.objects.filter(plan=plan).order_by("number").first()
    role = Role.objects.filter(name="Administrativ chef").first()
    if area is None or role is None:
        return None
    description, method, frequency = EVENT_POINT
    last = area.points.order_by("-order").values_list("order", flat=True).first() or 0
    point = ControlPoint(
        area=area,
        order=last + 1,
        description=description,
        method=method,
        frequency_text=frequency,
        responsible_role=role,
        reported_to="Förbundsdirektören",
    )
    return services.control_point_save(point=point)


def _log_events(point, users, today):
    if point is None:
        return
    for days in EVENT_DAYS_AGO:
        day = today - datetime.timedelta(days=days)
        if day.year == today.year:
            services.check_log_event(
                point=point,
                user=users[PERFORMERS[point.responsible_role.name]],
                result="ok",
                performed_on=day,
                sample="Nyanställd medarbetare",
                today=today,
            )


def _due_within_days(plan, today):
    """One yearly kontrollmoment of the administrativ chef gets due dates a few days from today (when they fall
    in the year; from 18 December the year-end checks are due within two weeks anyway)."""
    point = (
        plan_points(plan)
        .filter(per_year=1, responsible_role__name="Administrativ chef", custom_due_dates=[])
        .order_by("area__number", "order")
        .first()
    )
    soon = [today + datetime.timedelta(days=days) for days in SOON]
    soon = [f"{day:%m-%d}" for day in soon if day.year == today.year]
    if point is not None and soon:
        point.custom_due_dates = soon
        services.control_point_save(point=point)


def _run_until(plan, users, today):
    """Log the checks due before today as a year runs: most done a few days after their due date; of those due
    among the last OVERDUE_AMONG_LAST every third left open (overdue), and the last week's left open (due);
    one with a remark, its avvikelse and an åtgärd due in ten days."""
    checks = list(
        Check.objects.filter(control_point__area__plan=plan, performed_on__isnull=True, due_date__lt=today)
        .select_related("control_point__area", "control_point__responsible_role")
        .order_by("due_date", "control_point__area__number", "control_point__order")
    )
    week_ago = today - datetime.timedelta(days=7)
    past = [check for check in checks if check.due_date <= week_ago]
    overdue = set(past[-OVERDUE_AMONG_LAST:][::3])
    done = [check for check in past if check not in overdue]
    remark = next((c for c in reversed(done) if c.control_point.responsible_role.name == "Administrativ chef"), None)
    for index, check in enumerate(done):
        user = users[PERFORMERS[check.control_point.responsible_role.name]]
        performed_on = min(check.due_date + datetime.timedelta(days=2 + index % 5), today)
        is_remark = check == remark
        services.check_log_result(
            check=check,
            user=user,
            result="remark" if is_remark else "ok",
            severity=CURRENT_REMARK[0] if is_remark else "",
            performed_on=performed_on,
            sample=SAMPLES.get(check.control_point.method, ""),
            today=today,
        )
        if is_remark:
            services.deviation_record(
                check=check,
                user=user,
                description=CURRENT_REMARK[1],
                action_description=CURRENT_REMARK[2],
                responsible=user,
                deadline=today + datetime.timedelta(days=10),
            )
