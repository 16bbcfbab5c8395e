"""Decision drafts for the Direktion: a tjänsteskrivelse (DOCX, ready to edit in Word) with Ärende,
Beslutsförslag, Sammanfattning and Beslutsunderlag, dated and signed by the förbundsdirektör, with the plan
(to adopt) or the year's follow-up (to approve) as a bilaga in the same document. Built as a
``federation.reports.document.Report`` and rendered by the year-end report's Word renderer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import ngettext

from federation import dates
from federation.people import local_time, person_name
from federation.reports.document import AUTHOR, Cell, Paragraph, Report, Section, Table
from federation.selectors import director_role_id, role_holders
from federation.status import Tone

from .models import Check, ControlPlan, ControlPoint, Deviation
from .report import open_actions_table, plan_table

ADOPT, REPORT = "adopt", "report"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# When no one holds the förbundsdirektör's role on the day: a place to write the name.
NO_DIRECTOR = "[Förbundsdirektörens namn]"


@dataclass
class Draft:
    content: bytes
    filename: str
    proposal: str


def proposal(*, plan, kind: str) -> str:
    """The beslutsförslag, one sentence."""
    if kind == ADOPT:
        return f"Direktionen föreslås besluta att fastställa internkontrollplan {plan.year} enligt bilaga."
    return f"Direktionen föreslås besluta att godkänna uppföljningen av intern kontroll {plan.year} enligt bilaga."


def director_name(on: datetime.date) -> str:
    """Who signs: the holder of the förbundsdirektör's role on ``on`` (``federation.selectors``)."""
    role = director_role_id()
    holder = role_holders(role=role, on=on).first() if role else None
    return person_name(holder, default=NO_DIRECTOR)


def _plan_summary(plan) -> str:
    points = ControlPoint.objects.filter(area__plan=plan)
    risks = list(plan.risks.all())
    high = sum(1 for risk in risks if risk.tone()[0] == Tone.RED)
    areas = plan.areas.count()
    scope = ngettext(
        "Planen omfattar %(areas)d granskningsområde", "Planen omfattar %(areas)d granskningsområden", areas
    ) % {"areas": areas}
    scope += f" med {points.count()} kontrollmoment"
    if risks:
        basis = " utifrån en risk- och väsentlighetsanalys"
        assessed = ngettext("%(count)d risk", "%(count)d risker", len(risks)) % {"count": len(risks)}
        highs = ngettext("%(count)d hög", "%(count)d höga", high) % {"count": high} if high else "ingen hög"
        scope += f"; analysen bedömer {assessed}, varav {highs}."
    else:
        basis = ""
        scope += ". Planen har ännu ingen riskanalys."
    return (
        "Direktionen ansvarar enligt kommunallagen (6 kap. 6 §) för att den interna kontrollen är tillräcklig. "
        f"Förbundsdirektören har tagit fram ett förslag till internkontrollplan för {plan.year}{basis}. {scope} "
        "För varje kontrollmoment anges kontrollmetod, frekvens och kontrollansvarig. Planen följs upp och "
        "avrapporteras till Direktionen i samband med årsbokslutet."
    )


def _follow_up_summary(plan, on: datetime.date) -> str:
    checks = Check.objects.filter(control_point__area__plan__fiscal_year=plan.fiscal_year)
    counts = checks.summary(on=on)
    deviations = Deviation.objects.filter(check_item__in=checks).count()
    adopted = f", antagen av {plan.decision.citation()}," if plan.decision else ""
    sign_off = getattr(plan, "sign_off", None)
    signed = (
        f" Förbundsdirektören undertecknade uppföljningen {local_time(sign_off.signed_at):%Y-%m-%d}."
        if sign_off
        else ""
    )
    events = (
        ngettext(
            " Dessutom har %(count)d händelsestyrd kontroll registrerats.",
            " Dessutom har %(count)d händelsestyrda kontroller registrerats.",
            counts["event_done"],
        )
        % {"count": counts["event_done"]}
        if counts["event_done"]
        else ""
    )
    registered = ngettext(
        "%(count)d avvikelse har registrerats", "%(count)d avvikelser har registrerats", deviations
    ) % {"count": deviations}
    return (
        f"Internkontrollplanen för {plan.year}{adopted} har följts upp. Av {counts['planned']} planerade "
        f"kontroller har {counts['done']} genomförts: {counts['ok']} utan anmärkning, {counts['remark']} med "
        f"anmärkning och {counts['not_done']} har inte kunnat genomföras.{events} {registered}; åtgärderna "
        f"och hur de följs upp redovisas i bilagan.{signed}"
    )


