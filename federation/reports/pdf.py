"""PDF rendering with ReportLab (platypus), straight from the Report model, as
word.py renders the DOCX: A4 with a running header and "Sida X av Y" on every
page, table headers repeated on every page a table spans, rows never split
across pages, an outline of the headings, every font embedded (DejaVu Sans)
and PDF/A-3b identification (XMP metadata, sRGB output intent)."""

from __future__ import annotations

import io
import re
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import pyphen
from django.utils import timezone
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageTemplate,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.flowables import PageBreakIfNotEmpty
from reportlab.platypus.paragraph import cleanBlockQuotedText

from federation.status import TONE_BACKGROUND_HEX, TONE_HEX

from .document import AUTHOR, EMPTY_REPORT, LEGEND_LEAD, Paragraph, Report, Section, Table
from .html import UNBREAKABLE, cell_text, tone_of

CREATOR = "Boråsregionen – måluppfyllelse och intern kontroll"
KEYWORDS = "årsredovisning, intern kontroll, måluppfyllelse"
LANGUAGE = "sv"

# The TTF files (Debian fonts-dejavu-core and fonts-dejavu-extra); embedded as subsets.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
# ICC's sRGB v2 profile (freely redistributable, unchanged): the PDF/A output intent.
SRGB_PROFILE = Path(__file__).with_name("sRGB2014.icc")

# The page, as report.css had it: A4, margins 20 mm top, 16 mm sides, 22 mm bottom.
PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, SIDE, BOTTOM = 20 * mm, 16 * mm, 22 * mm
FRAME_WIDTH, FRAME_HEIGHT = PAGE_WIDTH - 2 * SIDE, PAGE_HEIGHT - TOP - BOTTOM
# Wide tables (Bilaga 2) on landscape A4, with the same margins.
WIDE_WIDTH, WIDE_HEIGHT = landscape(A4)
WIDE_FRAME_WIDTH, WIDE_FRAME_HEIGHT = WIDE_WIDTH - 2 * SIDE, WIDE_HEIGHT - TOP - BOTTOM
PORTRAIT, LANDSCAPE = "sida", "liggande"  # the page templates' ids
# Words shorter than this are never hyphenated ("Medel", "Risk"); pyphen keeps at least this many letters
# on each side of a break.
MIN_HYPHENATED_WORD, MIN_HYPHEN_PART = 7, 3

TEXT = colors.HexColor("#111111")
HEADER_TEXT = colors.HexColor("#555555")
FOOTER_TEXT = colors.HexColor("#333333")
GRID = colors.HexColor("#8A96A3")
HEADER_FILL = colors.HexColor("#E8ECF0")
GROUP_FILL = colors.HexColor("#F4F6F8")
TONE_FILLS = {tone: colors.HexColor(f"#{colour}") for tone, colour in TONE_BACKGROUND_HEX.items()}
CELL_PADDING_X, CELL_PADDING_Y = 4, 3
LINE_HEIGHT = 1.35

NO_BREAK_SPACE = "\u00a0"  # ReportLab never breaks a line there, and writes it as a plain space
# Characters that would break ReportLab's paragraph markup or that no PDF font draws.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@cache
def _fonts() -> frozenset[int]:
    """Register the DejaVu fonts once; the code points all three can draw."""
    covered = None
    for name, filename in FONT_FILES.items():
        path = FONT_DIR / filename
        if not path.exists():
            raise RuntimeError(
                f"Typsnittet {path} saknas: installera Debian-paketen fonts-dejavu-core och fonts-dejavu-extra."
            )
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        codes = set(font.face.charToGlyph)
        covered = codes if covered is None else covered & codes
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    return frozenset(covered)


def _drawable(text: str) -> str:
    """``text`` without control characters, and with any character the fonts cannot draw
    replaced by "?" (PDF/A forbids drawing the missing-glyph box)."""
    text = CONTROL_CHARACTERS.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if text.isascii():
        return text
    covered = _fonts()
    # (each distinct character looked at once: a report has a million)
    missing = {char for char in set(text) if ord(char) not in covered and not char.isspace()}
    if not missing:
        return text
    return "".join("?" if char in missing else char for char in text)


