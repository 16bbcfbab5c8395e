"""The 2019 report from the demo data (the 2019 fixture), read back from the
exported files: Bilaga 2 has the 26 granskningsområden in order, section 4 the
seven inriktningsmål and the 4.3 strategies. Runs once both apps' section
builders exist (skipped on a branch without them), with the builders they register."""

import io
import re

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from federation.reports.builder import build_year_report
from federation.reports.excel import render_xlsx
from federation.reports.pdf import render_pdf
from federation.reports.word import render_docx
from tests.reports.conftest import pdf_page_texts

pytest.importorskip("internalcontrol.report")
pytest.importorskip("goals.report")

pytestmark = pytest.mark.django_db

AREA = re.compile(r"^(\d+)\. \S")


@pytest.fixture
def report_2019(registered_builders, demo_data):
    return build_year_report(fiscal_year=2019)


def area_numbers(texts):
    return [int(AREA.match(text).group(1)) for text in texts if text and AREA.match(text)]


def test_the_word_file_has_section_4_and_bilaga_2_as_in_the_annual_report(report_2019):
    document = docx.Document(io.BytesIO(render_docx(report_2019)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    titles = [text for _style, text in headings]
    assert titles[:2] == ["Sammanfattning", "2.7 Intern kontroll"] and titles[-1] == "Bilaga 2 Internkontrollplan 2019"
    # 4.2: the seven inriktningsmål, each a heading under it; 4.3: seven numbered groups of strategies
    start, end = titles.index("4.2 Måluppfyllelse inriktningsmål"), titles.index("4.3 Måluppfyllelse strategier 2019")
    assert len([style for style, _text in headings[start + 1 : end] if style == "Heading 3"]) == 7
    assert [text.split(" ")[0] for text in titles if re.match(r"4\.3\.\d ", text)] == [f"4.3.{n}" for n in range(1, 8)]
    # every strategy table names the responsible unit(s)
    header = ["Strategi", "Aktivitet/mätetal", "Verksamhet"]
    strategy_rows = [row for t in document.tables if [c.text for c in t.rows[0].cells] == header for row in t.rows[1:]]
    assert strategy_rows and all(row.cells[-1].text.strip() for row in strategy_rows)

    plan = document.tables[-1]
    assert [c.text for c in plan.rows[0].cells][:2] == ["Granskningsområde", "Kontrollmoment"]
    assert area_numbers(row.cells[0].text for row in plan.rows[1:]) == list(range(1, 27))


def test_the_excel_sheet_of_bilaga_2_lists_the_26_areas_in_order(report_2019):
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report_2019)))
    plan = workbook.worksheets[-1]
    assert plan["A1"].value == "Granskningsområde" and plan.freeze_panes == "A2"
    assert area_numbers(cell.value for cell in plan["A"][1:]) == list(range(1, 27))


def test_the_pdf_reads_bilaga_2_with_every_area_and_numbered_pages(report_2019):
    data = render_pdf(report_2019)
    pages = pdf_page_texts(data)
    # Bilaga 2 (seven columns) on landscape pages, from its heading to the end
    wide = [page.mediabox.width > page.mediabox.height for page in PdfReader(io.BytesIO(data)).pages]
    first = next(n for n, text in enumerate(pages) if "Bilaga 2 Tabell 1 – Internkontrollplan 2019" in text)
    assert all(wide[first:]) and not wide[0]
    text = " ".join(pages)
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    positions = [text.find(f"{n}. ", text.find("Bilaga 2 Internkontrollplan 2019")) for n in range(1, 27)]
    assert -1 not in positions
