"""The internal control sections of the year-end report: "2.7 Intern kontroll" in the
förvaltningsberättelse and "Bilaga 2 Internkontrollplan <år>", built from the plans and decisions."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery

from federation import dates
from federation.models import FiscalYear, FollowUp
from federation.people import person_name
from federation.registry import SummaryLine
from federation.reports.document import Cell, Paragraph, Section, Table
from federation.status import Tone, tone_word

from .models import Action, Check, ControlPlan, ControlPoint, Risk

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


def summary_paragraph(year: int, follow_up: FollowUp | None = None) -> str:
    plan = ControlPlan.objects.for_year(year)
    next_plan = ControlPlan.objects.for_year(year + 1)
    if plan is None:
        first = f"Det finns ingen intern kontrollplan för {year}."
    elif follow_up is not None and follow_up.kind == FollowUp.Kind.INTERIM:
        first = f"Uppföljning av intern kontrollplan för {year} pågår; läget {follow_up.as_of_label} redovisas nedan."
    elif plan.status == ControlPlan.Status.REPORTED or hasattr(plan, "sign_off"):
        first = f"Uppföljning av intern kontrollplan för {year} är genomförd och redovisas i bilaga 2."
    elif plan.status == ControlPlan.Status.ADOPTED:
        first = f"Uppföljning av intern kontrollplan för {year} pågår; läget redovisas i bilaga 2."
    else:
        first = f"Intern kontrollplan för {year} är ännu inte antagen."
    # As of the follow-up's date: a delårsrapport does not know of a decision taken after 31 August.
    if next_plan and next_plan.decision and next_plan.decision.date <= as_of_date(follow_up):
        decision = next_plan.decision
        second = f"Beslut om intern kontrollplan {year + 1} fattades av {decision.citation()}."
    else:
        second = f"Intern kontrollplan {year + 1} är ännu inte beslutad."
    return f"{first} {second}"


def _interim(follow_up: FollowUp | None) -> bool:
    return follow_up is not None and follow_up.kind == FollowUp.Kind.INTERIM


def as_of_date(follow_up: FollowUp | None) -> datetime.date:
    """The day a report's internal-control state is taken: the follow-up's period end, or today when that
    has not come yet (a report on the year in progress)."""
    today = dates.today()
    return min(follow_up.period_end, today) if follow_up is not None else today


def _year_actions(year: int):
    return Action.objects.filter(
        control_point__area__plan__fiscal_year__year=year, control_point__area__plan__is_current=True
    )


def _year_checks(year: int):
    return Check.objects.filter(control_point__area__plan__fiscal_year__year=year)


def _action_status_on(action, *, on, rules, year) -> Cell:
    """The åtgärd's status word and colour as they were on ``on`` (as every page shows them on that day)."""
    if (action.status == Action.Status.CARRIED or action.copied) and on >= datetime.date(year, 12, 31):
        return Cell(f"Överförd till {action.copied_to_year or year + 1}", tone=Tone.GREY)
    if action.done_on is not None and action.done_on <= on:
        if action.verified_on is not None and action.verified_on <= on:
            return Cell(str(Action.Status.VERIFIED.label), tone=Tone.GREEN)
        return Cell(str(Action.Status.DONE.label), tone=Tone.YELLOW)
    state = dates.due_state(due_date=action.deadline, on=on, lead_days=rules.action_lead_days, rules=rules)
    if state is None:
        return Cell(str(Action.Status.OPEN.label), tone=Tone.YELLOW)
    tone, word = dates.due_words(state, due_date=action.deadline, on=on)
    return Cell(str(word), tone=tone)


def open_actions_table(year: int, on: datetime.date | None = None) -> Table:
    """The åtgärder of the year's plan not yet verified on ``on`` (default today), with their status on that
    day; one carried into the plan from an earlier year says so ("Överförd från 2019")."""
    on = on or dates.today()
    copies = Action.objects.filter(carried_from=OuterRef("pk"))
    actions = (
        _year_actions(year)
        .filter(deviation__check_item__performed_on__lte=on)
        .filter(Q(verified_on__isnull=True) | Q(verified_on__gt=on))
        .select_related("control_point__area", "deviation", "responsible")
        .annotate(
            copied=Exists(copies),
            copied_to_year=Subquery(copies.values("control_point__area__plan__fiscal_year__year")[:1]),
            found_in=F("deviation__check_item__control_point__area__plan__fiscal_year__year"),
        )
        .order_by("deadline", "pk")
    )
    table = Table(
        title=f"Öppna avvikelser och åtgärder {year}",
        header=["Granskningsområde", "Avvikelse", "Åtgärd", "Ansvarig", "Senast", "Status"],
        widths=[3, 4, 4, 2, 1.5, 2],
    )
    rules = dates.due_rules()
    for action in actions:
        deviation = action.deviation.description
        if action.found_in != year:
            deviation = f"{deviation} (Överförd från {action.found_in}.)"
        table.rows.append(
            [
                str(action.control_point.area),
                deviation,
                action.description,
                person_name(action.responsible),
                f"{action.deadline:%Y-%m-%d}",
                _action_status_on(action, on=on, rules=rules, year=year),  # as every page shows it (federation.dates)
            ]
        )
    if not table.rows:
        table.rows.append([Cell("Inga öppna avvikelser eller åtgärder.", colspan=len(table.header))])
    elif any(action.found_in != year for action in actions):
        table.footnotes.append(
            f"Överförd från ett tidigare år: avvikelsen konstaterades det året; åtgärden är ännu inte verifierad "
            f"och följs upp i planen för {year}."
        )
    return table