def _one_line(text: str) -> str:
    """Text for a single line (running header, outline, document info): whitespace collapsed."""
    return " ".join(_drawable(text).split())


def _keep_together(text: str) -> str:
    """Dates and grouped numbers (``html.UNBREAKABLE``) with no-break spaces, so no line breaks inside them."""
    return UNBREAKABLE.sub(lambda match: match.group().replace(" ", NO_BREAK_SPACE), text)


def _markup(text: str) -> str:
    """Plain text as ReportLab paragraph markup."""
    return escape(_keep_together(_drawable(text))).replace("\n", "<br/>")


# Page contents compressed only (Flate), not also ASCII85-encoded: a sixth smaller file.
# (A process-wide ReportLab setting; nothing else here uses ReportLab.)
rl_config.useA85 = 0

_format_stream = pdfdoc.PDFStream.format


def _format_stream_with_eol(self, document):
    """ReportLab's stream object with an end-of-line before ``endstream``, as PDF/A requires (ReportLab writes
    the data and ``endstream`` back to back). /Length counts the data only, and ReportLab takes each object's
    offset for the cross-reference table after formatting it, so both stay right."""
    formatted = _format_stream(self, document)
    return formatted[: -len(b"endstream\n")] + b"\nendstream\n"


pdfdoc.PDFStream.format = _format_stream_with_eol  # (process-wide too, for the same reason)

# --- Styles ----------------------------------------------------------------------------------


def _style(name, *, size, font=REGULAR, colour=TEXT, before=0.0, after=0.0, **options) -> ParagraphStyle:
    options.setdefault("splitLongWords", 1)
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=round(size * LINE_HEIGHT, 2),
        textColor=colour,
        spaceBefore=before,
        spaceAfter=after,
        hyphenationMinWordLength=MIN_HYPHENATED_WORD,
        spaceShrinkage=0,  # a line never wider than its column (ReportLab would squeeze the spaces)
        bulletFontName=font,
        **options,
    )


def _cell_style(name, *, dot_colour=None, **options) -> ParagraphStyle:
    """A table cell's style: Swedish words hyphenated at their syllables (pyphen's Swedish dictionary), never
    split without a hyphen (the columns are made wide enough for the longest word, ``content_widths``); the
    same style that splits long words beside it, for a table too wide even for a landscape page."""
    hyphenated = _style(name, hyphenationLang=_hyphenator(), splitLongWords=0, embeddedHyphenation=2, **options)
    hyphenated.unhyphenated = _style(f"{name}-unhyphenated", **options)
    hyphenated.dot_colour = hyphenated.unhyphenated.dot_colour = dot_colour
    return hyphenated


@cache
def _pyphen() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=LANGUAGE, left=MIN_HYPHEN_PART, right=MIN_HYPHEN_PART)


@cache
def _hyphenator():
    return _pyphen().iterate


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    styles = {
        "title": _style("title", size=20, font=BOLD, after=4, keepWithNext=1),
        "subtitle": _style("subtitle", size=10, colour=colors.HexColor("#444444"), after=15),
        "heading-1": _style("heading-1", size=15, font=BOLD, before=21, after=7.5, keepWithNext=1),
        "heading-2": _style("heading-2", size=12.5, font=BOLD, before=15, after=5, keepWithNext=1),
        "heading-3": _style("heading-3", size=11, font=BOLD, before=11, after=3.3, keepWithNext=1),
        "body": _style("body", size=10, after=6, allowWidows=0),
        "note": _style("note", size=8, colour=FOOTER_TEXT, before=0.8, after=0.8),
        "footnote": _style("footnote", size=8, colour=FOOTER_TEXT, before=3, after=0.8),
        "legend": _style("legend", size=8, colour=FOOTER_TEXT, before=3, after=0.8),
        "lead": _style("lead", size=11, font=ITALIC, after=6.6, allowWidows=0),
        "caption": _style("caption", size=9.5, font=BOLD, before=6, after=3, keepWithNext=1),
        "th": _cell_style("th", size=8, font=BOLD),
        "td": _cell_style("td", size=8.5),
        "td-bold": _cell_style("td-bold", size=8.5, font=BOLD),
    }
    for bold in (False, True):
        for tone, colour in TONE_HEX.items():
            name = f"td-{tone.value}{'-bold' if bold else ''}"
            styles[name] = _cell_style(
                name,
                size=8.5,
                font=BOLD if bold else REGULAR,
                firstLineIndent=9,
                dot_colour=colors.HexColor(f"#{colour}"),
            )
    return styles


