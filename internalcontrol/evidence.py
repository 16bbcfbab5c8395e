"""The revisorer's evidence pack of a year: one ZIP with

- ``sammanfattning-<år>.pdf``, a PDF/A summary (a ``federation.reports.document.Report`` rendered by the
  year-end report's PDF renderer);
- ``bevispaket-<år>.xlsx``, one sheet per part: the decisions, the plan, the risk analysis, every check
  (who, when, result, sample, comment), every avvikelse → åtgärd → verification, the sign-off and the list of
  evidence files;
- ``bevis/…``, the evidence files themselves, named by their check ("bevis/3.2 Attestordning – 2019-03-31 –
  faktura.pdf"): unique, and only characters every file system accepts.

The ZIP is written to a file object piece by piece (the evidence files are copied in chunks), so a large
year does not have to fit in memory."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from federation import dates
from federation.models import Decision, FiscalYear
from federation.people import local_naive, person_name
from federation.reports.document import Cell, Paragraph, Report, Section, Table
from federation.status import Tone

from .models import Action, Check, ControlPlan, ControlPoint, Deviation, Evidence, Risk

EVIDENCE_FOLDER = "bevis"
# Longest part of a name taken from the area (the rest of the name is the number, the date and the file).
AREA_IN_NAME = 40
FILE_IN_NAME = 80
CHUNK = 1024 * 1024
# Characters no file name may hold on Windows, macOS or Linux, and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int, str], None]


class EvidencePackError(ValueError):
    """A Swedish message for a year that cannot be packed."""


def _no_progress(percent: int, message: str) -> None:
    return None


def pack_filename(year: int) -> str:
    return f"bevispaket-{year}.zip"


def resolve_year(year) -> FiscalYear:
    """The fiscal year ``year`` (a number, a text or a FiscalYear), or EvidencePackError in Swedish."""
    if isinstance(year, FiscalYear):
        return year
    text = str(year).strip()
    fiscal_year = FiscalYear.objects.filter(year=int(text)).first() if text.isascii() and text.isdigit() else None
    if fiscal_year is None:
        raise EvidencePackError(f"Okänt verksamhetsår: {year}.")
    return fiscal_year


# --- Names ---------------------------------------------------------------------------


def safe_name(text: str, limit: int) -> str:
    """``text`` as part of a file name: no character a file system refuses, no leading dot, at most ``limit``
    characters (the extension kept), never empty."""
    text = unicodedata.normalize("NFC", text)
    text = UNSAFE.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    if len(text) > limit:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 8 and stem:
            text = stem[: limit - len(extension) - 1].rstrip() + "." + extension
        else:
            text = text[:limit].rstrip()
    return text or "fil"


def evidence_name(*, number: str, area: str, due_date: datetime.date, filename: str, taken: set[str]) -> str:
    """ "bevis/3.2 Attestordning – 2019-03-31 – faktura.pdf", with " (2)", " (3)" … before the extension when
    the name is taken (compared without case: Windows and macOS do so)."""
    original = safe_name(filename.rsplit("/", 1)[-1], FILE_IN_NAME)
    base = f"{number} {safe_name(area, AREA_IN_NAME)} – {due_date:%Y-%m-%d} – {original}"
    stem, dot, extension = base.rpartition(".")
    if not dot or not stem or "–" in extension:
        stem, dot, extension = base, "", ""
    name, counter = base, 2
    while name.casefold() in taken:
        name = f"{stem} ({counter}){dot}{extension}"
        counter += 1
    taken.add(name.casefold())
    return f"{EVIDENCE_FOLDER}/{name}"


# --- The year's content --------------------------------------------------------------


@dataclass
class PackFile:
    evidence: Evidence
    name: str
    present: bool = True


@dataclass
class PackContent:
    fiscal_year: FiscalYear
    plans: list[ControlPlan]
    plan: ControlPlan | None
    decisions: list[tuple[ControlPlan, str, Decision]]
    points: list[ControlPoint]
    numbers: dict[int, str]
    risks: list[Risk]
    checks: list[Check]
    deviations: list[Deviation]
    files: list[PackFile] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.fiscal_year.year


def _point_numbers(points) -> dict[int, str]:
    """ "3.2": the area's number and the kontrollmoment's place in the area (by the plan's order)."""
    numbers, place = {}, {}
    for point in points:
        key = (point.area.plan_id, point.area_id)
        place[key] = place.get(key, 0) + 1
        numbers[point.pk] = f"{point.area.number}.{place[key]}"
    return numbers


def pack_content(*, fiscal_year: FiscalYear) -> PackContent:
    """Everything the pack shows of the year, read in a fixed number of queries (every plan version of the
    year: a superseded version keeps its performed checks)."""
    plans = list(
        ControlPlan.objects.filter(fiscal_year=fiscal_year)
        .select_related("fiscal_year", "decision__body", "report_decision__body", "sign_off__signed_by")
        .order_by("version")
    )
    plan = next((p for p in plans if p.is_current), None)
    decisions = []
    for version in plans:
        if version.decision:
            decisions.append((version, "Antagande", version.decision))
        if version.report_decision:
            decisions.append((version, "Avrapportering", version.report_decision))
    points = list(
        ControlPoint.objects.filter(area__plan__fiscal_year=fiscal_year)
        .select_related("area__plan", "area__group", "responsible_role")
        .order_by("area__plan__version", "area__number", "order", "pk")
    )
    risks = list(
        Risk.objects.filter(plan__fiscal_year=fiscal_year)
        .select_related("plan")
        .prefetch_related(Prefetch("control_points", queryset=ControlPoint.objects.only("pk")))
        .order_by("plan__version", "-likelihood", "-consequence", "pk")
    )
    checks = list(
        Check.objects.filter(control_point__area__plan__fiscal_year=fiscal_year)
        .select_related("control_point__area__plan", "control_point__responsible_role", "performed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")))
        .order_by("due_date", "control_point__area__number", "control_point__order", "pk")
    )
    deviations = list(
        Deviation.objects.filter(check_item__control_point__area__plan__fiscal_year=fiscal_year)
        .select_related("check_item__control_point__area", "recorded_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related(
                    "responsible", "done_by", "verified_by_check", "control_point__area__plan__fiscal_year"
                ).order_by("deadline", "pk"),
            )
        )
        .order_by("check_item__due_date", "recorded_at", "pk")
    )
    content = PackContent(
        fiscal_year=fiscal_year,
        plans=plans,
        plan=plan,
        decisions=decisions,
        points=points,
        numbers=_point_numbers(points),
        risks=risks,
        checks=checks,
        deviations=deviations,
    )
    taken: set[str] = set()
    for check in checks:
        for evidence in check.evidence.all():
            evidence.check_item = check
            name = evidence_name(
                number=content.numbers.get(check.control_point_id, "?"),
                area=check.control_point.area.name,
                due_date=check.due_date,
                filename=evidence.file.name,
                taken=taken,
            )
            content.files.append(PackFile(evidence=evidence, name=name))
    return content