# The Planerade column of an event-driven kontrollmoment (logged when it happens, see ControlPoint.event_driven).
EVENT_DRIVEN_WORD = "Händelsestyrd"


def follow_up_table(plan, on: datetime.date) -> Table:
    """Per kontrollmoment: planned, done, with remark and not done, with the area's result; an event-driven
    kontrollmoment shows "Händelsestyrd" and how many of its events were registered."""
    counts = Check.objects.filter(control_point__area__plan=plan).summary(on=on, by="control_point")
    points = (
        ControlPoint.objects.filter(area__plan=plan)
        .select_related("area", "responsible_role")
        .order_by("area__number", "order", "pk")
    )
    table = Table(
        title=f"Uppföljning av intern kontroll {plan.year}",
        header=["Granskningsområde", "Kontrollmoment", "Kontrollansvarig", "Planerade", "Genomförda",
                "Med anmärkning", "Ej genomförda", "Resultat av granskning"],
        widths=[3, 4, 2, 1.2, 1.2, 1.3, 1.3, 3],
    )  # fmt: skip
    area = None
    for point in points:
        row = counts.get(point.pk) or {}
        first = point.area_id != area
        if point.event_driven:
            # Logged when the event happens: never planned nor missed, only how many were registered.
            planned, done, remark, not_done = (
                EVENT_DRIVEN_WORD,
                row.get("event_done", 0),
                row.get("event_remark", 0),
                "–",
            )
        else:
            planned, done = row.get("planned", 0), row.get("done", 0)
            remark, not_done = row.get("remark", 0), row.get("not_done", 0)
        table.rows.append(
            [
                str(point.area) if first else "",
                point.description,
                point.responsible_role.name,
                str(planned),
                str(done),
                # Counts, without colours: a colour stands for a status word (the colour key), not a number.
                str(remark),
                str(not_done),
                point.area.result_text if first else "",
            ]
        )
        area = point.area_id
    if not table.rows:
        table.rows.append([Cell("Planen har inga kontrollmoment.", colspan=len(table.header))])
    return table


def draft_report(*, plan: ControlPlan, kind: str, on: datetime.date | None = None) -> Report:
    """The tjänsteskrivelse as a report: what Word shows, section by section."""
    if kind not in (ADOPT, REPORT):
        raise ValueError(f"Okänd typ av tjänsteskrivelse: {kind}")
    on = on or dates.today()
    year = plan.year
    subject = f"Internkontrollplan {year}" if kind == ADOPT else f"Uppföljning av intern kontroll {year}"
    appendix = subject
    report = Report(title="Tjänsteskrivelse", subtitle=f"{AUTHOR}, {on:%Y-%m-%d}")
    report.sections.append(Section(title="Ärende", level=1, blocks=[Paragraph(subject)]))
    report.sections.append(Section(title="Beslutsförslag", level=1, blocks=[Paragraph(proposal(plan=plan, kind=kind))]))
    summary = _plan_summary(plan) if kind == ADOPT else _follow_up_summary(plan, on)
    report.sections.append(Section(title="Sammanfattning", level=1, blocks=[Paragraph(summary)]))
    basis = Section(title="Beslutsunderlag", level=1)
    basis.add(Paragraph(f"Tjänsteskrivelse {on:%Y-%m-%d}"))
    basis.add(Paragraph(f"Bilaga: {appendix}"))
    # Signed as a tjänsteskrivelse is: the name, then the title.
    basis.add(Paragraph(director_name(on)))
    basis.add(Paragraph("Förbundsdirektör"))
    report.sections.append(basis)
    attached = Section(title=f"Bilaga: {appendix}", level=1)
    if kind == ADOPT:
        attached.add(plan_table(plan))
    else:
        attached.add(follow_up_table(plan, on))
        attached.add(open_actions_table(year))
    report.sections.append(attached)
    return report


def plan_decision_draft(*, plan: ControlPlan, kind: str, on: datetime.date | None = None) -> Draft:
    """The tjänsteskrivelse as DOCX, with its file name."""
    from federation.reports.word import render_docx

    report = draft_report(plan=plan, kind=kind, on=on)
    what = f"internkontrollplan-{plan.year}" if kind == ADOPT else f"uppfoljning-intern-kontroll-{plan.year}"
    return Draft(render_docx(report), f"tjansteskrivelse-{what}.docx", proposal(plan=plan, kind=kind))