class _CellParagraph(RLParagraph):
    """A cell's paragraph; in a tone cell a dot in the tone's colour stands before the word, in
    the first line's indent (the colour never without the word). The table measures a cell
    several times at the same width (row heights, page splits, drawing): the lines are broken
    once per width."""

    _wrapped = (None, None)

    def wrap(self, availWidth, availHeight):
        width, size = self._wrapped
        if width != availWidth:
            size = super().wrap(availWidth, availHeight)
            unhyphenated = getattr(self.style, "unhyphenated", None)
            # (a line's actual width includes the indent before it: the dot's, in a tone cell)
            if unhyphenated and max(self.getActualLineWidths0(), default=0) > availWidth + 1e-6:
                # ReportLab keeps what is left of a hyphenated word whole even when that is still
                # too long for a line ("Kon-" "trollansvarig"); unhyphenated, long words are split.
                self.style = unhyphenated
                size = super().wrap(availWidth, availHeight)
            self._wrapped = (availWidth, size)
        return size

    _drawn = (None, None, ())

    def _drawOn(self, canv):
        """Draw the cell; a paragraph shared by several cells writes the same page operators each time (it is
        drawn translated to its cell, and what it writes does not depend on the canvas's state), so they are
        written once and copied for the others."""
        canvas, height, operators = self._drawn
        if canvas is canv and height == self.height:
            canv._code.extend(operators)
            return
        start = len(canv._code)
        super()._drawOn(canv)
        self._drawn = (canv, self.height, canv._code[start:])

    def draw(self):
        super().draw()
        colour = getattr(self.style, "dot_colour", None)
        if colour is not None:
            size = self.style.fontSize
            canvas = self.canv
            canvas.saveState()
            canvas.setFillColor(colour)
            canvas.circle(0.35 * size, self.height - 0.62 * size, 0.35 * size, stroke=0, fill=1)
            canvas.restoreState()


# --- Tables ----------------------------------------------------------------------------------


class _ReportTable(LongTable):
    """Rows are never split across pages; only a row taller than a whole page is split
    (instead of failing the export): at the top of a page, or right under the caption
    when it is the first row."""

    # Every row as [(cell, the width it is laid out in), …]; a spanning cell has its span's width.
    laid_out_rows: tuple | list = ()
    frame_height = FRAME_HEIGHT  # the page's (WIDE_FRAME_HEIGHT on a landscape page)

    def split(self, availWidth, availHeight):
        self.splitInRow = 0
        parts = super().split(availWidth, availHeight)
        if not parts and (availHeight >= self.frame_height - 1 or self.start_height() > self.frame_height):
            self.splitInRow = 1
            parts = super().split(availWidth, availHeight)
        return parts

    def _calcSpanRanges(self):
        # ReportLab works the spans out over every cell each time it measures the table (four times for each
        # part of a long table split over pages, each part all the rows left): once per table and spans.
        key = (self._nrows, self._ncols, id(self._spanCmds), len(self._spanCmds))
        if getattr(self, "_span_ranges_key", None) == key:
            return
        super()._calcSpanRanges()
        # ReportLab looks every cell up in these lists when it measures the rows: sets, not lists, or a long
        # table with many group rows is measured in quadratic time.
        self._colSpanCells, self._rowSpanCells = set(self._colSpanCells), set(self._rowSpanCells)
        self._span_ranges_key = key

    def start_height(self) -> float:
        """The height of the header and the first row: what must fit under a caption
        (0 for the rest of a table split over pages)."""
        total = 0.0
        for row in self.laid_out_rows[:2]:
            heights = [
                cell.wrap(width - 2 * CELL_PADDING_X, FRAME_HEIGHT)[1] if cell else 8.5 * LINE_HEIGHT
                for cell, width in row
            ]
            total += max(heights, default=0) + 2 * CELL_PADDING_Y
        return total