# --- The workbook --------------------------------------------------------------------


def _date(value):
    return value if value else None


def _when(value):
    return local_naive(value) if value else None


def _sheets(content: PackContent):
    """(sheet name, header, rows) per part; every sheet name at most 31 characters."""
    numbers = content.numbers
    # The choices' labels translated once, not once a row.
    results = {value: str(label) for value, label in Check.Result.choices} | {"": "Ej registrerad"}
    severities = {value: str(label) for value, label in Check.Severity.choices} | {"": ""}
    statuses = {value: str(label) for value, label in Action.Status.choices}
    yield (
        "Beslut",
        ["Planversion", "Beslut om", "Organ", "Datum", "Paragraf", "Ärende", "Diarienummer"],
        [
            [plan.version, what, str(decision.body), decision.date, decision.paragraph, decision.subject,
             decision.reference]
            for plan, what, decision in content.decisions
        ],
    )  # fmt: skip
    yield (
        "Plan",
        ["Planversion", "Nr", "Grupp", "Granskningsområde", "Kontrollmoment", "Kontrollmetod", "Frekvens",
         "Kontrollansvarig", "Rapporteras till", "Resultat av granskning"],
        [
            [point.area.plan.version, numbers[point.pk], point.area.group.name if point.area.group else "",
             point.area.name, point.description, point.method, point.frequency_text, point.responsible_role.name,
             point.reported_to, point.area.result_text]
            for point in content.points
        ],
    )  # fmt: skip
    yield (
        "Riskanalys",
        ["Planversion", "Risk", "Sannolikhet", "Konsekvens", "Riskvärde", "Bedömning", "Kontrollmoment",
         "Skäl till att risken inte kontrolleras"],
        [
            [risk.plan.version, risk.title, risk.likelihood_label(), risk.consequence_label(), risk.value,
             str(risk.tone()[1]), ", ".join(sorted(numbers.get(p.pk, "?") for p in risk.control_points.all())),
             risk.not_covered_reason]
            for risk in content.risks
        ],
    )  # fmt: skip
    yield (
        "Kontroller",
        ["Nr", "Granskningsområde", "Kontrollmoment", "Kontrollansvarig", "Förfallodag", "Genomförd",
         "Genomförd av", "Resultat", "Allvarlighetsgrad", "Urval/stickprov", "Kommentar", "Registrerad",
         "Bevisfiler"],
        [
            [numbers.get(check.control_point_id, "?"), check.control_point.area.name, check.control_point.description,
             check.control_point.responsible_role.name, check.due_date, _date(check.performed_on),
             person_name(check.performed_by), results.get(check.result, check.result),
             severities.get(check.severity, check.severity), check.sample, check.comment,
             _when(check.logged_at), len(check.evidence.all())]
            for check in content.checks
        ],
    )  # fmt: skip
    rows = []
    for deviation in content.deviations:
        check = deviation.check_item
        first = [numbers.get(check.control_point_id, "?"), check.control_point.area.name, check.due_date,
                 deviation.description, person_name(deviation.recorded_by), _when(deviation.recorded_at)]  # fmt: skip
        actions = list(deviation.actions.all()) or [None]
        for action in actions:
            if action is None:
                rows.append([*first, "", "", "", None, "", None, "", "", None, ""])
                continue
            verified_by = action.verified_by_check
            rows.append(
                [*first, action.description, action.control_point.area.plan.fiscal_year.year,
                 person_name(action.responsible), action.deadline,
                 statuses.get(action.status, action.status), _date(action.done_on), person_name(action.done_by),
                 action.done_comment, _date(action.verified_on),
                 f"{numbers.get(verified_by.control_point_id, '?')} {verified_by.due_date:%Y-%m-%d}"
                 if verified_by else ""]
            )  # fmt: skip
    yield (
        "Avvikelser och åtgärder",
        ["Nr", "Granskningsområde", "Kontrollens förfallodag", "Avvikelse", "Registrerad av", "Registrerad",
         "Åtgärd", "Följs upp i planen för", "Ansvarig", "Senast", "Status", "Åtgärdad", "Åtgärdad av",
         "Kommentar om genomförandet", "Verifierad", "Verifierad genom kontroll"],
        rows,
    )  # fmt: skip
    sign_rows = []
    for plan in content.plans:
        sign_off = getattr(plan, "sign_off", None)
        sign_rows.append(
            [plan.version, plan.get_status_display(),
             person_name(sign_off.signed_by) if sign_off else "", _when(sign_off.signed_at) if sign_off else None,
             sign_off.comment if sign_off else "", plan.report_decision.citation() if plan.report_decision else "",
             plan.report_decision.subject if plan.report_decision else "", _date(plan.reported_on)]
        )  # fmt: skip
    yield (
        "Undertecknande",
        ["Planversion", "Status", "Undertecknad av", "Undertecknad", "Kommentar", "Avrapporterad genom beslut",
         "Ärende", "Avrapporterad"],
        sign_rows,
    )  # fmt: skip
    yield (
        "Bevisfiler",
        ["Fil i paketet", "Nr", "Förfallodag", "Beskrivning", "Avser period från", "Avser period till",
         "Gäller åtgärd", "Uppladdad av", "Uppladdad", "Finns i paketet"],
        [
            [item.name, numbers.get(item.evidence.check_item.control_point_id, "?"),
             item.evidence.check_item.due_date, item.evidence.description, item.evidence.period_start,
             item.evidence.period_end, "ja" if item.evidence.action_id else "", person_name(item.evidence.uploaded_by),
             _when(item.evidence.uploaded_at), "ja" if item.present else "nej, filen saknas"]
            for item in content.files
        ],
    )  # fmt: skip


