"""DOCX rendering with python-docx: real headings (Heading 1–3) and real Word
tables, so the text can be pasted into the årsredovisning. Header rows repeat
on every page (w:tblHeader), rows do not split across pages (w:cantSplit),
tones shade the cell and the word stays in it."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from .document import AUTHOR, LEGEND_LEAD, Paragraph, Report, Section, Table
from .html import cell_text, tone_of

PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_MM = 210, 297, 20
HEADER_FILL = "E8ECF0"
GROUP_FILL = "F4F6F8"


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SMALL_HALF_POINTS = 17  # 8.5 pt
CELL_MARGIN_PT = 5.4  # Word's default left and right cell margin (0.19 cm)
# Characters XML 1.0 does not allow (a pasted form feed would make the document unreadable).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _cell_xml(text: str, *, width: int, span: int = 1, bold: bool = False, fill: str | None = None) -> str:
    """One <w:tc> as WordprocessingML: width, span, shading and a small-print run.
    Built as text (one parse per table): python-docx's row and cell API rescans the
    whole table on every call, which is quadratic in the number of rows."""
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    run_properties = ("<w:b/>" if bold else "") + f'<w:sz w:val="{SMALL_HALF_POINTS}"/>'
    lines = [escape(CONTROL_CHARACTERS.sub("", line)) for line in text.split("\n")]
    content = '</w:t><w:br/><w:t xml:space="preserve">'.join(lines)
    return (
        f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:rPr>{run_properties}</w:rPr>"
        f'<w:t xml:space="preserve">{content}</w:t></w:r></w:p></w:tc>'
    )


def _rows_xml(table: Table, column_widths: list[int]) -> str:
    from federation.status import TONE_BACKGROUND_HEX

    columns = len(column_widths)
    header = "".join(
        _cell_xml(heading, width=column_widths[index], bold=True, fill=HEADER_FILL)
        for index, heading in enumerate(table.header)
    )
    rows = [f'<w:tr><w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>{header}</w:tr>']
    for row in table.grid():
        cells, end = [], 0
        for column, span, cell in row:
            tone = tone_of(cell.tone)
            fill = TONE_BACKGROUND_HEX[tone] if tone is not None else (GROUP_FILL if cell.bold else None)
            width = sum(column_widths[column : column + span])
            cells.append(_cell_xml(cell_text(cell), width=width, span=span, bold=cell.bold, fill=fill))
            end = column + span
        # a short row is filled out with empty cells
        cells += [_cell_xml("", width=column_widths[index]) for index in range(end, columns)]
        rows.append(f'<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>{"".join(cells)}</w:tr>')
    return "".join(rows)


def _layout(table: Table) -> tuple[bool, list[int]]:
    """(landscape?, column widths in twips) measured from the content (as the PDF measures it,
    ``pdf.content_widths``): every column as wide as its longest word, the rest shared by how long each
    column's text runs. A table marked wide, or whose words do not fit whole between portrait margins, gets
    a landscape page; there words are hyphenated (Word's Swedish hyphenation) only if they must be; past
    that the columns follow ``table.widths``."""
    from .pdf import BOLD, REGULAR, content_widths

    columns = len(table.header)
    size = SMALL_HALF_POINTS / 2
    cells = [(column, heading, BOLD, size, 0) for column, heading in enumerate(table.header)]
    for row in table.grid():
        for column, span, cell in row:
            if span == 1:
                cells.append((column, cell_text(cell), BOLD if cell.bold else REGULAR, size, 0))
    portrait, landscape = PAGE_WIDTH_MM - 2 * MARGIN_MM, PAGE_HEIGHT_MM - 2 * MARGIN_MM
    tries = [(landscape, False), (landscape, True)]
    if not table.landscape:
        tries.insert(0, (portrait, False))
    for usable_mm, hyphenate in tries:
        widths = content_widths(cells, columns, usable_mm * 72 / 25.4, CELL_MARGIN_PT, hyphenate)
        if widths is not None:
            return usable_mm == landscape, [round(width * 20) for width in widths]
    relative = table.widths if table.widths and len(table.widths) == columns else [1] * columns
    return True, [_twips(landscape * width / sum(relative)) for width in relative]


def _is_wide(table: Table) -> bool:
    return bool(table.header) and _layout(table)[0]


def _new_section(document, *, wide: bool):
    """A new Word section starting on a new page, landscape or portrait (page numbers carry on)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    section.page_width, section.page_height = (long_side, short_side) if wide else (short_side, long_side)
    return section


class _Pages:
    """Whether the document is on landscape pages now; turning starts a new Word section."""

    def __init__(self, document):
        self.document, self.wide = document, False

    def turn(self, wide: bool):
        if wide != self.wide:
            _new_section(self.document, wide=wide)
            self.wide = wide


def _legend(document, table: Table):
    """The key to the table's colours: a dot in each colour, its name and the words it stands for."""
    from docx.shared import Pt, RGBColor

    from federation.status import TONE_HEX

    legend = table.legend()
    if not legend:
        return
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)

    def run(text, colour=None):
        added = paragraph.add_run(text)
        added.font.size = Pt(8)
        if colour:
            added.font.color.rgb = RGBColor.from_string(colour)

    run(f"{LEGEND_LEAD}: ")
    for number, (tone, words) in enumerate(legend):
        run("; " if number else "")
        run("\u25cf", TONE_HEX[tone])
        run(f"\u00a0{str(tone.label).lower()} = {', '.join(words)}")
    run(".")


