"""The Word export: real headings and real tables, read back with python-docx."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from federation.reports.word import render_docx
from federation.status import TONE_BACKGROUND_HEX, Tone
from tests.reports.fake_sections import PLAN_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(report):
    return docx.Document(io.BytesIO(render_docx(report)))


def test_sections_are_real_word_headings(document):
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 2", "2.7 Intern kontroll") in headings
    assert ("Heading 1", "4 Måluppfyllelse") in headings
    assert ("Heading 2", "4.3 Strategier och aktiviteter") in headings
    assert ("Heading 3", "4.3.1 Välfärd och utbildning") in headings
    assert headings[-1] == ("Heading 1", "Bilaga 2 Internkontrollplan 2019")


def test_tables_have_the_exact_header_texts_marked_to_repeat_on_every_page(document):
    plan = document.tables[-1]
    assert [cell.text for cell in plan.rows[0].cells] == PLAN_HEADER
    header_flag = plan.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header_flag is not None and header_flag.get(qn("w:val")) == "true"
    assert plan.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    # 6 groups + 19 areas × 3 kontrollmoment
    assert len(plan.rows) == 1 + 6 + 19 * 3
    assert [[cell.text for cell in table.rows[0].cells] for table in document.tables[:2]] == [
        ["Strategi", "Aktivitet/mätetal", "Verksamhet"],
        ["Kommun", "Målvärde", "Utfall", "Bedömning"],
    ]


def test_group_rows_span_the_table_in_bold(document):
    plan = document.tables[-1]
    group = plan.rows[1]
    assert {cell.text for cell in group.cells} == {"Ekonomi och administration"}
    assert group.cells[0].paragraphs[0].runs[0].bold is True


def test_tone_shades_the_cell_and_the_word_stays_in_it(document):
    plan = document.tables[-1]
    shaded = {}
    for row in plan.rows[1:]:
        cell = row.cells[-1]
        shading = cell._tc.tcPr.find(qn("w:shd"))
        if shading is not None:
            shaded[cell.text] = shading.get(qn("w:fill"))
    assert shaded["Utan anmärkning"] == TONE_BACKGROUND_HEX[Tone.GREEN]
    assert shaded["Avvikelse: två fakturor saknade attest"] == TONE_BACKGROUND_HEX[Tone.RED]
    assert shaded["Med anmärkning – åtgärd pågår"] == TONE_BACKGROUND_HEX[Tone.YELLOW]


def test_footnotes_follow_their_table_in_small_print(document):
    notes = [p for p in document.paragraphs if p.text.startswith("¹ Avvikelser ska åtgärdas inom sex månader")]
    assert len(notes) == 1
    assert notes[0].runs[0].font.size.pt == 8


def test_the_page_is_a4(document):
    assert round(document.sections[0].page_width.mm) == 210
    assert round(document.sections[0].page_height.mm) == 297


def test_columns_are_measured_from_their_words_and_merged_rows_span_the_page(document):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    plan = document.tables[-1]
    widths = [column.width.pt for column in plan.columns]
    usable = (297 if document.sections[-1].page_width.mm > 250 else 210) - 40
    assert round(sum(widths) * 25.4 / 72) == usable
    # every column holds its longest word whole (8.5 pt, bold headers), besides the cell margins
    for column, width in enumerate(widths):
        words = [(word, "DejaVuSans-Bold") for word in plan.rows[0].cells[column].text.split()]
        rows = [row for row in plan.rows[1:] if len(row._tr.tc_lst) == len(widths)]  # not the merged group rows
        words += [(word, "DejaVuSans") for row in rows for word in row.cells[column].text.split()]
        longest = max(stringWidth(word, font, 8.5) for word, font in words)
        assert width >= longest + 2 * 5.4 - 0.1
    group_cell = plan.rows[1]._tr.tc_lst[0]
    assert group_cell.grid_span == 6 and round(group_cell.width.pt) == round(sum(widths))


def test_the_text_is_marked_swedish_for_spelling(document):
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"


def test_the_footer_numbers_the_pages_with_word_fields(document):
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Sida ")
    fields = [field.get(qn("w:instr")) for field in footer._p.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