def state_on(year: int, on: datetime.date) -> dict:
    """The internal control on ``on``: the checks' summary (``CheckQuerySet.summary``) and the åtgärder open
    then, with how many were overdue (``ActionQuerySet.state_q``, the one notion of overdue)."""
    rules = dates.due_rules()
    checks = _year_checks(year).summary(on=on, rules=rules)
    actions = (
        _year_actions(year)
        .open_on(on)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Action.objects.state_q(dates.OVERDUE, on=on, rules=rules)),
        )
    )
    return {"checks": checks, "actions": actions}


def _overdue_word(count: int) -> str:
    """ "försenad" / "försenade": the word every page shows for overdue (``federation.dates``)."""
    return str(dates.STATE_WORDS[dates.OVERDUE][1]).lower() + ("" if count == 1 else "e")


def _checks_text(checks) -> tuple[str, str]:
    if not checks["planned"]:
        return "Inga kontroller är planerade.", Tone.GREY
    text = (
        f"{checks['ok']} av {checks['done']} genomförda kontroller utan anmärkning"
        + (f", {checks['remark']} med anmärkning" if checks["remark"] else "")
        + (f", {checks['not_done']} ej genomförda" if checks["not_done"] else "")
        + f" ({checks['done']} av {checks['planned']} planerade)"
        + (f", {checks['overdue']} {_overdue_word(checks['overdue'])}" if checks["overdue"] else "")
    )
    if checks["overdue"] or checks["not_done"]:
        tone = Tone.RED
    elif checks["remark"]:
        tone = Tone.YELLOW
    else:
        tone = Tone.GREEN if checks["done"] else Tone.GREY
    return text + ".", tone


def _actions_text(actions) -> tuple[str, str]:
    if not actions["open"]:
        return "Inga åtgärder öppna.", Tone.GREEN
    noun = "åtgärd öppen" if actions["open"] == 1 else "åtgärder öppna"
    overdue = _overdue_word(actions["overdue"])
    late = f"{actions['overdue']} {overdue}" if actions["overdue"] else f"ingen {_overdue_word(1)}"
    text = f"{actions['open']} {noun}, {late}"
    return text + ".", Tone.RED if actions["overdue"] else Tone.YELLOW


def state_table(year: int, on: datetime.date) -> Table:
    state = state_on(year, on)
    checks_text, checks_tone = _checks_text(state["checks"])
    actions_text, actions_tone = _actions_text(state["actions"])
    return Table(
        title=f"Intern kontroll per {on:%Y-%m-%d}",
        header=["Per " + f"{on:%Y-%m-%d}", "Läge"],
        rows=[
            [Cell("Kontroller", bold=True), Cell(checks_text, tone=checks_tone, status=tone_word(checks_tone))],
            [Cell("Åtgärder", bold=True), Cell(actions_text, tone=actions_tone, status=tone_word(actions_tone))],
        ],
        widths=[1, 3],
    )


def summary_lines(*, fiscal_year, follow_up) -> list[SummaryLine]:
    """The internal control on the follow-up's date, in the words and colours of section 2.7."""
    year = _year(fiscal_year)
    if ControlPlan.objects.for_year(year) is None:
        return [SummaryLine("Intern kontroll", f"Det finns ingen intern kontrollplan för {year}.", Tone.GREY)]
    state = state_on(year, as_of_date(follow_up))
    checks_text, checks_tone = _checks_text(state["checks"])
    actions_text, actions_tone = _actions_text(state["actions"])
    return [
        SummaryLine("Kontroller", checks_text, checks_tone),
        SummaryLine("Åtgärder", actions_text, actions_tone),
    ]