def _add_table(document, table: Table, styles, wide: bool = False):
    from docx.oxml import parse_xml

    columns = len(table.header)
    document.add_paragraph(table.caption)._p.style = styles["Caption"]
    word_table = document.add_table(rows=0, cols=columns)
    word_table._tbl.tblPr.style = styles["Table Grid"]
    word_table.autofit = False
    column_widths = _layout(table)[1]
    for grid_column, width in zip(word_table._tbl.tblGrid.gridCol_lst, column_widths, strict=True):
        grid_column.set(f"{{{W_NS}}}w", str(width))
    rows = parse_xml(f'<w:tbl xmlns:w="{W_NS}">{_rows_xml(table, column_widths)}</w:tbl>')
    word_table._tbl.extend(list(rows))
    _legend(document, table)
    for note in table.footnotes:
        _add_note(document, note)


def _add_note(document, text):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(8)


def _leads_with_wide_table(section: Section) -> bool:
    """Bilaga 2: the heading and the text before its wide table go on the landscape page with it."""
    for block in section.blocks:
        if isinstance(block, Table):
            return _is_wide(block)
        if not isinstance(block, Paragraph):
            return False
    return False


def _add_blocks(document, blocks, styles, pages: _Pages, wide: bool = False):
    for block in blocks:
        if isinstance(block, Section):
            section_wide = _leads_with_wide_table(block)
            pages.turn(section_wide)
            level = max(1, min(block.level, 3))
            document.add_paragraph(block.title)._p.style = styles[f"Heading {level}"]
            _add_blocks(document, block.blocks, styles, pages, section_wide)
        elif isinstance(block, Table):
            pages.turn(_is_wide(block))
            _add_table(document, block, styles, pages.wide)
        elif isinstance(block, Paragraph):
            if not wide:
                pages.turn(False)
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


def _hyphenate_automatically(document):
    """Word's automatic hyphenation on (w:autoHyphenation in the settings): a word too long for its column
    is hyphenated at a Swedish hyphenation point, never broken without a hyphen."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    if settings.find(qn("w:autoHyphenation")) is None:
        # (the schema's place: right after w:defaultTabStop)
        tab_stop = settings.find(qn("w:defaultTabStop"))
        element = OxmlElement("w:autoHyphenation")
        if tab_stop is not None:
            tab_stop.addnext(element)
        else:
            settings.insert(0, element)


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
    document.core_properties.author = AUTHOR
    document.core_properties.language = "sv-SE"
    page = document.sections[0]
    page.page_width, page.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Mm(MARGIN_MM)
    _set_language(document, "sv-SE")
    _hyphenate_automatically(document)
    _add_page_numbers(page)
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    # Style ids looked up once and set on the XML: python-docx scans every style on each assignment.
    names = ["Caption", "Table Grid", "Heading 1", "Heading 2", "Heading 3"]
    styles = {name: document.styles[name].style_id for name in names}
    _add_blocks(document, report.sections, styles, _Pages(document))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
