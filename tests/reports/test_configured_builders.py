"""The builders the apps registered, on the demo data: the report comes out in
every format with the same sections and tables (the other tests use a fake
builder)."""

import importlib.util
import io

import docx
import openpyxl
import pytest

from federation.reports.builder import build_year_report
from federation.reports.excel import render_xlsx
from federation.reports.pdf import render_pdf
from federation.reports.word import render_docx
from tests.reports.conftest import pdf_page_texts

pytestmark = pytest.mark.django_db


def module_exists(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def titles(blocks, depth=1):
    from federation.reports.document import Section

    for block in blocks:
        if isinstance(block, Section):
            yield block.title
            yield from titles(block.blocks)


def test_the_configured_builders_give_the_same_report_in_every_format(registered_builders, demo_data):
    # given the real builders (those the apps registered)
    # when the 2019 report is built
    report = build_year_report(fiscal_year=2019)
    keys = [section.key for section in report.sections]
    # then the sections come in report order
    if module_exists("internalcontrol.report"):
        assert keys[:2] == ["summary", "internal-control"] and keys[-1] == "appendix-control-plan"
    if module_exists("goals.report"):
        assert "goals" in keys
    tables = list(report.tables())

    document = docx.Document(io.BytesIO(render_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == list(titles(report.sections))
    assert [[cell.text for cell in t.rows[0].cells] for t in document.tables] == [
        [str(h) for h in table.header] for table in tables
    ]

    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert len(workbook.sheetnames) == max(1, len(tables))

    pages = pdf_page_texts(render_pdf(report))
    assert f"Sida 1 av {len(pages)}" in pages[0]
