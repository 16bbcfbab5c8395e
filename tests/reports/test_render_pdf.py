"""The PDF export: A4, "Sida X av Y", headers repeated on every page, PDF/A."""

import re
import zlib

import pytest

from federation.reports.pdf import pdf_document, render_pdf
from tests.reports.conftest import pdf_page_texts

pytestmark = pytest.mark.django_db


def inflated_streams(data: bytes) -> bytes:
    """Every compressed stream in the file, decompressed and joined."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out)


def test_the_pdf_is_a_pdf_a_document(report):
    data = render_pdf(report)
    assert data.startswith(b"%PDF-1.7")
    metadata = inflated_streams(data)
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in metadata  # PDF/A-3b identification (XMP)
    assert b"/OutputIntents" in metadata  # the catalog sits in a compressed object stream
    assert b"/FontFile2" in metadata or b"/FontFile3" in metadata  # fonts embedded


def test_every_page_is_numbered_sida_x_av_y(report):
    document = pdf_document(report)
    pages = pdf_page_texts(document)
    assert len(pages) >= 3, "the fake plan table is long enough to span pages"
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text


def test_pages_are_a4(report):
    page = pdf_document(report).pages[0]
    # CSS px at 96 dpi: 210 mm × 297 mm
    assert round(page.width / 96 * 25.4) == 210 and round(page.height / 96 * 25.4) == 297


def test_the_table_header_repeats_on_every_page_the_plan_spans(report):
    pages = pdf_page_texts(pdf_document(report))
    plan_pages = [text for text in pages if "Kontrollmoment 1: följsamhet" in text]
    assert len(plan_pages) >= 2
    for text in plan_pages:
        assert "Kontrollmetod" in text and "Kontrollansvarig" in text


def test_content_reads_in_correct_swedish(report):
    text = " ".join(pdf_page_texts(pdf_document(report)))
    assert "2.7 Intern kontroll" in text
    assert "Beslut om intern kontrollplan 2020 fattades av Direktionen 2019-12-06." in text
    assert "Avvikelse: två fakturor saknade attest" in text


def test_no_text_runs_outside_its_cell_and_no_table_outside_the_page(report):
    from weasyprint.formatting_structure import boxes

    # A long word and dates in narrow columns are the hard cases.
    plan = list(report.tables())[-1]
    plan.rows.append(["Informationssäkerhetsklassificeringsrutin", "2020-06-30", "2020-07-07", "1 875 tkr", "x", "y"])
    overflows = []

    def walk(box, page_number, page_right, cell=None):
        if isinstance(box, boxes.TableCellBox):
            cell = box
        if isinstance(box, boxes.TextBox) and cell is not None:
            if box.position_x + box.width > cell.content_box_x() + cell.width + 0.5:
                overflows.append((page_number, box.text))
        if isinstance(box, boxes.TableBox) and box.position_x + box.margin_width() > page_right + 0.5:
            overflows.append((page_number, "table"))
        for child in getattr(box, "children", None) or []:
            walk(child, page_number, page_right, cell)

    for number, page in enumerate(pdf_document(report).pages, start=1):
        page_box = page._page_box
        walk(page_box, number, page_box.margin_width() - page_box.margin_right)
    assert overflows == []
