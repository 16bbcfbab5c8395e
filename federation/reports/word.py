"""DOCX rendering with python-docx: real headings (Heading 1–3) and real Word
tables, so the text can be pasted into the årsredovisning. Header rows repeat
on every page (w:tblHeader), rows do not split across pages (w:cantSplit),
tones shade the cell and the word stays in it."""

from __future__ import annotations

import io

from .document import Paragraph, Report, Section, Table
from .html import cell_text, tone_of

PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_MM = 210, 297, 20
HEADER_FILL = "E8ECF0"
GROUP_FILL = "F4F6F8"


def _set_row_flag(row, tag):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _shade(cell, fill_hex):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill_hex)
    cell._tc.get_or_add_tcPr().append(shading)


def _write_cell(cell, text, *, bold=False, size=None):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = size


def _add_table(document, table: Table):
    from docx.shared import Mm, Pt

    from federation.status import TONE_BACKGROUND_HEX

    columns = len(table.header)
    document.add_paragraph(table.title, style="Caption")
    word_table = document.add_table(rows=1, cols=columns)
    word_table.style = "Table Grid"
    word_table.autofit = False
    usable = PAGE_WIDTH_MM - 2 * MARGIN_MM
    widths = table.widths if table.widths and len(table.widths) == columns else [1] * columns
    column_widths = [Mm(usable * width / sum(widths)) for width in widths]
    small = Pt(8.5)

    header = word_table.rows[0]
    _set_row_flag(header, "w:tblHeader")
    _set_row_flag(header, "w:cantSplit")
    for index, heading in enumerate(table.header):
        _write_cell(header.cells[index], heading, bold=True, size=small)
        _shade(header.cells[index], HEADER_FILL)

    for row in table.cells():
        word_row = word_table.add_row()
        _set_row_flag(word_row, "w:cantSplit")
        cells = word_row.cells
        column = 0
        for cell in row:
            if column >= columns:
                break
            span = max(1, min(cell.colspan, columns - column))
            target = cells[column].merge(cells[column + span - 1]) if span > 1 else cells[column]
            _write_cell(target, cell_text(cell), bold=cell.bold, size=small)
            tone = tone_of(cell.tone)
            if tone is not None:
                _shade(target, TONE_BACKGROUND_HEX[tone])
            elif cell.bold:
                _shade(target, GROUP_FILL)
            column += span

    # Widths on the grid and on each cell (a merged cell gets the sum of its columns).
    for index, column in enumerate(word_table.columns):
        column.width = column_widths[index]
    for word_row in word_table.rows:
        start = 0
        for tc in word_row._tr.tc_lst:
            tc.width = sum(column_widths[start : start + tc.grid_span], Mm(0))
            start += tc.grid_span
    for note in table.footnotes:
        _add_note(document, note)


def _add_note(document, text):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(8)


def _add_blocks(document, blocks):
    for block in blocks:
        if isinstance(block, Section):
            document.add_heading(block.title, level=max(1, min(block.level, 3)))
            _add_blocks(document, block.blocks)
        elif isinstance(block, Table):
            _add_table(document, block)
        elif isinstance(block, Paragraph):
            if block.style == "note":
                _add_note(document, block.text)
            else:
                paragraph = document.add_paragraph(block.text)
                if block.style == "lead":
                    for run in paragraph.runs:
                        run.italic = True


def _add_page_numbers(section):
    """Page numbers in the footer ("Sida X av Y") as Word fields PAGE and NUMPAGES."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, field in [("Sida ", "PAGE"), (" av ", "NUMPAGES")]:
        paragraph.add_run(text).font.size = Pt(8)
        simple_field = OxmlElement("w:fldSimple")
        simple_field.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        text_element = OxmlElement("w:t")
        text_element.text = "1"
        run.append(text_element)
        simple_field.append(run)
        paragraph._p.append(simple_field)


def _set_language(document, language):
    """Swedish for spelling and hyphenation in Word (on the Normal style, inherited by all)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Mm

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.subject = report.subtitle
    document.core_properties.author = "Boråsregionen Sjuhärads kommunalförbund"
    document.core_properties.language = "sv-SE"
    page = document.sections[0]
    page.page_width, page.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Mm(MARGIN_MM)
    _set_language(document, "sv-SE")
    _add_page_numbers(page)
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    _add_blocks(document, report.sections)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
