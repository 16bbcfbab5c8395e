"""Reading a spreadsheet as the person who wrote it sees it, for every import.

- ``read_sheets`` gives every sheet of an XLSX file (or the one table of a CSV file) as rows of
  strings: merged cells carry their value to every cell they span; a formula cell gives its saved
  value, and a formula without one becomes an ``Unsaved`` cell that the import reports as a row
  error; CSV with ``;``, ``,`` or tab, in UTF-8 (with or without BOM) or Windows-1252, detected.
- ``find_header`` finds the header row in the first ``HEADER_ROWS`` rows of whichever sheet holds
  one, recognising each column through a table of synonyms the caller gives (one table per import,
  in one place), or through a mapping the user gave (``parse_mapping``: "Kolumn=fält,…").
Nothing here knows what is imported; goals and internalcontrol give their own fields and synonyms.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER_ROWS = 20
IGNORE = "ignorera"
FORMULA_START = ("=", "+", "-", "@")


def ignored_headers(columns) -> list[str]:
    """The headers of ``(header, field key)`` columns that no field takes (read as IGNORE)."""
    return [header for header, key in columns if key == IGNORE]


def ignored_lines(columns) -> list[str]:
    """ "Kolumnen ”Not” läses inte in (inget fält)." for each ``(header, field key)`` no field takes: what a
    command line import prints (the admin pages list them once, as "Ignoreras: …")."""
    line = _("Kolumnen ”%(col)s” läses inte in (inget fält).")
    return [line % {"col": header} for header in ignored_headers(columns)]


class Unsaved(str):
    """A formula cell that has no saved value (the file was written by a program that does not calculate)."""


def unneutralise(value: str) -> str:
    """Our own exports put an apostrophe before a cell that would start a formula; read it back."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def normalise_header(text: str) -> str:
    """A header as compared with the synonyms: lower case, single spaces, no trailing punctuation."""
    text = str(text or "").replace("\u00a0", " ").replace("\n", " ").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.strip(" :.*")


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def _read_xlsx(content: bytes) -> list[Sheet]:
    """Every worksheet read once, with openpyxl's own sheet parser (the one its read-only mode streams with):
    the saved values, the formulas that have none (``Unsaved``) and the merged ranges in one pass, instead of
    loading the whole workbook as cell objects (and a second time for the formulas). The rows are what
    openpyxl's full load gives: from row 1 and column 1 to the last cell or merged range, every row as wide."""
    try:
        reader = _workbook_reader()(io.BytesIO(content), read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from error
    try:
        return [Sheet(sheet.title, _xlsx_rows(workbook, sheet)) for sheet in workbook.worksheets]
    except Exception as error:  # a broken sheet inside a readable archive
        raise ValidationError(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from error
    finally:
        workbook.close()


def _workbook_reader():
    """openpyxl's workbook reader in read-only mode, without the pass over each sheet it makes to find the sheet's
    size when the file does not state it (files written by streaming writers): the cells give the size."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class SizedByCells(ReadOnlyWorksheet):
        def _get_size(self):
            pass

    class Reader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)
                    continue
                worksheet = SizedByCells(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)

    return Reader


def _xlsx_rows(workbook, sheet) -> list[list[str]]:
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag = f"{{{SHEET_MAIN_NS}}}t"

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            text = None
            if element.get("t") == "inlineStr":  # one plain <t> (no rich-text runs) and no formula: its text
                inline = element.find(INLINE_STRING)
                if (
                    inline is not None
                    and len(inline) == 1
                    and inline[0].tag == text_tag
                    and element.find(FORMULA_TAG) is None
                ):
                    text = inline[0].text or ""
            if text is not None:
                cell = self.inline_text_cell(element, text)
            else:
                cell = super().parse_cell(element)  # the saved value (data_only)
            if element.find(FORMULA_TAG) is not None:
                formula = self.parse_formula(element)  # every one, so a shared formula's copies translate
                if cell["value"] in (None, "") and isinstance(formula, str) and formula.startswith("="):
                    cell["value"] = Unsaved(formula)
            return cell

        def inline_text_cell(self, element, text):
            """A plain inline string (``<is><t>…</t></is>``, as streaming writers save text), as ``parse_cell``
            reads it, without building openpyxl's rich-text objects for it."""
            style_id = element.get("s", 0)
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            return {"row": row, "column": column, "value": text, "data_type": "s",
                    "style_id": int(style_id) if style_id else 0}  # fmt: skip

    values = {}
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = Parser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                        date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)  # fmt: skip
        for _index, cells in parser.parse():
            for cell in cells:
                values[cell["row"], cell["column"]] = cell["value"]
    merged = [CellRange(m.ref) for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    if not values and not merged:
        return []
    height = max([row for row, _column in values] + [m.max_row for m in merged])
    width = max([column for _row, column in values] + [m.max_col for m in merged])
    rows = [[""] * width for _ in range(height)]
    for (row, column), value in values.items():
        rows[row - 1][column - 1] = value if isinstance(value, Unsaved) else _cell_text(value)
    for merged_range in merged:
        top_left = rows[merged_range.min_row - 1][merged_range.min_col - 1]
        for r in range(merged_range.min_row - 1, merged_range.max_row):
            for c in range(merged_range.min_col - 1, merged_range.max_col):
                rows[r][c] = top_left
    return rows


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (CSV saved by Excel in Swedish Windows)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("Filens teckenkodning känns inte igen. Spara CSV-filen som UTF-8 och försök igen.")
        ) from error


def _read_csv(content: bytes) -> list[Sheet]:
    text = _decode(content)
    best, best_score = None, -1
    for delimiter in (";", ",", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        # The delimiter that splits most lines into the same number (more than one) of columns.
        widths = Counter(len(row) for row in rows if len(row) > 1)
        score = max(widths.values(), default=0)
        if score > best_score:
            best, best_score = rows, score
    if best is None:
        raise ValidationError(_("Filen kunde inte läsas som CSV."))
    return [Sheet("CSV", best)]


def read_sheets(path, content: bytes | None = None) -> list[Sheet]:
    suffix = Path(str(path)).suffix.lower()
    if content is None:
        content = Path(path).read_bytes()
    if suffix == ".xlsx":
        sheets = _read_xlsx(content)
    elif suffix in (".csv", ".txt"):
        sheets = _read_csv(content)
    else:
        raise ValidationError(_("Filen måste vara .xlsx eller .csv."))
    for sheet in sheets:
        sheet.rows = [[cell if isinstance(cell, Unsaved) else unneutralise(str(cell).strip()) for cell in row]
                      for row in sheet.rows]  # fmt: skip
    return sheets


# --- Headers ---------------------------------------------------------------------------


def parse_mapping(text: str, fields: dict[str, str]) -> dict[str, str]:
    """ "Kolumn=fält,Kolumn 2=ignorera" → {normalised column: field key}. ``fields`` maps each field's
    Swedish name (as the user writes it) to its key. Swedish error for an unknown field."""
    mapping = {}
    by_name = {normalise_header(name): key for name, key in fields.items()}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text or ""))):
        column, sep, target = part.partition("=")
        if not sep or not column.strip():
            raise ValidationError(_("Skriv kolumnmappningen som ”Kolumn=fält”, t.ex. ”Vad gör vi=kontrollmoment”."))
        target = normalise_header(target)
        if target == IGNORE:
            mapping[normalise_header(column)] = IGNORE
        elif target in by_name:
            mapping[normalise_header(column)] = by_name[target]
        else:
            raise ValidationError(
                _("Okänt fält ”%(field)s” i kolumnmappningen. Fälten är: %(fields)s, ignorera.")
                % {"field": target, "fields": ", ".join(fields)}
            )
    return mapping


