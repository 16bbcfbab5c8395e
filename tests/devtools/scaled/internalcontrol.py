"""Scaled internal-control data for the benchmark (see organisation.py).

Per year of the ten, ``factor`` times the 2019 plan (Bilaga 2): its groups,
granskningsområden, kontrollmoment and risks copied with the kontrollansvarig
spread over the scaled units' roles, the checks the frequencies generate,
most past ones performed (some with a remark, an avvikelse and an åtgärd).
A year that already has a plan from the demo gets ``factor - 1`` copies in it.
Everything with bulk_create; history rows with ``bulk_create_with_history``."""

import datetime
import random
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from federation.models import Decision, DecisionBody, FiscalYear, RoleAssignment
from internalcontrol.models import Action, Check, ControlGroup, ControlPlan, ControlPoint, Deviation, ReviewArea, Risk
from internalcontrol.services import control_group_copy, control_point_copy, review_area_copy, risk_copy

from .organisation import YEARS

# Checks due before this day are past (most performed); later ones are open.
CUTOFF = datetime.date(2020, 10, 1)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
TEMPLATE_YEAR = 2019
SHARE_OF_TEMPLATE_ROLE = 0.3  # the rest go to the scaled units' lead roles
REMARK_TEXTS = [
    "Rutinen följs inte fullt ut.",
    "Underlag saknas för delar av perioden.",
    "Dokumentet är inte uppdaterat efter organisationsförändringen.",
]


def _template():
    plan = ControlPlan.objects.for_year(TEMPLATE_YEAR)
    groups = list(ControlGroup.objects.filter(plan=plan).order_by("order", "pk"))
    areas = list(ReviewArea.objects.filter(plan=plan).order_by("number"))
    points = list(ControlPoint.objects.filter(area__plan=plan).order_by("area__number", "order"))
    risks = list(Risk.objects.filter(plan=plan).prefetch_related("control_points").order_by("pk"))
    return plan, groups, areas, points, risks


