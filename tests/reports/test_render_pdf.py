"""The PDF export's pages: A4, running header, "Sida X av Y", table headers
repeated on every page a table spans, captions kept with their table, the text
readable (and searchable) as written."""

import io

import pytest
from pypdf import PdfReader

from federation.reports.document import Cell, Paragraph, Report, Section, Table
from federation.reports.pdf import render_pdf
from tests.reports.conftest import pdf_page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(report):
    return pdf_page_texts(render_pdf(report))


def test_every_page_is_numbered_sida_x_av_y(pages):
    assert len(pages) >= 3, "the fake plan table is long enough to span pages"
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text


def test_every_page_has_the_running_header(report, pages):
    for text in pages:
        assert text.startswith(f"Boråsregionen Sjuhärads kommunalförbund {report.title}")


def test_pages_are_a4(report):
    for page in PdfReader(io.BytesIO(render_pdf(report))).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_the_table_header_repeats_on_every_page_the_plan_spans(pages):
    plan_pages = [text for text in pages if "Kontrollmoment 1: följsamhet" in text]
    assert len(plan_pages) >= 2
    for text in plan_pages:
        assert "Kontrollmetod" in text and "Kontrollansvarig" in text


def test_content_reads_in_correct_swedish(pages):
    text = " ".join(pages)
    assert "2.7 Intern kontroll" in text
    assert "Beslut om intern kontrollplan 2020 fattades av Direktionen 2019-12-06." in text
    assert "Avvikelse: två fakturor saknade attest" in text
    assert "1 875 1 902 Uppfyllt" in text  # grouped numbers read as written


def test_the_appendix_starts_on_a_page_of_its_own(pages):
    first = next(number for number, text in enumerate(pages) if "Bilaga 2 Internkontrollplan 2019" in text)
    assert "7 Navet science center" not in pages[first] and "6 Medarbetarcentrum" not in pages[first]


def long_table(rows=80):
    table = Table(title="Tabell efter texten", header=["Kolumn A", "Kolumn B"])
    table.rows = [[f"Rad {number}", "text"] for number in range(1, rows + 1)]
    return table


@pytest.mark.parametrize("lines", range(30, 50))
def test_a_caption_always_shares_its_page_with_the_header_and_first_row(lines):
    # given enough paragraphs that, for some of these counts, the caption falls at the foot of a page
    section = Section(title="1 Avsnitt", blocks=[Paragraph(f"Stycke {n}.") for n in range(lines)])
    section.add(long_table())
    # when rendered
    pages = pdf_page_texts(render_pdf(Report(title="Rapport", sections=[section])))
    # then the page with the caption also has the table's header and first row
    page = next(text for text in pages if "Tabell efter texten" in text)
    assert "Kolumn A Kolumn B Rad 1 text" in page


def test_a_long_table_starts_right_under_its_caption_not_on_a_new_page():
    section = Section(title="1 Avsnitt", blocks=[Paragraph("Ett stycke."), long_table(rows=200)])
    pages = pdf_page_texts(render_pdf(Report(title="Rapport", sections=[section])))
    assert "Tabell efter texten Kolumn A Kolumn B Rad 1 text" in pages[0]


def test_a_row_taller_than_a_page_is_split_rather_than_failing_the_export():
    # given a cell with more text than a page holds
    table = Table(title="Lång kommentar", header=["Moment", "Kommentar"], widths=[1, 4])
    words = " ".join(f"ord{number}" for number in range(3000))
    table.rows = [["Kort", Cell(words)], ["Nästa", "rad"]]
    # when rendered
    pages = pdf_page_texts(render_pdf(Report(title="Rapport", sections=[Section(title="1 A", blocks=[table])])))
    # then the row runs over pages, each with the table header, and nothing is lost
    assert len(pages) >= 2
    text = " ".join(pages)
    assert "ord0 " in text and "ord2999" in text and "Nästa rad" in text
    assert all("Moment Kommentar" in page for page in pages)


def test_an_empty_report_says_so():
    pages = pdf_page_texts(render_pdf(Report(title="Årsredovisning 2019")))
    assert "Rapporten har inga avsnitt" in pages[0] and "Sida 1 av 1" in pages[0]
