"""A spreadsheet is read in one pass as openpyxl's full load shows it: merged cells carry their value, a formula
without a saved value is ``Unsaved`` (also a copy of a shared formula), dates and numbers read as written, a
styled empty cell widens the sheet, and text saved as inline strings reads as plain text."""

import datetime
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

from federation.sheets import Unsaved, read_sheets


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(content: bytes, change) -> bytes:
    """The file with its first sheet's XML changed (as a program that calculates would have saved it)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            target.writestr(item, body)
    return buffer.getvalue()


def test_merged_cells_formulas_dates_and_styled_cells_read_as_the_full_workbook_shows_them():
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet["A1"] = "Internkontrollplan"
    sheet.merge_cells("A1:D1")
    sheet.append(["Område", "Moment", "Summa", "Datum"])
    sheet.append(["1. Ekonomi", "Attest", "=1+2", datetime.date(2026, 3, 1)])
    sheet.append(["", "Avstämning", 2.0, datetime.datetime(2026, 3, 1, 12, 30)])
    sheet.merge_cells("A3:A4")
    sheet["F6"].font = Font(bold=True)
    book.create_sheet("Tomt")

    plan, empty = read_sheets("plan.xlsx", saved(book))

    assert plan.name == "Plan" and empty.name == "Tomt" and empty.rows == []
    assert plan.rows[0] == ["Internkontrollplan"] * 4 + ["", ""]
    assert plan.rows[2] == ["1. Ekonomi", "Attest", "=1+2", "2026-03-01", "", ""]
    assert isinstance(plan.rows[2][2], Unsaved)
    assert plan.rows[3] == ["1. Ekonomi", "Avstämning", "2", "2026-03-01T12:30:00", "", ""]
    assert len(plan.rows) == 6 and all(len(row) == 6 for row in plan.rows)


def test_a_shared_formula_reads_its_saved_values_and_each_copy_without_one_is_unsaved():
    book = Workbook()
    for number in range(1, 5):
        book.active.append([number, f"=A{number}*2"])

    def shared(xml):
        xml = xml.replace(
            '<c r="B1"><f>A1*2</f><v></v></c>', '<c r="B1"><f t="shared" ref="B1:B4" si="0">A1*2</f><v>2</v></c>'
        )
        for number in (2, 3, 4):
            value = "<v>6</v>" if number == 3 else ""
            xml = xml.replace(f'<c r="B{number}"><f>A{number}*2</f><v></v></c>',
                              f'<c r="B{number}"><f t="shared" si="0"/>{value}</c>')  # fmt: skip
        return xml

    (sheet,) = read_sheets("tal.xlsx", with_sheet_xml(saved(book), shared))

    assert sheet.rows == [["1", "2"], ["2", "=A2*2"], ["3", "6"], ["4", "=A4*2"]]
    assert [isinstance(row[1], Unsaved) for row in sheet.rows] == [False, True, False, True]


def test_text_saved_as_inline_strings_reads_as_plain_text():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Mål")
    sheet.append(["Mål", None, "Mätetal", "=1+1"])
    sheet.append([])
    sheet.append([None, "Strategi 1.1", 3, 2.5])

    (read,) = read_sheets("mal.xlsx", saved(book))

    assert read.rows == [["Mål", "", "Mätetal", "=1+1"], ["", "", "", ""], ["", "Strategi 1.1", "3", "2.5"]]
    assert isinstance(read.rows[0][3], Unsaved)
