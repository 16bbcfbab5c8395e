"""PDF table cells: text never runs outside its cell, dates and grouped numbers
never break over two lines, long Swedish words are hyphenated, tone cells keep
their word."""

import io

import pytest
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import LongTable

from federation.reports.document import Cell, Report, Section, Table
from federation.reports.html import UNBREAKABLE
from federation.reports.pdf import CELL_PADDING_X, FRAME_WIDTH, render_pdf, table_flowables
from federation.status import TONE_BACKGROUND_HEX, TONE_HEX, Tone
from tests.reports.conftest import pdf_page_texts

pytestmark = pytest.mark.django_db

HARD_ROW = ["Informationssäkerhetsklassificeringsrutin", "2020-06-30", "2020-07-07", "1 875 tkr", "x", "y"]


def table_grid(table):
    """The ReportLab table among the table's flowables."""
    return next(flowable for flowable in table_flowables(table) if isinstance(flowable, LongTable))


def laid_out_cells(table):
    """Every cell paragraph wrapped to the width its column gives it: (paragraph, that width).
    A line's actual width (``getActualLineWidths0``) includes the indent for the tone's dot."""
    grid = table_grid(table)
    cells = []
    for row in grid.laid_out_rows:
        for paragraph, width in row:
            if paragraph:
                paragraph.wrap(width - 2 * CELL_PADDING_X, 10_000)
                cells.append((paragraph, width - 2 * CELL_PADDING_X))
    return grid, cells


def line_texts(paragraph):
    """The text of each line ReportLab broke the paragraph into (no-break spaces as spaces)."""
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        texts = [" ".join(words) for _extra, words in lines]
    else:
        texts = ["".join(getattr(word, "text", "") for word in line.words) for line in lines]
    return [text.replace("\u00a0", " ") for text in texts]


def test_no_text_runs_outside_its_cell_and_no_table_outside_the_page(report):
    # given the plan with a long word and dates in narrow columns
    plan = list(report.tables())[-1]
    plan.rows.append(HARD_ROW)
    # when every cell is laid out in its column
    grid, cells = laid_out_cells(plan)
    # then no line is wider than its cell, and the columns fit the page
    overflows = [
        (line_texts(paragraph), max(paragraph.getActualLineWidths0()), inner)
        for paragraph, inner in cells
        if max(paragraph.getActualLineWidths0()) > inner + 0.01
    ]
    assert overflows == []
    assert sum(width for _cell, width in grid.laid_out_rows[0]) <= FRAME_WIDTH + 0.01


def test_what_is_left_of_a_hyphenated_word_is_split_too_when_it_is_still_too_long():
    # the dictionary hyphenates "Kontrollansvarig" only as Kon-trollansvarig or Kontrollansva-rig
    table = Table(title="Plan", header=["Granskningsområde", "Kontrollansvarig"], widths=[8, 1])
    table.rows = [["Attestordning", "Kontrollansvarig"]]
    _grid, cells = laid_out_cells(table)
    assert all(max(paragraph.getActualLineWidths0()) <= inner + 0.01 for paragraph, inner in cells)


def test_text_stays_in_its_cell_even_when_the_columns_are_too_narrow_for_a_date():
    # twelve narrow columns of dates: they cannot all be widened to hold a date on one line
    table = Table(title="Datum", header=[f"K{n}" for n in range(12)], rows=[["2020-06-30"] * 12])
    _grid, cells = laid_out_cells(table)
    assert all(max(paragraph.getActualLineWidths0()) <= inner + 0.01 for paragraph, inner in cells)


@pytest.mark.parametrize(
    "widths",
    [[3, 4, 4, 2, 3, 4], [4, 4, 4, 1, 1, 1], [10, 10, 10, 1, 1, 1]],
    ids=["plan", "narrow", "very-narrow"],
)
def test_a_date_or_grouped_number_is_never_split_over_two_lines(widths):
    table = Table(title="Datum och belopp", header=["A", "B", "C", "D", "E", "F"], widths=widths)
    table.rows = [
        HARD_ROW,
        ["Senast 2020-06-30 och sedan", "Budget 1 875 tkr för året", "62 418 besökare", "2019-12-06", "12 %", "1 875"],
    ]
    _grid, cells = laid_out_cells(table)
    checked = 0
    for paragraph, _inner in cells:
        for match in UNBREAKABLE.finditer(paragraph.getPlainText().replace("\u00a0", " ")):
            checked += 1
            assert any(match.group() in line for line in line_texts(paragraph)), (match.group(), line_texts(paragraph))
    assert checked >= 8


def test_a_long_swedish_word_is_hyphenated_at_a_syllable_when_no_page_holds_it_whole(report):
    # six columns of a 41-letter word: too wide whole even for a landscape page
    word = "Informationssäkerhetsklassificeringsrutin"
    table = Table(title="Ord", header=[f"K{n}" for n in range(6)], rows=[[word] * 6])
    _grid, cells = laid_out_cells(table)
    lines = line_texts(cells[6][0])
    assert len(lines) >= 2
    assert all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == "Informationssäkerhetsklassificeringsrutin"


def test_a_tone_cell_without_text_shows_the_tones_word_on_its_colour():
    # given a cell with only a tone
    table = Table(title="Bedömning", header=["Mål", "Bedömning"], rows=[["Mål 1", Cell(tone=Tone.YELLOW)]])
    # when rendered
    paragraph = laid_out_cells(table)[1][-1][0]
    data = render_pdf(Report(title="Rapport", sections=[Section(title="1 A", blocks=[table])]))
    # then the cell says the word, on the tone's background, with the tone's dot
    assert line_texts(paragraph) == ["Gul"]
    assert "Mål 1 Gul" in pdf_page_texts(data)[0]
    contents = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    for hex_colour in (TONE_BACKGROUND_HEX[Tone.YELLOW], TONE_HEX[Tone.YELLOW]):
        assert f"{fp_str(*colors.HexColor(f'#{hex_colour}').rgb())} rg".encode() in contents


def test_a_short_row_is_filled_out_and_a_span_is_clamped_to_the_columns_left():
    table = Table(title="Rader", header=["A", "B", "C"], rows=[[Cell("Grupp", bold=True, colspan=9)], ["bara en"]])
    header, group, short = table_grid(table).laid_out_rows
    assert group[0][1] == pytest.approx(sum(width for _cell, width in header)) == pytest.approx(FRAME_WIDTH)
    assert len(short) == 1
    data = render_pdf(Report(title="Rapport", sections=[Section(title="1 A", blocks=[table])]))
    assert "A B C Grupp bara en" in pdf_page_texts(data)[0]


def test_the_caption_comes_before_the_table_and_the_footnotes_after():
    table = Table(title="Tabell", header=["A"], rows=[["a"]], footnotes=["¹ En fotnot.", "² En till."])
    caption, grid, *notes = table_flowables(table)
    assert caption.getPlainText() == "Tabell" and caption.style.keepWithNext
    assert isinstance(grid, LongTable) and len(grid.laid_out_rows) == 2
    assert [note.getPlainText() for note in notes] == ["¹ En fotnot.", "² En till."]
