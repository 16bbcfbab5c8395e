"""The internal control sections of the year-end report: "2.7 Intern kontroll" in the
förvaltningsberättelse and "Bilaga 2 Internkontrollplan <år>", built from the plans and decisions."""

from django.db.models import Exists, OuterRef, Prefetch

from federation import dates
from federation.models import FiscalYear
from federation.people import person_name
from federation.reports.document import Cell, Paragraph, Section, Table
from federation.status import Tone

from .models import Action, ControlPlan, ControlPoint, Risk

PLAN_HEADER = [
    "Granskningsområde",
    "Kontrollmoment",
    "Kontrollmetod",
    "Frekvens",
    "Kontrollansvarig",
    "Risk",
    "Resultat av granskning",
]


def _year(fiscal_year):
    return fiscal_year.year if isinstance(fiscal_year, FiscalYear) else int(fiscal_year)


def summary_paragraph(year: int) -> str:
    plan = ControlPlan.objects.for_year(year)
    next_plan = ControlPlan.objects.for_year(year + 1)
    if plan is None:
        first = f"Det finns ingen intern kontrollplan för {year}."
    elif plan.status == ControlPlan.Status.REPORTED or hasattr(plan, "sign_off"):
        first = f"Uppföljning av intern kontrollplan för {year} är genomförd och redovisas i bilaga 2."
    elif plan.status == ControlPlan.Status.ADOPTED:
        first = f"Uppföljning av intern kontrollplan för {year} pågår; läget redovisas i bilaga 2."
    else:
        first = f"Intern kontrollplan för {year} är ännu inte antagen."
    if next_plan and next_plan.decision:
        decision = next_plan.decision
        second = f"Beslut om intern kontrollplan {year + 1} fattades av {decision.citation()}."
    else:
        second = f"Intern kontrollplan {year + 1} är ännu inte beslutad."
    return f"{first} {second}"


def open_actions_table(year: int) -> Table:
    actions = (
        Action.objects.filter(
            control_point__area__plan__fiscal_year__year=year,
            control_point__area__plan__is_current=True,
            status__in=[Action.Status.OPEN, Action.Status.DONE, Action.Status.CARRIED],
        )
        .select_related("control_point__area", "deviation", "responsible")
        .annotate(copied=Exists(Action.objects.filter(carried_from=OuterRef("pk"))))
        .order_by("deadline", "pk")
    )
    table = Table(
        title=f"Öppna avvikelser och åtgärder {year}",
        header=["Granskningsområde", "Avvikelse", "Åtgärd", "Ansvarig", "Senast", "Status"],
        widths=[3, 4, 4, 2, 1.5, 2],
    )
    today, rules = dates.today(), dates.due_rules()
    for action in actions:
        if action.status == Action.Status.CARRIED or action.copied:
            status = Cell(f"Överförd till {year + 1}", tone=Tone.GREY)
        else:
            tone, word = action.tone(today, rules)  # as every page shows it (federation.dates)
            status = Cell(str(word), tone=tone)
        table.rows.append(
            [
                str(action.control_point.area),
                action.deviation.description,
                action.description,
                person_name(action.responsible),
                f"{action.deadline:%Y-%m-%d}",
                status,
            ]
        )
    if not table.rows:
        table.rows.append([Cell("Inga öppna avvikelser eller åtgärder.", colspan=len(table.header))])
    return table


def plan_table(plan) -> Table:
    points = (
        ControlPoint.objects.filter(area__plan=plan)
        .select_related("area__group", "responsible_role")
        .prefetch_related(Prefetch("risks", queryset=Risk.objects.only("id", "likelihood", "consequence", "scale")))
        .order_by("area__group__order", "area__number", "order")
    )
    table = Table(
        title=f"Internkontrollplan {plan.year}",
        header=PLAN_HEADER,
        widths=[3, 4, 3, 1.5, 2, 1.5, 3],
        footnotes=plan.footnote_list(),
        landscape=True,  # seven columns: a landscape page in PDF and DOCX
    )
    group, area = None, None
    for point in points:
        group_name = point.area.group.name if point.area.group else ""
        if group_name and group_name != group:
            table.rows.append([Cell(group_name, bold=True, colspan=len(PLAN_HEADER))])
        first_in_area = point.area_id != area
        tone, word = point.risk_tone()
        value = point.risk_value()
        table.rows.append(
            [
                str(point.area) if first_in_area else "",
                point.description,
                point.method,
                point.frequency_text,
                point.responsible_role.name,
                Cell(f"{word} ({value})" if value else str(word), tone=tone, status=str(word)),
                point.area.result_text if first_in_area else "",
            ]
        )
        group, area = group_name, point.area_id
    return table


def build_sections(*, fiscal_year, units=None) -> list[Section]:
    """2.7 Intern kontroll and Bilaga 2 (no unit sections, so ``units`` changes nothing)."""
    year = _year(fiscal_year)
    plan = ControlPlan.objects.for_year(year)
    summary = Section(title="2.7 Intern kontroll", level=2, key="internal-control")
    summary.add(Paragraph(summary_paragraph(year)))
    summary.add(open_actions_table(year))
    appendix = Section(title=f"Bilaga 2 Internkontrollplan {year}", level=1, key="appendix-control-plan")
    if plan is None:
        appendix.add(Paragraph(f"Det finns ingen intern kontrollplan för {year}."))
    else:
        decided = plan_decision_sentence(plan)
        if decided:
            appendix.add(Paragraph(decided))
        appendix.add(plan_table(plan))
    return [summary, appendix]


def plan_decision_sentence(plan) -> str:
    """E.g. "Antagen av Direktionen 2019-12-06, § 45. Avrapporterad till Direktionen 2020-03-27, § 21."."""
    parts = []
    if plan.decision:
        parts.append(f"Antagen av {plan.decision.citation()}.")
    if plan.report_decision:
        parts.append(f"Avrapporterad till {plan.report_decision.citation()}.")
    elif plan.reported_on:
        parts.append(f"Avrapporterad {plan.reported_on:%Y-%m-%d}.")
    return " ".join(parts)