class _KeepWithNext(KeepTogether):
    """ReportLab's group of keepWithNext flowables (headings, a caption) and the flowable after
    them, except that a table counts with its header and first row only: a heading or a caption
    never ends a page, and a long table starts right under its caption, not on a new page."""

    def wrap(self, aW, aH):
        height, first, space_after = 0.0, None, None
        for flowable in self._content:
            if isinstance(flowable, _ReportTable):
                flowable_height = flowable.start_height()
            else:
                flowable_height = flowable.wrapOn(self.canv, aW, aH)[1]
            if space_after is not None:
                height += max(space_after, flowable.getSpaceBefore())
            height += flowable_height
            space_after = flowable.getSpaceAfter()
            first = flowable_height if first is None else first
        self._H, self._H0, self._wrapInfo = height, first or 0, (aW, aH)
        return aW, 0xFFFFFF  # always split (as KeepTogether does): the parts are laid out one by one


def _pieces(word: str, hyphenate: bool) -> list[str]:
    """What a line break may leave of ``word``: the word itself, or with ``hyphenate`` its parts between
    the Swedish hyphenation points (each but the last with its hyphen), for words long enough."""
    letters = word.strip(".,;:()[]\"'!?–-")
    if not hyphenate or len(letters) < MIN_HYPHENATED_WORD or not letters.isalpha():
        return [word]
    positions = _pyphen().positions(word)
    if not positions:
        return [word]
    bounds = [0, *positions, len(word)]
    return [word[a:b] + ("-" if b < len(word) else "") for a, b in zip(bounds, bounds[1:], strict=False)]


@lru_cache(maxsize=1 << 16)
def _text_widths(text: str, font: str, size: float, hyphenate: bool) -> tuple[float | None, float]:
    """(the widest piece a line break may leave of ``text``'s words, None without words; its widest line), in
    points: what ``content_widths`` measures, once per distinct cell text (a report repeats many)."""
    pieces = [_piece_width(word, font, size, hyphenate) for word in _keep_together(text).split()]
    lines = [pdfmetrics.stringWidth(line.strip(), font, size) for line in text.split("\n")]
    return max(pieces, default=None), max(lines)


@lru_cache(maxsize=1 << 16)
def _piece_width(word: str, font: str, size: float, hyphenate: bool) -> float:
    return max(pdfmetrics.stringWidth(piece, font, size) for piece in _pieces(word, hyphenate))


def content_widths(cells, columns: int, frame_width: float, padding: float, hyphenate: bool = False):
    """Column widths in points from what the columns hold, as a browser lays out a table: every column at
    least as wide as its longest unbreakable word (or, with ``hyphenate``, the longest part between two
    hyphenation points), the rest of the width shared out by how much longer each column's text runs.
    ``cells`` are ``(column, text, font name, font size, indent)`` for cells spanning one column.
    None when the words alone are wider than ``frame_width``."""
    _fonts()
    minimum, natural = [2 * padding] * columns, [2 * padding] * columns
    for column, text, font, size, indent in cells:
        extra = indent + 2 * padding + 0.5
        widest_piece, widest_line = _text_widths(text, font, size, hyphenate)
        if widest_piece is not None:
            minimum[column] = max(minimum[column], widest_piece + extra)
        natural[column] = max(natural[column], widest_line + extra)
    natural = [max(low, min(high, frame_width)) for low, high in zip(minimum, natural, strict=True)]
    if sum(minimum) > frame_width + 1e-6:
        return None
    if sum(natural) <= frame_width:
        return [width * frame_width / sum(natural) for width in natural]
    room = frame_width - sum(minimum)
    wants = [high - low for low, high in zip(minimum, natural, strict=True)]
    total = sum(wants)
    return [low + room * want / total for low, want in zip(minimum, wants, strict=True)]


