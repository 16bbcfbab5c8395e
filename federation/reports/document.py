"""The report's content as a plain structure: sections, paragraphs, tables.

Section builders (``goals.report``, ``internalcontrol.report``) return these
objects; the renderers in ``federation.reports.render_*`` turn them into HTML,
DOCX, PDF and XLSX. Nothing here knows about models or about a format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from federation.status import Tone

# Who publishes every report: the author in each format's document properties and the PDF's running header.
AUTHOR = "Boråsregionen Sjuhärads kommunalförbund"
# What a report without sections says instead, in every format that shows text.
EMPTY_REPORT = "Rapporten har inga avsnitt: inget är valt, eller inget underlag finns ännu för året."


@dataclass
class Cell:
    """One table cell. ``tone`` colours it (always beside ``text``, never instead
    of it); ``bold`` marks a sub-heading row such as a strategy."""

    text: str = ""
    tone: Tone | str | None = None
    bold: bool = False
    colspan: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "" | "note" (small print, e.g. footnotes) | "lead"


@dataclass
class Table:
    """A real table. ``title`` names the XLSX sheet and the caption; ``header``
    repeats across PDF pages; a row is a list of Cell (or plain strings)."""

    title: str
    header: list[str]
    rows: list[list[Cell | str]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    # Relative column widths (any unit); None = equal.
    widths: list[float] | None = None

    def cells(self):
        """Rows with every plain string wrapped as a Cell."""
        for row in self.rows:
            yield [value if isinstance(value, Cell) else Cell(str(value)) for value in row]

    def grid(self):
        """Each row placed on the header's columns, as ``[(column, span, cell), …]`` (columns from 0): a span
        is cut to the columns left and cells past the last column are dropped. A short row ends early; each
        renderer fills it out its own way."""
        columns = len(self.header)
        for row in self.cells():
            placed, column = [], 0
            for cell in row:
                if column >= columns:
                    break
                span = max(1, min(cell.colspan, columns - column))
                placed.append((column, span, cell))
                column += span
            yield placed


@dataclass
class Section:
    """A numbered heading with its content; ``level`` 1 = chapter (e.g.
    "4 Måluppfyllelse"), 2 = "4.2 …", 3 = "4.3.1 …"."""

    title: str
    level: int = 1
    key: str = ""  # stable id used to choose sections, e.g. "internal-control"
    blocks: list[Paragraph | Table | Section] = field(default_factory=list)

    def add(self, block):
        self.blocks.append(block)
        return block


@dataclass
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)

    def tables(self):
        """Every table, depth first (one XLSX sheet each)."""

        def walk(blocks):
            for block in blocks:
                if isinstance(block, Table):
                    yield block
                elif isinstance(block, Section):
                    yield from walk(block.blocks)

        yield from walk(self.sections)