def changes_section(year: int, *, follow_up, on: datetime.date) -> Section:
    """What happened in the internal control since the previous follow-up: checks performed, avvikelser
    found, åtgärder done."""
    previous = FollowUp.objects.previous(follow_up) if follow_up is not None else None
    if previous is None:
        section = Section(title="Förändringar sedan förra uppföljningen", level=3)
        section.add(Paragraph("Det finns ingen tidigare uppföljning att jämföra med."))
        return section
    since = previous.period_end
    section = Section(title=f"Förändringar sedan {str(previous).lower()} ({previous.as_of_label})", level=3)
    window = Q(performed_on__gt=since, performed_on__lte=on)
    checks = _year_checks(year).aggregate(
        done=Count("pk", filter=window),
        remark=Count("pk", filter=window & Q(result=Check.Result.REMARK)),
        not_done=Count("pk", filter=window & Q(result=Check.Result.NOT_DONE)),
    )
    actions = _year_actions(year)
    new_actions = actions.filter(
        deviation__check_item__performed_on__gt=since, deviation__check_item__performed_on__lte=on
    ).count()
    done_actions = actions.filter(done_on__gt=since, done_on__lte=on).count()
    section.add(
        Table(
            title=f"Intern kontroll sedan {since:%Y-%m-%d}",
            header=["Sedan " + f"{since:%Y-%m-%d}", "Antal"],
            rows=[
                ["Genomförda kontroller", str(checks["done"])],
                ["varav med anmärkning", str(checks["remark"])],
                ["varav ej genomförda", str(checks["not_done"])],
                ["Nya åtgärder", str(new_actions)],
                ["Åtgärdade", str(done_actions)],
            ],
            widths=[3, 1],
        )
    )
    return section


# What Bilaga 2's result column says before the year's results are in (a delårsrapport).
RESULTS_AT_YEAR_END = "Resultatet av granskningen redovisas vid helår."


def plan_table(plan, *, with_results: bool = True) -> Table:
    """Bilaga 2: the plan as adopted, with each area's result of the review (``with_results``; without, as in
    a delårsrapport, the column is empty and a footnote says the results come at the helår)."""
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
        footnotes=plan.footnote_list() + ([] if with_results else [RESULTS_AT_YEAR_END]),
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
                point.area.result_text if first_in_area and with_results else "",
            ]
        )
        group, area = group_name, point.area_id
    return table


def build_sections(*, fiscal_year, units=None, follow_up=None, changes: bool = False) -> list[Section]:
    """2.7 Intern kontroll as of ``follow_up``'s date (``as_of_date``) and Bilaga 2 (no unit sections, so
    ``units`` changes nothing); with ``changes``, what happened since the previous follow-up."""
    year = _year(fiscal_year)
    on = as_of_date(follow_up)
    plan = ControlPlan.objects.for_year(year)
    summary = Section(title="2.7 Intern kontroll", level=2, key="internal-control")
    summary.add(Paragraph(summary_paragraph(year, follow_up)))
    events = event_driven_sentence(plan) if plan is not None else ""
    if events:
        summary.add(Paragraph(events))
    summary.add(open_actions_table(year, on))
    if plan is not None:
        summary.add(state_table(year, on))
    if changes:
        summary.add(changes_section(year, follow_up=follow_up, on=on))
    appendix = Section(title=f"Bilaga 2 Internkontrollplan {year}", level=1, key="appendix-control-plan")
    if plan is None:
        appendix.add(Paragraph(f"Det finns ingen intern kontrollplan för {year}."))
    else:
        # A delårsrapport only knows what had happened by its date; the årsredovisning, written after the year,
        # tells of the plan's report to the Direktion too.
        decided = plan_decision_sentence(plan, on=on if _interim(follow_up) else None)
        if decided:
            appendix.add(Paragraph(decided))
        appendix.add(plan_table(plan, with_results=not _interim(follow_up)))
    return [summary, appendix]


def event_driven_sentence(plan) -> str:
    """E.g. "2 händelsestyrda kontrollmoment, 5 genomförda kontroller." — the kontrollmoment checked when
    something happens ("Vid behov"), counted apart from the planned checks; "" when the plan has none."""
    points = ControlPoint.objects.filter(area__plan=plan, event_driven=True).count()
    if not points:
        return ""
    done = Check.objects.filter(control_point__area__plan=plan).summary(on=dates.today())["event_done"]
    kind = "händelsestyrt kontrollmoment" if points == 1 else "händelsestyrda kontrollmoment"
    checks = "genomförd kontroll" if done == 1 else "genomförda kontroller"
    return f"{points} {kind}, {done} {checks} (registreras när händelsen inträffar, utan fasta förfallodagar)."


def plan_decision_sentence(plan, *, on: datetime.date | None = None) -> str:
    """E.g. "Antagen av Direktionen 2019-12-06, § 45. Avrapporterad till Direktionen 2020-03-27, § 21."; with
    ``on``, only what had happened by that day."""
    parts = []
    if plan.decision:
        parts.append(f"Antagen av {plan.decision.citation()}.")
    if plan.report_decision and (on is None or plan.report_decision.date <= on):
        parts.append(f"Avrapporterad till {plan.report_decision.citation()}.")
    elif plan.reported_on and (on is None or plan.reported_on <= on):
        parts.append(f"Avrapporterad {plan.reported_on:%Y-%m-%d}.")
    return " ".join(parts)