def _measured_cells(table: Table, rows) -> list:
    """The header and every one-column cell as ``content_widths`` measures them."""
    styles = _styles()
    th = styles["th"]
    cells = [(column, heading, th.fontName, th.fontSize, 0) for column, heading in enumerate(table.header)]
    for row in rows:
        for column, span, text, style in row:
            if span == 1 and text:
                cells.append((column, text, style.fontName, style.fontSize, style.firstLineIndent))
    return cells


def _table_layout(table: Table, rows=None) -> tuple[bool, list[float]]:
    """(landscape?, column widths): a table marked wide, or one whose words do not fit a portrait page even
    hyphenated, goes on a landscape page (words whole if they fit, else hyphenated); past that the columns
    are shared out by ``table.widths`` (and a word too long for its column is split)."""
    rows = _cell_rows(table)[0] if rows is None else rows
    columns = len(table.header)
    cells = _measured_cells(table, rows)
    frames = [FRAME_WIDTH, WIDE_FRAME_WIDTH] if not table.landscape else [WIDE_FRAME_WIDTH]
    for frame in frames:
        for hyphenate in (False, True):
            widths = content_widths(cells, columns, frame, CELL_PADDING_X, hyphenate)
            if widths is not None:
                return frame == WIDE_FRAME_WIDTH, widths
    relative = table.widths if table.widths and len(table.widths) == columns else None
    if not relative or any(not isinstance(w, int | float) or w <= 0 for w in relative):
        relative = [1] * columns
    frame = WIDE_FRAME_WIDTH if columns > 1 else FRAME_WIDTH
    return frame == WIDE_FRAME_WIDTH, [frame * width / sum(relative) for width in relative]


def is_landscape(table: Table) -> bool:
    return bool(table.header) and _table_layout(table)[0]


def _cell_rows(table: Table):
    """(column, span, text, style) per cell of each row, and the table style commands (spans, fills)."""
    styles = _styles()
    rows, commands = [], []
    for row_number, row in enumerate(table.grid(), start=1):
        cells = []
        for column, span, cell in row:
            tone = tone_of(cell.tone)
            name = f"td-{tone.value}" if tone is not None else "td"
            style = styles[f"{name}-bold" if cell.bold else name]
            cells.append((column, span, _drawable(cell_text(cell)), style))
            last = (column + span - 1, row_number)
            if span > 1:
                commands.append(("SPAN", (column, row_number), last))
            if tone is not None:
                commands.append(("BACKGROUND", (column, row_number), last, TONE_FILLS[tone]))
            elif cell.bold:
                commands.append(("BACKGROUND", (column, row_number), last, GROUP_FILL))
        rows.append(cells)
    return rows, commands


def _legend_markup(legend) -> str:
    """The key to a table's colours as paragraph markup: a dot in each colour, its name and the words it
    stands for."""
    parts = [
        f'<font color="#{TONE_HEX[tone]}">\u25cf</font>\u00a0{escape(str(tone.label).lower())} = '
        f"{escape(_drawable(', '.join(words)))}"
        for tone, words in legend
    ]
    return f"{LEGEND_LEAD}: " + "; ".join(parts) + "."


