"""DOCX rendering with python-docx: real headings (Heading 1–3) and real Word
tables, so the text can be pasted into the årsredovisning. Header rows repeat
on every page (w:tblHeader), rows do not split across pages (w:cantSplit),
tones shade the cell and the word stays in it."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from .document import AUTHOR, LEGEND_LEAD, XML_FORBIDDEN, Paragraph, Report, Section, Table
from .html import cell_text, tone_of

PAGE_WIDTH_MM, PAGE_HEIGHT_MM, MARGIN_MM = 210, 297, 20
HEADER_FILL = "E8ECF0"
GROUP_FILL = "F4F6F8"


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SMALL_HALF_POINTS = 17  # 8.5 pt
NOTE_HALF_POINTS = 16  # 8 pt: notes and the colour key
BODY_MARKER = "rapporttext-"  # where the body's text goes (``_Body``)
CELL_MARGIN_PT = 5.4  # Word's default left and right cell margin (0.19 cm)


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
    lines = [escape(XML_FORBIDDEN.sub("", line)) for line in text.split("\n")]
    content = '</w:t><w:br/><w:t xml:space="preserve">'.join(lines)
    return (
        f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:r><w:rPr>{run_properties}</w:rPr>"
        f'<w:t xml:space="preserve">{content}</w:t></w:r></w:p></w:tc>'
    )


# Where python-docx's run text makes a tab or a line break (``Run.text``).
RUN_BREAKS = re.compile(r"([\t\r\n])")


def _run_xml(text: str, *, size: int | None = None, colour: str = "", italic: bool = False) -> str:
    """One <w:r> as python-docx's ``add_run(text)`` writes it (a tab as <w:tab/>, a line break as <w:br/>, a
    <w:t> keeping its spaces when it starts or ends with one), with the run properties in schema order."""
    properties = ("<w:i/>" if italic else "") + (f'<w:color w:val="{colour.upper()}"/>' if colour else "")
    properties += f'<w:sz w:val="{size}"/>' if size else ""
    content = []
    for part in RUN_BREAKS.split(XML_FORBIDDEN.sub("", text)):
        if part == "\t":
            content.append("<w:tab/>")
        elif part in ("\r", "\n"):
            content.append("<w:br/>")
        elif part:
            space = ' xml:space="preserve"' if len(part.strip()) < len(part) else ""
            content.append(f"<w:t{space}>{escape(part)}</w:t>")
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{''.join(content)}</w:r>"


def _paragraph_xml(runs: str = "", *, style: str = "", space_after_zero: bool = False) -> str:
    """One <w:p> (a style id, or no space after) around runs from ``_run_xml``."""
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    properties += '<w:spacing w:after="0"/>' if space_after_zero else ""
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{runs}</w:p>"


def _table_xml(table: Table, column_widths: list[int], style: str) -> str:
    """A whole <w:tbl> as python-docx's ``add_table`` with its style set and autofit off, and the rows."""
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in column_widths)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:type="auto" w:w="0"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
        'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{_rows_xml(table, column_widths)}</w:tbl>"
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


