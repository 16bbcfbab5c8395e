"""The report's content as a plain structure: sections, paragraphs, tables.

Section builders (``goals.report``, ``internalcontrol.report``) return these
objects; the renderers in ``federation.reports.render_*`` turn them into HTML,
DOCX, PDF and XLSX. Nothing here knows about models or about a format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from federation.status import Tone, tone_word

# Who publishes every report: the author in each format's document properties and the PDF's running header.
AUTHOR = "Boråsregionen Sjuhärads kommunalförbund"
# Characters XML 1.0 does not allow (a pasted vertical tab or form feed): DOCX and XLSX leave them out, or the
# file could not be written or opened.
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a report without sections says instead, in every format that shows text.
EMPTY_REPORT = "Rapporten har inga avsnitt: inget är valt, eller inget underlag finns ännu för året."


@dataclass
class Cell:
    """One table cell. ``tone`` colours it (always beside a word, never instead of it);
    ``status`` is the word the colour stands for ("Delvis uppfyllt", "Låg risk") when ``text``
    is something else (a strategy, a result): every format shows it beside the colour.
    ``bold`` marks a sub-heading row such as a strategy."""

    text: str = ""
    tone: Tone | str | None = None
    bold: bool = False
    colspan: int = 1
    status: str = ""


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
    # Relative column widths (any unit); None = equal. (PDF and DOCX measure the content instead.)
    widths: list[float] | None = None
    # Wide tables (the internkontrollplan) are laid out on landscape pages in PDF and DOCX.
    landscape: bool = False
    # Set by ``number_report``: e.g. "4.3.1 Tabell 2", unique in the report.
    number: str = ""

    @property
    def _own_title(self) -> str:
        """The title without a leading number its section's already gives ("Bilaga 2 Internkontrollplan" in
        Bilaga 2: "Internkontrollplan")."""
        section = self.number.split(" Tabell ")[0] if " Tabell " in self.number else ""
        if section and self.title.startswith(section + " "):
            return self.title[len(section) + 1 :].lstrip(" –:")
        return self.title

    @property
    def caption(self) -> str:
        """The caption every format shows: the table's number and its title."""
        if self.number and self.title:
            return f"{self.number} – {self._own_title}"
        return self.number or self.title

    @property
    def short_name(self) -> str:
        """The number and title with "Tabell" shortened to "T" (e.g. "4.3.1 T2 Verka för …"), for XLSX sheet
        names: the number alone keeps them unique."""
        number = TABLE_WORD.sub(" T", self.number)
        return f"{number} {self._own_title}".strip() if number else self.title

    def legend(self) -> list[tuple[Tone, list[str]]]:
        """The colours the table uses, each with the words it stands for in this table, in tone order:
        the key printed under the table ("Grön = Uppfyllt …"), so that it reads the same in greyscale."""
        words: dict[Tone, list[str]] = {}
        for row in self.cells():
            for cell in row:
                tone = tone_of(cell.tone)
                if tone is None:
                    continue
                # A cell's text is its word only when it is short ("Överförd till 2020"), never a sentence.
                word = cell.status or (cell.text if 0 < len(cell.text) <= 30 else tone_word(tone))
                if word not in words.setdefault(tone, []):
                    words[tone].append(word)
        return [(tone, words[tone]) for tone in Tone if tone in words]

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


def tone_of(value) -> Tone | None:
    """A Tone from a Tone, its value ("green") or None; unknown values give None."""
    if value in (None, ""):
        return None
    try:
        return Tone(value)
    except ValueError:
        return None


def status_word(cell: Cell) -> str:
    """The status word a toned cell shows beside its text ("" when the text is that word already, or when
    the cell has no colour): the word the colour stands for, or the colour's own name."""
    tone = tone_of(cell.tone)
    if tone is None:
        return ""
    word = cell.status or ("" if cell.text else str(tone.label))
    if not word or cell.text.casefold().startswith(word.casefold()):
        return ""
    return word


def legend_text(legend) -> str:
    """The legend as one line: "Färger: grön = Uppfyllt; gul = Delvis uppfyllt …"."""
    parts = [f"{str(tone.label).lower()} = {', '.join(words)}" for tone, words in legend]
    return f"{LEGEND_LEAD}: " + "; ".join(parts) + "."


LEGEND_LEAD = "Färger"
TABLE_WORD = re.compile(r" Tabell ")
# A heading that carries its own number: "4", "4.3.1", "2.7", "Bilaga 2".
SECTION_NUMBER = re.compile(r"^(?:Bilaga \d+|\d+(?:\.\d+)*)(?=\s|$)")


def section_number(title: str) -> str:
    match = SECTION_NUMBER.match(title)
    return match.group() if match else ""


def number_report(report: Report) -> Report:
    """Give every heading and table a unique, hierarchical number, in place (running it again changes
    nothing). A heading that has a number keeps it ("2.7 Intern kontroll", "Bilaga 2 …"); one without
    gets the next under its parent ("4.2.1 …") or, at the top, the chapter after the last one
    ("5 Dataskyddsombud …" after "4 Måluppfyllelse"). A table is numbered within its section:
    "4.3.1 Tabell 2"; a table under no numbered heading: "Tabell 3"."""
    loose_tables = 0

    def walk(blocks, parent: str, chapter: int | None):
        nonlocal loose_tables
        child, tables = 0, 0
        for block in blocks:
            if isinstance(block, Section):
                number = section_number(block.title)
                if number:
                    last = number.rsplit(".", 1)[-1]
                    if parent and number.startswith(parent + ".") and last.isdigit():
                        child = int(last)
                    if not parent and number[0].isdigit():
                        chapter = int(number.split(".")[0])
                elif parent:
                    child += 1
                    number = f"{parent}.{child}"
                elif chapter is not None and block.level <= 1 and not block.key.startswith("appendix"):
                    chapter += 1
                    number = str(chapter)
                if number and not section_number(block.title):
                    block.title = f"{number} {block.title}"
                walk(block.blocks, number, chapter)
            elif isinstance(block, Table):
                tables += 1
                if parent:
                    block.number = f"{parent} Tabell {tables}"
                else:
                    loose_tables += 1
                    block.number = f"Tabell {loose_tables}"
        return chapter

    chapter = None
    for section in report.sections:
        chapter = walk([section], "", chapter)
    return report