def column_fields(headers, *, synonyms: dict[str, str], mapping: dict[str, str]) -> list[tuple[str, str]]:
    """Each non-empty header of the file with the field key it is read as (``IGNORE`` when none), as
    ``header_of`` reads them: the mapping first, then the synonyms, a field taken once. The mapping step's
    initial choices, and the preview's list of ignored columns."""
    columns, taken, seen = [], set(), set()
    for cell in headers:
        name = normalise_header(cell)
        if not name or name in seen:
            continue
        seen.add(name)
        key = mapping.get(name) or synonyms.get(name) or IGNORE
        if key != IGNORE and key in taken:
            key = IGNORE
        taken.add(key)
        columns.append((str(cell).strip(), key))
    return columns


@dataclass
class Header:
    sheet: str
    index: int  # the header row's index in the sheet's rows
    columns: dict[str, int]  # field key → column index
    ignored: list[str] = field(default_factory=list)  # the file's headers no field takes
    labels: dict[str, str] = field(default_factory=dict)  # field key → the header as written in the file

    def cell(self, row: list[str], key: str) -> str:
        index = self.columns.get(key)
        return row[index] if index is not None and index < len(row) else ""


def header_of(row: list[str], synonyms: dict[str, str], mapping: dict[str, str]) -> Header:
    columns, ignored, labels = {}, [], {}
    for index, cell in enumerate(row):
        name = normalise_header(cell)
        if not name:
            continue
        key = mapping.get(name) or synonyms.get(name)
        if key == IGNORE or key is None or key in columns:
            ignored.append(str(cell).strip())
            continue
        columns[key] = index
        labels[key] = str(cell).strip()
    return Header(sheet="", index=0, columns=columns, ignored=ignored, labels=labels)


def find_header(
    sheets: list[Sheet],
    *,
    synonyms: dict[str, str],
    required: tuple[str, ...],
    mapping: dict[str, str] | None = None,
    sheet_name: str | None = None,
) -> tuple[list[Header], list[tuple[str, list[str]]]]:
    """The header rows that name every ``required`` field, one per sheet that has one (a cover sheet has none),
    and, for the sheets that have none, the best row's headers (to show in a mapping step)."""
    mapping = mapping or {}
    found, near = [], []
    for sheet in sheets:
        if sheet_name and sheet.name != sheet_name:
            continue
        best = None
        for index, row in enumerate(sheet.rows[:HEADER_ROWS]):
            header = header_of(row, synonyms, mapping)
            header.sheet, header.index = sheet.name, index
            if all(key in header.columns for key in required):
                found.append(header)
                break
            filled = [str(c).strip() for c in row if str(c).strip()]
            if len(filled) >= 2 and (best is None or len(header.columns) > best[0]):
                best = (len(header.columns), filled)
        else:
            if best:
                near.append((sheet.name, best[1]))
    if sheet_name and not any(sheet.name == sheet_name for sheet in sheets):
        raise ValidationError(
            _("Bladet ”%(name)s” finns inte i filen. Bladen är: %(names)s.")
            % {"name": sheet_name, "names": ", ".join(s.name for s in sheets)}
        )
    return found, near