def _new_section(document, *, wide: bool):
    """A new Word section starting on a new page, landscape or portrait (page numbers carry on)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    section.page_width, section.page_height = (long_side, short_side) if wide else (short_side, long_side)
    return section


class _Body:
    """The document body written as WordprocessingML text, the document parsed once with it at the end:
    python-docx looks for the body's last element on every paragraph or table it adds, and for the current
    section on every table, both growing with the document (quadratic in the report's size); and lxml
    moving parsed elements into the document costs more than parsing the whole. The document itself holds
    only the title and the section breaks (python-docx's), with a marker (an XML comment) where each run
    of the text goes. Also whether the pages are landscape now and each table's layout."""

    def __init__(self, document, styles: dict[str, str]):
        self.document, self.styles, self.wide = document, styles, False
        self.parts: list[str] = []
        self.chunks: list[str] = []
        self.layouts: dict[int, tuple] = {}

    def add(self, xml: str):
        self.parts.append(xml)

    def flush(self):
        """The text so far marked in place (before the next section break)."""
        from lxml import etree

        if not self.parts:
            return
        marker = etree.Comment(f"{BODY_MARKER}{len(self.chunks)}")
        self.chunks.append("".join(self.parts))
        self.parts = []
        body = self.document.element.body
        end = body.sectPr
        if end is not None:
            end.addprevious(marker)
        else:
            body.append(marker)

    def finish(self):
        """The document part's XML: the document with each marker replaced by its text, parsed once."""
        from docx.oxml import parse_xml
        from lxml import etree

        self.flush()
        if not self.chunks:
            return
        text = etree.tostring(self.document.element, encoding="unicode")
        pattern = re.compile(f"<!--{BODY_MARKER}(\\d+)-->")
        # (python-docx writes the part's element when saving: the new one replaces it whole)
        self.document.part._element = parse_xml(pattern.sub(lambda match: self.chunks[int(match[1])], text))

    def turn(self, wide: bool):
        if wide != self.wide:
            self.flush()
            _new_section(self.document, wide=wide)
            self.wide = wide

    def layout(self, table: Table) -> tuple[bool, list[int]]:
        """``_layout``, once per table."""
        layout = self.layouts.get(id(table))
        if layout is None or layout[0] is not table:
            layout = self.layouts[id(table)] = (table, _layout(table))  # (the table kept: its id its own)
        return layout[1]

    def is_wide(self, table: Table) -> bool:
        return bool(table.header) and self.layout(table)[0]


def _legend(body: _Body, table: Table):
    """The key to the table's colours: a dot in each colour, its name and the words it stands for."""
    from federation.status import TONE_HEX

    legend = table.legend()
    if not legend:
        return
    runs = [_run_xml(f"{LEGEND_LEAD}: ", size=NOTE_HALF_POINTS)]
    for number, (tone, words) in enumerate(legend):
        runs.append(_run_xml("; " if number else "", size=NOTE_HALF_POINTS))
        runs.append(_run_xml("\u25cf", size=NOTE_HALF_POINTS, colour=TONE_HEX[tone]))
        runs.append(_run_xml(f"\u00a0{str(tone.label).lower()} = {', '.join(words)}", size=NOTE_HALF_POINTS))
    runs.append(_run_xml(".", size=NOTE_HALF_POINTS))
    body.add(_paragraph_xml("".join(runs), space_after_zero=True))


def _add_table(body: _Body, table: Table):
    body.add(_paragraph_xml(_run_xml(table.caption) if table.caption else "", style=body.styles["Caption"]))
    body.add(_table_xml(table, body.layout(table)[1], body.styles["Table Grid"]))
    _legend(body, table)
    for note in table.footnotes:
        _add_note(body, note)


def _add_note(body: _Body, text: str):
    body.add(_paragraph_xml(_run_xml(text, size=NOTE_HALF_POINTS), space_after_zero=True))


def _leads_with_wide_table(section: Section, body: _Body) -> bool:
    """Bilaga 2: the heading and the text before its wide table go on the landscape page with it."""
    for block in section.blocks:
        if isinstance(block, Table):
            return body.is_wide(block)
        if not isinstance(block, Paragraph):
            return False
    return False


def _add_blocks(body: _Body, blocks, wide: bool = False):
    for block in blocks:
        if isinstance(block, Section):
            section_wide = _leads_with_wide_table(block, body)
            body.turn(section_wide)
            level = max(1, min(block.level, 3))
            title = _run_xml(block.title) if block.title else ""
            body.add(_paragraph_xml(title, style=body.styles[f"Heading {level}"]))
            _add_blocks(body, block.blocks, section_wide)
        elif isinstance(block, Table):
            body.turn(body.is_wide(block))
            _add_table(body, block)
        elif isinstance(block, Paragraph):
            if not wide:
                body.turn(False)
            if block.style == "note":
                _add_note(body, block.text)
            else:
                text = _run_xml(block.text, italic=block.style == "lead") if block.text else ""
                body.add(_paragraph_xml(text))


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
    title, subtitle = XML_FORBIDDEN.sub("", report.title), XML_FORBIDDEN.sub("", report.subtitle)
    document.core_properties.title = title
    document.core_properties.subject = subtitle
    document.core_properties.author = AUTHOR
    document.core_properties.language = "sv-SE"
    page = document.sections[0]
    page.page_width, page.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Mm(MARGIN_MM)
    _set_language(document, "sv-SE")
    _hyphenate_automatically(document)
    _add_page_numbers(page)
    document.add_heading(title, level=0)
    if subtitle:
        document.add_paragraph(subtitle)
    # Style ids looked up once and set on the XML: python-docx scans every style on each assignment.
    names = ["Caption", "Table Grid", "Heading 1", "Heading 2", "Heading 3"]
    styles = {name: document.styles[name].style_id for name in names}
    body = _Body(document, styles)
    _add_blocks(body, report.sections)
    body.finish()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