class _Render:
    """What one PDF computes once: each table's cells and layout (asked for by the page turns and by the
    table), and one cell paragraph per distinct text, style and width. A paragraph shared by several cells
    is parsed and broken into lines once and drawn in each (ReportLab draws a wrapped paragraph without
    changing it); the width in the key means every cell sharing it wraps it the same."""

    def __init__(self):
        self.layouts: dict[int, tuple] = {}
        self.paragraphs: dict[tuple, _CellParagraph] = {}
        self.legends: dict[str, list] = {}

    def layout(self, table: Table):
        """(rows, table style commands, landscape?, column widths), as ``_cell_rows`` and ``_table_layout``."""
        layout = self.layouts.get(id(table))
        if layout is None or layout[0] is not table:
            rows, commands = _cell_rows(table)
            layout = (table, rows, commands, *_table_layout(table, rows))
            self.layouts[id(table)] = layout  # (the table kept with it: its id stays its own)
        return layout[1:]

    def is_landscape(self, table: Table) -> bool:
        return bool(table.header) and self.layout(table)[2]

    def cell(self, text: str, style: ParagraphStyle, width: float) -> _CellParagraph:
        key = (text, style.name, width)
        paragraph = self.paragraphs.get(key)
        if paragraph is None:
            paragraph = self.paragraphs[key] = _text_paragraph(text, style, _CellParagraph)
        return paragraph

    def legend(self, table: Table):
        """The key to ``table``'s colours under it (``_legend_markup``), parsed once per distinct key."""
        legend = table.legend()
        if not legend:
            return None
        markup = _legend_markup(legend)
        frags = self.legends.get(markup)
        if frags is None:
            frags = self.legends[markup] = RLParagraph(markup, _styles()["legend"]).frags
        return RLParagraph(markup, _styles()["legend"], frags=[frag.clone() for frag in frags])


def _text_paragraph(text: str, style: ParagraphStyle, paragraph_class=RLParagraph):
    """A paragraph of plain text (no markup; a line break where the text has one) in ``style``, made as
    ReportLab's markup parser would make it — one fragment in the style per line, a line-break fragment
    between — without going through the parser (a report has thousands of them)."""
    text_fragment, break_fragment = _plain_fragments(style)
    drawable = _keep_together(_drawable(text))
    frags = []
    for number, line in enumerate(drawable.split("\n")):
        if number:
            frags.append(break_fragment.clone())
        line = cleanBlockQuotedText(line)
        if line:
            frags.append(text_fragment.clone(text=line))
    return paragraph_class(drawable, style, frags=frags or [text_fragment.clone(text="")])


@cache
def _plain_fragments(style: ParagraphStyle):
    """(a text fragment, a line-break fragment) in ``style``, as the markup parser makes them."""
    frags = RLParagraph("x<br/>x", style).frags
    return frags[0], frags[1]


def table_flowables(table: Table, render: _Render | None = None) -> list:
    """The caption, the table, the key to its colours and the footnotes as ReportLab flowables (the table
    laid out for a landscape page when ``is_landscape``)."""
    render = render or _Render()
    styles = _styles()
    columns = len(table.header)
    flowables = [_text_paragraph(table.caption, styles["caption"])] if table.caption else []
    if columns:
        # (column, span, text, style) per cell; short rows are filled out with empty cells.
        rows, commands, wide, widths = render.layout(table)
        header = zip(table.header, widths, strict=True)
        data = [[render.cell(heading, styles["th"], width) for heading, width in header]]
        for cells in rows:
            line = [""] * columns
            for column, span, text, style in cells:
                if text:
                    line[column] = render.cell(text, style, sum(widths[column : column + span]))
            data.append(line)
        grid = _ReportTable(
            data,
            colWidths=widths,
            repeatRows=1,
            hAlign="LEFT",
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
                    ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
                    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    *commands,
                ]
            ),
        )
        grid.frame_height = WIDE_FRAME_HEIGHT if wide else FRAME_HEIGHT
        grid.laid_out_rows = [list(zip(data[0], widths, strict=True))] + [
            [(line[column], sum(widths[column : column + span])) for column, span, *_cell in cells]
            for line, cells in zip(data[1:], rows, strict=True)
        ]
        flowables.append(grid)
        legend = render.legend(table)
        if legend is not None:
            flowables.append(legend)
    flowables += [
        _text_paragraph(note, styles["footnote" if number == 0 else "note"])
        for number, note in enumerate(table.footnotes)
    ]
    if flowables:
        flowables[-1].spaceAfter = 12
    return flowables