def _cell(sheet, value, header_font=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"  # text, never a formula
    if header_font is not None:
        cell.font = header_font
    return cell


def render_workbook(content: PackContent) -> bytes:
    """The XLSX: one sheet per part, the header bold and frozen (openpyxl's write-only mode: row by row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from federation.reports.document import AUTHOR

    workbook = Workbook(write_only=True)
    workbook.properties.title = f"Bevispaket intern kontroll {content.year}"
    workbook.properties.creator = AUTHOR
    bold = Font(bold=True)
    for name, header, rows in _sheets(content):
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, heading in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(50, len(heading) + 4))
        sheet.append([_cell(sheet, heading, bold) for heading in header])
        for row in rows:
            # Plain values where openpyxl's own handling is right (a date gets yyyy-mm-dd): a cell object costs.
            sheet.append([_cell(sheet, value) if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
                          else value for value in row])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The PDF summary -----------------------------------------------------------------


def chain_ends(actions) -> tuple[list[Action], int]:
    """The åtgärder first recorded (not copies carried to a later plan), and how many of them ended verified
    (the last copy of each verified)."""
    following = {action.carried_from_id: action for action in actions if action.carried_from_id}
    originals = [action for action in actions if not action.carried_from_id]
    verified = 0
    for action in originals:
        end, seen = action, set()
        while end.pk in following and end.pk not in seen:
            seen.add(end.pk)
            end = following[end.pk]
        verified += end.status == Action.Status.VERIFIED
    return originals, verified


def summary_report(content: PackContent) -> Report:
    """The pack's summary as a report (rendered as PDF/A by ``federation.reports.pdf``)."""
    year = content.year
    report = Report(
        title=f"Bevispaket intern kontroll {year}",
        subtitle=f"Underlag för revisionen, sammanställt {dates.today():%Y-%m-%d}",
    )
    plan = content.plan
    decided = Section(title="1 Plan och beslut", level=1)
    if plan is None:
        decided.add(Paragraph(f"Det finns ingen internkontrollplan för {year}."))
    else:
        status = f"{plan} har status {plan.get_status_display().lower()}."
        decided.add(Paragraph(status))
        table = Table(title="Beslut", header=["Beslut om", "Organ", "Datum", "Paragraf", "Ärende"],
                      widths=[2, 2, 1.5, 1, 4])  # fmt: skip
        for version, what, decision in content.decisions:
            label = what if len(content.plans) == 1 else f"{what} (version {version.version})"
            table.rows.append([label, str(decision.body), f"{decision.date:%Y-%m-%d}", decision.paragraph,
                               decision.subject])  # fmt: skip
        if not table.rows:
            table.rows.append([Cell("Inget beslut är registrerat.", colspan=len(table.header))])
        decided.add(table)
    report.sections.append(decided)

    areas = {point.area_id: point.area for point in content.points}
    high = sum(1 for risk in content.risks if risk.tone()[0] == Tone.RED)
    analysis = Section(title="2 Risk- och väsentlighetsanalys", level=1)
    analysis.add(
        Paragraph(
            f"{len(content.risks)} risker är bedömda, varav {high} höga. Planen har {len(areas)} "
            f"granskningsområden och {len(content.points)} kontrollmoment."
        )
    )
    report.sections.append(analysis)

    checks = Section(title="3 Kontroller", level=1)
    done = [check for check in content.checks if check.performed_on]
    counts = {result: sum(1 for check in done if check.result == result) for result in Check.Result.values}
    checks.add(
        Paragraph(
            f"{len(content.checks)} kontroller var planerade och {len(done)} är genomförda: "
            f"{counts[Check.Result.OK]} utan anmärkning, {counts[Check.Result.REMARK]} med anmärkning och "
            f"{counts[Check.Result.NOT_DONE]} ej genomförda. {len(content.checks) - len(done)} är inte registrerade."
        )
    )
    by_area = Table(
        title=f"Kontroller per granskningsområde {year}",
        header=["Granskningsområde", "Planerade", "Genomförda", "Med anmärkning", "Ej genomförda", "Bevisfiler"],
        widths=[4, 1.2, 1.2, 1.4, 1.4, 1.2],
    )
    per_area: dict[int, list[int]] = {}
    files_per_check = {}
    for item in content.files:
        files_per_check[item.evidence.check_item_id] = files_per_check.get(item.evidence.check_item_id, 0) + 1
    for check in content.checks:
        row = per_area.setdefault(check.control_point.area_id, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += bool(check.performed_on)
        row[2] += check.result == Check.Result.REMARK
        row[3] += check.result == Check.Result.NOT_DONE
        row[4] += files_per_check.get(check.pk, 0)
    for area_id, row in sorted(per_area.items(), key=lambda item: areas[item[0]].number if item[0] in areas else 0):
        by_area.rows.append([str(areas[area_id]) if area_id in areas else "?", *(str(n) for n in row)])
    if not by_area.rows:
        by_area.rows.append([Cell("Inga kontroller.", colspan=len(by_area.header))])
    checks.add(by_area)
    report.sections.append(checks)

    actions = [action for deviation in content.deviations for action in deviation.actions.all()]
    originals, verified = chain_ends(actions)
    followed = Section(title="4 Avvikelser, åtgärder och verifiering", level=1)
    carried = len(actions) - len(originals)
    followed.add(
        Paragraph(
            f"{len(content.deviations)} avvikelser är registrerade med {len(originals)} åtgärder, varav "
            f"{verified} verifierade genom en uppföljande kontroll."
            + (f" {carried} gånger har en öppen åtgärd förts över till en senare plan; bladet Avvikelser och "
               "åtgärder visar varje led." if carried else "")
        )
    )  # fmt: skip
    report.sections.append(followed)

    signed = Section(title="5 Undertecknande och avrapportering", level=1)
    sign_off = getattr(plan, "sign_off", None) if plan else None
    if sign_off:
        signed.add(
            Paragraph(
                f"Uppföljningen undertecknades av {person_name(sign_off.signed_by)} "
                f"{local_naive(sign_off.signed_at):%Y-%m-%d}."
            )
        )
    else:
        signed.add(Paragraph("Uppföljningen är inte undertecknad."))
    if plan and plan.report_decision:
        signed.add(Paragraph(f"Avrapporterad till {plan.report_decision.citation()}: {plan.report_decision.subject}."))
    elif plan and plan.reported_on:
        signed.add(Paragraph(f"Avrapporterad {plan.reported_on:%Y-%m-%d}."))
    else:
        signed.add(Paragraph("Planen är inte avrapporterad."))
    report.sections.append(signed)

    missing = sum(1 for item in content.files if not item.present)
    contents = Section(title="6 Paketets innehåll", level=1)
    contents.add(
        Paragraph(
            f"Den här sammanfattningen (PDF/A), arbetsboken bevispaket-{year}.xlsx med ett blad per del (Beslut, "
            f"Plan, Riskanalys, Kontroller, Avvikelser och åtgärder, Undertecknande, Bevisfiler) och "
            f"{len(content.files) - missing} bevisfiler i mappen {EVIDENCE_FOLDER}/, namngivna efter kontrollen "
            f"(nummer, granskningsområde, förfallodag, filnamn)."
        )
    )
    if missing:
        contents.add(
            Paragraph(f"{missing} registrerade bevisfiler saknas i filarkivet; de står i bladet Bevisfiler.", "note")
        )
    report.sections.append(contents)
    return report


# --- The ZIP -------------------------------------------------------------------------


def _copy_file(archive: zipfile.ZipFile, item: PackFile, moment: tuple) -> bool:
    """Copy one evidence file into the archive in chunks; False when the file is gone from the storage."""
    try:
        source = item.evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        return False
    info = zipfile.ZipInfo(item.name, date_time=moment)
    info.compress_type = zipfile.ZIP_DEFLATED
    with source, archive.open(info, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK):
            target.write(chunk)
    return True


def evidence_pack_write(*, fiscal_year, target, progress: Progress | None = None) -> PackContent:
    """Write the year's pack as a ZIP to ``target`` (a binary file object). ``progress(percent, message)``
    is told how far it has come (10–95 %)."""
    from federation.reports.pdf import render_pdf

    progress = progress or _no_progress
    fiscal_year = resolve_year(fiscal_year)
    year = fiscal_year.year
    content = pack_content(fiscal_year=fiscal_year)
    progress(15, f"Hämtat {len(content.checks)} kontroller och {len(content.files)} bevisfiler …")
    moment = datetime.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The evidence files first: the summary and the workbook say which of them were found.
        total = len(content.files)
        for index, item in enumerate(content.files, start=1):
            item.present = _copy_file(archive, item, moment)
            if index % 25 == 0 or index == total:
                progress(15 + 60 * index // max(total, 1), f"Packar bevisfiler ({index} av {total}) …")
        progress(75, "Skapar arbetsboken …")
        archive.writestr(zipfile.ZipInfo(f"bevispaket-{year}.xlsx", date_time=moment), render_workbook(content),
                         compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
        progress(85, "Skapar sammanfattningen (PDF/A) …")
        archive.writestr(zipfile.ZipInfo(f"sammanfattning-{year}.pdf", date_time=moment),
                         render_pdf(summary_report(content)), compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    progress(95, "Sparar paketet …")
    return content


# --- The background run --------------------------------------------------------------


def _set_progress(pack_id: int, percent: int, message: str = ""):
    from .models import EvidencePack

    EvidencePack.objects.filter(pk=pack_id, status=EvidencePack.Status.RUNNING).update(
        progress=percent, message=message[:500]
    )


def evidence_pack_run(*, pack_id: int):
    """Build one requested pack (what the worker does for ``tasks.build_evidence_pack``), its progress recorded
    on the EvidencePack. Safe to run twice: a finished pack is left as it is."""
    import logging
    import tempfile

    from django.core.files import File
    from django.utils import timezone

    from .models import EvidencePack

    claimed = EvidencePack.objects.filter(
        pk=pack_id, status__in=[EvidencePack.Status.QUEUED, EvidencePack.Status.RUNNING]
    ).update(status=EvidencePack.Status.RUNNING, progress=5, message="Hämtar underlaget …")
    pack = EvidencePack.objects.select_related("fiscal_year").get(pk=pack_id)
    if not claimed:
        return pack
    try:
        with tempfile.TemporaryFile() as spool:
            content = evidence_pack_write(
                fiscal_year=pack.fiscal_year,
                target=spool,
                progress=lambda percent, message: _set_progress(pack_id, percent, message),
            )
            size = spool.tell()
            spool.seek(0)
            pack.refresh_from_db()
            pack.file.save(pack_filename(pack.fiscal_year.year), File(spool), save=False)
        pack.status = EvidencePack.Status.DONE
        pack.progress = 100
        pack.message = f"Klart: {len(content.checks)} kontroller, {len(content.files)} bevisfiler, " + (
            f"{max(1, round(size / 1024))} kB."
        )
        pack.finished = timezone.now()
        pack.save(update_fields=["file", "status", "progress", "message", "finished"])
    except Exception as error:
        logging.getLogger(__name__).exception("Bevispaket %s misslyckades", pack_id)
        reason = str(error) if isinstance(error, EvidencePackError) else "ett oväntat fel uppstod"
        EvidencePack.objects.filter(pk=pack_id).update(
            status=EvidencePack.Status.FAILED,
            message=f"Bevispaketet kunde inte skapas: {reason}"[:500],
            finished=timezone.now(),
        )
        pack.refresh_from_db()
    return pack
