"""XLSX rendering with openpyxl: one sheet per table, the header row bold and
frozen, tones as cell fills beside their word, text that a spreadsheet would
run as a formula (= + - @) kept as plain text. Swedish numbers ("1 875",
"12,5") and ISO dates in data cells become real numbers and dates, so they
can be summed and sorted, shown the same way."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from functools import cache

from .document import AUTHOR, LEGEND_LEAD, XML_FORBIDDEN, Report, Table
from .html import cell_text, tone_of

FORBIDDEN_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# "1 875", "62 418", "2019", "12,5" (space or no-break space as thousands separator, comma for decimals).
SWEDISH_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, keeping a trailing year or number
    ("Bilaga 2 Internkontrollplan 2019" → "Bilaga 2… 2019")."""
    if len(text) <= limit:
        return text
    head, _sep, last = text.rpartition(" ")
    if head and last.isdigit() and len(last) + 2 < limit:
        return _cut(head, limit - len(last) - 1) + " " + last
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters ending in "…", cut at a word boundary when one is near."""
    room = text[: limit - 1]
    ends_at_word = text[limit - 1 : limit] == " "
    at_space = room if ends_at_word or " " not in room else room.rsplit(" ", 1)[0]
    if len(at_space) < limit // 2:
        at_space = room
    return at_space.rstrip(" –-:,") + "…"


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name from a table title (≤ 31 characters,
    none of []:*?/\\, not starting or ending with an apostrophe)."""
    base = FORBIDDEN_SHEET_CHARACTERS.sub(" ", XML_FORBIDDEN.sub("", title))
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or "Tabell"
    name = _shorten(base, MAX_SHEET_NAME)
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = _shorten(base, MAX_SHEET_NAME - len(suffix)) + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _set_value(cell, text: str):
    """A data cell: a number or a date when the text is exactly one, else text."""
    if ISO_DATE.fullmatch(text):
        try:
            cell.value = datetime.date.fromisoformat(text)
        except ValueError:
            return _set_text(cell, text)
        cell.number_format = "yyyy-mm-dd"
        return
    if SWEDISH_NUMBER.fullmatch(text):
        digits = re.sub(r"[ \u00a0\u202f]", "", text)
        grouped = digits != text
        if "," in digits:
            cell.value = float(digits.replace(",", "."))
            cell.number_format = "#,##0.0#" if grouped else "0.0#"
        else:
            cell.value = int(digits)
            cell.number_format = "#,##0" if grouped else "0"
        return
    _set_text(cell, text)


def _set_text(cell, text: str):
    """Write ``text`` as text, never as a formula (and without the characters a workbook cannot hold)."""
    text = XML_FORBIDDEN.sub("", text)
    cell.value = text
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _add_styles(workbook):
    """The cell styles as named styles, registered once per workbook: assigning a style by name is far cheaper
    in openpyxl than a Font, Fill and Alignment per cell (and the names show in Excel's style list)."""
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

    from federation.status import TONE_BACKGROUND_HEX

    wrap = Alignment(wrap_text=True, vertical="top")
    styles = [
        NamedStyle(STYLE_HEADER, font=Font(bold=True), fill=PatternFill("solid", fgColor="E8ECF0"), alignment=wrap),
        NamedStyle(STYLE_DATA, alignment=wrap),
        NamedStyle(STYLE_DATA + STYLE_BOLD, font=Font(bold=True), alignment=wrap),
        NamedStyle(STYLE_NOTE, font=Font(italic=True, size=8)),
    ]
    for tone, colour in TONE_BACKGROUND_HEX.items():
        fill = PatternFill("solid", fgColor=colour)
        styles.append(NamedStyle(_tone_style(tone), fill=fill, alignment=wrap))
        styles.append(NamedStyle(_tone_style(tone) + STYLE_BOLD, font=Font(bold=True), fill=fill, alignment=wrap))
    for style in styles:
        workbook.add_named_style(style)


STYLE_HEADER, STYLE_DATA, STYLE_NOTE, STYLE_BOLD = "Tabellhuvud", "Tabelldata", "Fotnot", " fet"


def _tone_style(tone) -> str:
    return f"Tabelldata {tone}"


def _add_sheet(workbook, table: Table, taken: set[str]):
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(sheet_name(table.short_name, taken))
    for index, heading in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=index)
        _set_text(cell, heading)
        cell.style = STYLE_HEADER
    sheet.freeze_panes = "A2"

    lengths = [len(heading) for heading in table.header]
    row_number = 1
    for row in table.grid():
        row_number += 1
        for index, span, item in row:
            column = index + 1  # openpyxl counts from 1
            text = cell_text(item)
            cell = sheet.cell(row=row_number, column=column)
            tone = tone_of(item.tone)
            cell.style = (STYLE_DATA if tone is None else _tone_style(tone)) + (STYLE_BOLD if item.bold else "")
            _set_value(cell, text)  # after the style: a number or date sets its own number format
            if span > 1:
                sheet.merge_cells(
                    start_row=row_number, start_column=column, end_row=row_number, end_column=column + span - 1
                )
            else:
                lengths[index] = max(lengths[index], len(text))

    for note in table.footnotes:
        row_number += 1
        cell = sheet.cell(row=row_number + 1, column=1)
        _set_text(cell, note)
        cell.style = STYLE_NOTE

    legend = table.legend()
    if legend:
        # The key to the colours: one row each, the colour's name on its fill, then the words it stands for.
        row_number += 1
        _set_text(sheet.cell(row=row_number + 1, column=1), f"{LEGEND_LEAD}:").style = STYLE_NOTE
        for tone, words in legend:
            row_number += 1
            swatch = sheet.cell(row=row_number + 1, column=1)
            _set_text(swatch, str(tone.label))
            swatch.style = _tone_style(tone)
            _set_text(sheet.cell(row=row_number + 1, column=2), ", ".join(words))

    for index, length in enumerate(lengths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(60, length + 2))
    sheet.print_title_rows = "1:1"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = XML_FORBIDDEN.sub("", report.title)
    workbook.properties.creator = AUTHOR
    _add_styles(workbook)
    taken: set[str] = set()
    for table in report.tables():
        _add_sheet(workbook, table, taken)
    if not workbook.worksheets:
        sheet = workbook.create_sheet("Rapport")
        sheet["A1"] = report.title
        sheet["A2"] = "Rapporten innehåller inga tabeller."
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        _writer_class()(workbook, archive).save()  # (as openpyxl's Workbook.save, with the sheets in memory)
    return buffer.getvalue()


@cache
def _writer_class():
    """openpyxl's workbook writer, except that each sheet's XML is written in memory and not to a temporary
    file that is read back into the archive and removed (a few milliseconds per sheet, one sheet per table)."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class InMemoryExcelWriter(ExcelWriter):
        def write_worksheet(self, ws):
            # openpyxl's ExcelWriter.write_worksheet for a workbook that is not write-only, the temporary
            # file replaced by a buffer
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.out.getvalue())
            self.manifest.append(ws)

    return InMemoryExcelWriter