# --- Document --------------------------------------------------------------------------------


class _Outline:
    """Outline levels by heading level (the title is 0), never more than one deeper than the last."""

    def __init__(self):
        self.count, self.level = 0, 0

    def heading(self, title: str, style: ParagraphStyle, level: int) -> RLParagraph:
        self.count += 1
        key = f"rubrik-{self.count}"
        self.level = max(0, min(level, self.level + 1))
        paragraph = RLParagraph(f'<a name="{key}"/>{_markup(title)}', style)
        paragraph.outline_entry = (_one_line(title), key, self.level)
        return paragraph


class _Pages:
    """Which page template the flowables are on: a switch between portrait and landscape starts a new page.
    (It goes through the whole document, and carries what the render computes once.)"""

    def __init__(self):
        self.current = PORTRAIT
        self.render = _Render()

    def turn(self, template: str) -> list:
        if template == self.current:
            return []
        self.current = template
        return [NextPageTemplate(template), PageBreakIfNotEmpty()]


def _leads_with_wide_table(section: Section, render: _Render) -> bool:
    """A section whose first table is wide with only text before it starts on the landscape page (Bilaga 2:
    its heading and decision sentence on the page with the plan)."""
    for block in section.blocks:
        if isinstance(block, Table):
            return render.is_landscape(block)
        if not isinstance(block, Paragraph):
            return False
    return False


def _block_flowables(blocks, outline: _Outline, pages: _Pages | None = None, wide: bool = False) -> list:
    styles = _styles()
    pages = pages or _Pages()
    flowables = []
    for block in blocks:
        if isinstance(block, Section):
            section_wide = _leads_with_wide_table(block, pages.render)
            turn = pages.turn(LANDSCAPE if section_wide else PORTRAIT)
            flowables += turn
            if block.key.startswith("appendix") and not turn:
                flowables.append(PageBreakIfNotEmpty())
            level = max(1, block.level)
            flowables.append(outline.heading(block.title, styles[f"heading-{min(level, 3)}"], level))
            flowables += _block_flowables(block.blocks, outline, pages, section_wide)
        elif isinstance(block, Table):
            flowables += pages.turn(LANDSCAPE if pages.render.is_landscape(block) else PORTRAIT)
            flowables += table_flowables(block, pages.render)
        elif isinstance(block, Paragraph):
            if not wide:
                flowables += pages.turn(PORTRAIT)
            style = styles[block.style] if block.style in ("note", "lead") else styles["body"]
            flowables.append(_text_paragraph(block.text, style))
    return flowables


def _report_flowables(report: Report) -> list:
    styles = _styles()
    outline = _Outline()
    flowables = [outline.heading(report.title, styles["title"], 0)]
    if report.subtitle:
        flowables.append(_text_paragraph(report.subtitle, styles["subtitle"]))
    flowables += _block_flowables(report.sections, outline) or [_text_paragraph(EMPTY_REPORT, styles["body"])]
    return flowables


def _pdf_date(moment) -> str:
    offset = moment.strftime("%z")  # +0100
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[:3]}'{offset[3:]}'"


