"""The Excel export: one sheet per table, read back with openpyxl."""

import io

import openpyxl
import pytest

from federation.reports.document import Report, Section, Table
from federation.reports.excel import render_xlsx, sheet_name
from federation.status import TONE_BACKGROUND_HEX, Tone
from tests.reports.fake_sections import PLAN_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(report):
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))


def test_one_sheet_per_table_named_after_its_number_and_title(report, workbook):
    assert len(workbook.sheetnames) == len(list(report.tables())) == 4
    assert workbook.sheetnames == [
        "4.3.1 T1 Strategier – Välfärd…",
        "4.3.1 T2 Mätetal deltagare per…",
        "7 T1 Navet – Resultat 191231",
        "Bilaga 2 T1 Internkontrol… 2019",
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_the_header_row_is_bold_and_frozen(workbook):
    sheet = workbook["Bilaga 2 T1 Internkontrol… 2019"]
    assert [cell.value for cell in sheet[1]] == PLAN_HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_tones_fill_the_cell_beside_their_word(workbook):
    sheet = workbook["Bilaga 2 T1 Internkontrol… 2019"]
    fills = {row[-1].value: row[-1].fill.fgColor.rgb for row in sheet.iter_rows(min_row=2) if row[-1].value}
    assert fills["Utan anmärkning"].endswith(TONE_BACKGROUND_HEX[Tone.GREEN])
    assert fills["Avvikelse: två fakturor saknade attest"].endswith(TONE_BACKGROUND_HEX[Tone.RED])


def test_text_that_looks_like_a_formula_stays_text(workbook):
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    formula_like = [cell for cell in cells if cell.value == "=SUMMA(A1:A9)"]
    assert formula_like and all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)
    assert any(cell.value == "-Ekonom Navet" for cell in cells)
    assert any(cell.value == "@ej rapporterat" for cell in cells)


def test_group_rows_are_merged_across_the_table(workbook):
    sheet = workbook["Bilaga 2 T1 Internkontrol… 2019"]
    assert "A2:F2" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "Ekonomi och administration" and sheet["A2"].font.bold


def test_sheet_names_are_valid_and_unique():
    taken = set()
    names = [sheet_name(title, taken) for title in ["Plan [2019]: a/b*c?d\\e", "x" * 40, "x" * 40, "'Citat'", ""]]
    assert names[0] == "Plan 2019 a b c d e"
    assert names[1] == "x" * 30 + "…" and names[2] == "x" * 26 + "… (2)"
    assert names[3] == "Citat" and names[4] == "Tabell"


def test_a_report_without_tables_still_opens():
    data = render_xlsx(Report(title="Tom", sections=[Section(title="1 Inget")]))
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Rapport"]


def test_duplicate_table_titles_get_separate_sheets():
    section = Section(title="A", blocks=[Table(title="Mätetal", header=["a"]), Table(title="Mätetal", header=["b"])])
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(Report(title="T", sections=[section]))))
    assert workbook.sheetnames == ["Mätetal", "Mätetal (2)"]


def test_swedish_numbers_and_dates_become_numbers_and_dates(workbook):
    import datetime

    sheet = workbook["4.3.1 T2 Mätetal deltagare per…"]
    borås = [cell.value for cell in sheet[2]]
    assert borås[:3] == ["Borås", 1875, 1902]
    assert sheet["B2"].number_format == "#,##0" and (sheet["C3"].value, sheet["C3"].number_format) == (98, "0")
    assert [cell.value for cell in sheet[6]][2] == "+12 %"  # not a plain number: stays text

    from federation.reports.excel import _set_value

    cell = workbook.create_sheet("Prov")["A1"]
    _set_value(cell, "2019-12-06")
    assert cell.value == datetime.datetime(2019, 12, 6) or cell.value == datetime.date(2019, 12, 6)
    assert cell.number_format == "yyyy-mm-dd"
    _set_value(cell, "12,5")
    assert cell.value == 12.5
    _set_value(cell, "2019-13-45")
    assert cell.value == "2019-13-45"