def generate(*, factor: int, rng: random.Random, context: dict) -> dict:
    template_plan, t_groups, t_areas, t_points, t_risks = _template()
    User = get_user_model()
    director = User.objects.get(username="direktor")
    board = DecisionBody.objects.get(is_board=True)
    scaled_role_ids = [unit.lead_role_id for unit in context["units"] if unit.lead_role_id]
    holder_of = dict(
        RoleAssignment.objects.filter(valid_to__isnull=True)
        .order_by("valid_from", "pk")
        .values_list("role_id", "user_id")
    )
    counts = dict.fromkeys(["planer", "områden", "kontrollmoment", "risker", "kontroller", "avvikelser", "åtgärder"], 0)

    for year in YEARS:
        fiscal_year = FiscalYear.objects.get(year=year)
        plan = ControlPlan.objects.filter(fiscal_year=fiscal_year, is_current=True).first()
        copies = factor - 1 if plan else factor
        if copies == 0:
            continue
        if plan is None:
            decision = Decision.objects.create(
                body=board,
                date=datetime.date(year - 1, 12, 6),
                subject=f"Internkontrollplan {year} (skalade data)",
            )
            (plan,) = bulk_create_with_history(
                [ControlPlan(fiscal_year=fiscal_year, status=ControlPlan.Status.ADOPTED, decision=decision)],
                ControlPlan,
            )
            counts["planer"] += 1
        numbers = ReviewArea.objects.filter(plan=plan).order_by("-number").values_list("number", flat=True)
        first_number = numbers.first() or 0

        groups = bulk_create_with_history(
            [
                control_group_copy(
                    source=group, plan=plan, name=f"{group.name} ({copy + 1})", order=group.order + 10 * copy
                )
                for copy in range(copies)
                for group in t_groups
            ],
            ControlGroup,
        )
        group_of = {(copy, group.pk): groups[copy * len(t_groups) + i] for copy in range(copies)
                    for i, group in enumerate(t_groups)}  # fmt: skip
        areas = bulk_create_with_history(
            [
                review_area_copy(
                    source=area,
                    plan=plan,
                    group=group_of.get((copy, area.group_id)),
                    number=first_number + copy * len(t_areas) + index + 1,
                    result_text=area.result_text if year < 2020 else "",
                )
                for copy in range(copies)
                for index, area in enumerate(t_areas)
            ],
            ReviewArea,
        )
        area_of = {(copy, area.pk): areas[copy * len(t_areas) + i] for copy in range(copies)
                   for i, area in enumerate(t_areas)}  # fmt: skip
        new_points = []
        for copy in range(copies):
            for point in t_points:
                role_id = point.responsible_role_id
                if scaled_role_ids and rng.random() > SHARE_OF_TEMPLATE_ROLE:
                    role_id = rng.choice(scaled_role_ids)
                new_points.append(
                    control_point_copy(source=point, area=area_of[(copy, point.area_id)], responsible_role_id=role_id)
                )
        points = bulk_create_with_history(new_points, ControlPoint)
        point_of = {(copy, point.pk): points[copy * len(t_points) + i] for copy in range(copies)
                    for i, point in enumerate(t_points)}  # fmt: skip
        risks = bulk_create_with_history(
            [
                risk_copy(source=risk, plan=plan, title=f"{risk.title} ({copy + 1})")
                for copy in range(copies)
                for risk in t_risks
            ],
            Risk,
        )
        Risk.control_points.through.objects.bulk_create(
            [
                Risk.control_points.through(risk=risks[copy * len(t_risks) + i], controlpoint=point_of[(copy, p.pk)])
                for copy in range(copies)
                for i, risk in enumerate(t_risks)
                for p in risk.control_points.all()
                if (copy, p.pk) in point_of
            ]
        )

        checks = []
        for point in points:
            performer = holder_of.get(point.responsible_role_id, director.pk)
            for due in point.due_dates(year):
                check = Check(control_point=point, due_date=due)
                if due < CUTOFF and rng.random() < 0.95:
                    roll = rng.random()
                    check.performed_on = due - datetime.timedelta(days=rng.randint(0, 20))
                    check.performed_by_id = performer
                    check.logged_at = datetime.datetime.combine(check.performed_on, datetime.time(10), STOCKHOLM)
                    if roll < 0.10:
                        check.result = Check.Result.REMARK
                        check.severity = rng.choice(["low", "medium", "high"])
                        check.comment = rng.choice(REMARK_TEXTS)
                    elif roll < 0.12:
                        check.result = Check.Result.NOT_DONE
                    else:
                        check.result = Check.Result.OK
                checks.append(check)
        checks = bulk_create_with_history(checks, Check, batch_size=2000)
        remarked = [check for check in checks if check.result == Check.Result.REMARK]
        deviations = bulk_create_with_history(
            [
                Deviation(check_item=check, description=check.comment, recorded_by_id=check.performed_by_id)
                for check in remarked
            ],
            Deviation,
        )
        actions = []
        for deviation, check in zip(deviations, remarked, strict=True):
            deadline = check.performed_on + relativedelta(months=6)
            done = deadline < CUTOFF
            actions.append(
                Action(
                    deviation=deviation,
                    control_point_id=check.control_point_id,
                    description="Åtgärda: " + check.comment,
                    responsible_id=check.performed_by_id,
                    deadline=deadline,
                    status=Action.Status.DONE if done else Action.Status.OPEN,
                    done_on=deadline - datetime.timedelta(days=14) if done else None,
                )
            )
        bulk_create_with_history(actions, Action)
        counts["områden"] += len(areas)
        counts["kontrollmoment"] += len(points)
        counts["risker"] += len(risks)
        counts["kontroller"] += len(checks)
        counts["avvikelser"] += len(deviations)
        counts["åtgärder"] += len(actions)
    assert template_plan is not None
    return counts