def _xmp(info, moment) -> bytes:
    """XMP metadata with the PDF/A-3b identification and the same values as the Info dictionary."""

    def text(value):
        return escape(str(value), {'"': "&quot;"})

    date = moment.isoformat(timespec="seconds")
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="3" pdfaid:conformance="B"/>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(info.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer="{text(info.producer)}" \
pdf:Keywords="{text(info.keywords)}" pdf:Trapped="{text(info.trapped)}"/>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="{text(info.creator)}" \
xmp:CreateDate="{date}" xmp:ModifyDate="{date}" xmp:MetadataDate="{date}"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


class _ReportCanvas(Canvas):
    """The canvas for the report: PDF 1.7, an outline shown on opening, "Sida X av Y" as one form
    per page filled in when the page count is known, and the PDF/A-3b catalog entries."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, pdfVersion=(1, 7), **kwargs)
        self.footer_pages, self.footer_widths = 0, []
        self.moment = timezone.localtime().replace(microsecond=0)
        self.setDateFormatter(lambda *_date: _pdf_date(self.moment))
        self.showOutline()

    def draw_page_furniture(self, title: str):
        """The running header, and the footer form (drawn at the end, when the total is known); on a
        landscape page along its long side."""
        width, height = self._pagesize
        self.saveState()
        self.setFont(REGULAR, 8)
        self.setFillColor(HEADER_TEXT)
        baseline = height - TOP / 2 - 3
        self.drawString(SIDE, baseline, AUTHOR)
        self.drawRightString(width - SIDE, baseline, title)
        self.footer_pages += 1
        self.footer_widths.append(width)
        self.doForm(f"Sidfot{self.footer_pages}")
        self.restoreState()

    def save(self):
        for number, width in enumerate(self.footer_widths, start=1):
            self.beginForm(f"Sidfot{number}", 0, 0, width, BOTTOM)
            self.setFont(REGULAR, 8)
            self.setFillColor(FOOTER_TEXT)
            self.drawRightString(width - SIDE, BOTTOM / 2 - 3, f"Sida {number} av {self.footer_pages}")
            self.endForm()
        self._add_pdfa_entries()
        super().save()

    def _add_pdfa_entries(self):
        document = self._doc
        profile = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary({"N": 3}), SRGB_PROFILE.read_bytes(), filters=[pdfdoc.PDFZCompress]
        )
        intent = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("OutputIntent"),
                "S": pdfdoc.PDFName("GTS_PDFA1"),
                "OutputConditionIdentifier": pdfdoc.PDFString("sRGB IEC61966-2.1"),
                "Info": pdfdoc.PDFString("sRGB IEC61966-2.1"),
                "DestOutputProfile": document.Reference(profile),
            }
        )
        catalog = document.Catalog
        # The catalog writes only the keys it lists, and OutputIntents is not among them.
        catalog.__NoDefault__ = [*catalog.__NoDefault__, "OutputIntents"]
        catalog.OutputIntents = pdfdoc.PDFArray([intent])
        info = document.info
        # Written without a filter (no /Filter key), as PDF/A wants the metadata readable as it is.
        self.setCatalogEntry("Metadata", pdfdoc.XMP(creator=lambda _document: _xmp(info, self.moment)))


class _ReportDocument(BaseDocTemplate):
    def __init__(self, buffer, report: Report):
        _fonts()
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=SIDE,
            rightMargin=SIDE,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=_one_line(report.title),
            author=AUTHOR,
            subject=_one_line(report.subtitle),
            creator=CREATOR,
            keywords=KEYWORDS,
            lang=LANGUAGE,
            initialFontName=REGULAR,
            initialFontSize=10,
            pageCompression=1,
            displayDocTitle=1,
            keepTogetherClass=_KeepWithNext,
        )
        frame = Frame(SIDE, BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="innehall")
        wide = Frame(SIDE, BOTTOM, WIDE_FRAME_WIDTH, WIDE_FRAME_HEIGHT, 0, 0, 0, 0, id="innehall-liggande")

        def furniture(canvas, doc):
            canvas.draw_page_furniture(doc.title)

        self.addPageTemplates(
            [
                PageTemplate(PORTRAIT, [frame], onPage=furniture, pagesize=A4),
                PageTemplate(LANDSCAPE, [wide], onPage=furniture, pagesize=landscape(A4)),
            ]
        )

    def afterFlowable(self, flowable):
        entry = getattr(flowable, "outline_entry", None)
        if entry is not None:
            self.canv.addOutlineEntry(*entry)


def render_pdf(report: Report) -> bytes:
    buffer = io.BytesIO()
    _ReportDocument(buffer, report).build(_report_flowables(report), canvasmaker=_ReportCanvas)
    return buffer.getvalue()
