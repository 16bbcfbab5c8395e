"""The report reads the same in every format and in greyscale: each colour has its status word beside it
and a key under its table, numbers are unique and hierarchical (headings, captions, outline, sheet names),
a line of the PDF never ends inside a word without a hyphen, and wide tables get landscape pages."""

import io
import re

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from federation.reports.document import Cell, Paragraph, Report, Section, Table, number_report, status_word
from federation.reports.excel import FORBIDDEN_SHEET_CHARACTERS, render_xlsx
from federation.reports.html import render_html
from federation.reports.pdf import render_pdf
from federation.reports.word import render_docx
from federation.status import Tone
from tests.reports.test_pdf_outline import flatten, outline_tree

pytestmark = pytest.mark.django_db

ASSESSED = [
    ("Verka för ett förbättrat näringslivsklimat i Boråsregionen", Tone.YELLOW, "Delvis uppfyllt"),
    ("Verka för fler nystartade företag", Tone.GREEN, "Uppfyllt"),
    ("Skapa förutsättningar för kompetensförsörjning", Tone.RED, "Ej uppfyllt"),
    ("Bidra till att fler unga startar företag", Tone.GREY, "Ej bedömd"),
]


@pytest.fixture
def strategies():
    """Strategy tables as section 4.3 has them: the strategy's colour on its title, the word in ``status``."""
    goal = Section(title="Skapa möjligheter till företagande", level=3)
    for title, tone, word in ASSESSED:
        goal.add(
            Table(
                title=title,
                header=["Strategi", "Aktivitet/mätetal", "Verksamhet"],
                rows=[[Cell(title, tone=tone, status=word), "• Genomföra utbildningen Förenkla", "BRB"]],
            )
        )
    strategies = Section(title="4.3 Måluppfyllelse strategier 2019", level=2, blocks=[goal])
    return number_report(
        Report(title="Årsredovisning 2019", sections=[Section(title="4 Måluppfyllelse", blocks=[strategies])])
    )


def legend_lines(text):
    return [line for line in text.splitlines() if line.startswith("Färger:")]


def test_every_colour_has_its_status_word_beside_it_in_html(strategies):
    html = render_html(strategies)
    for title, _tone, word in ASSESSED:
        assert re.search(rf'class="status-word">{word}</strong><br>{title}', html)
    assert "Färger:" in html and "gul = Delvis uppfyllt" in html


def test_every_colour_has_its_status_word_beside_it_in_word(strategies):
    document = docx.Document(io.BytesIO(render_docx(strategies)))
    cells = [table.rows[1].cells[0].text for table in document.tables]
    assert cells == [f"{word}\n{title}" for title, _tone, word in ASSESSED]
    legends = [p.text for p in document.paragraphs if p.text.startswith("Färger:")]
    assert legends[0] == "Färger: ●\u00a0gul = Delvis uppfyllt." and len(legends) == len(ASSESSED)


def test_every_colour_has_its_status_word_beside_it_in_excel(strategies):
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(strategies)))
    for sheet, (title, tone, word) in zip(workbook.worksheets, ASSESSED, strict=True):
        assert sheet["A2"].value == f"{word}\n{title}"
        legend = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=4) if row[0].value}
        assert legend[str(tone.label)] == word


def test_every_colour_has_its_status_word_beside_it_in_the_pdf(strategies):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(strategies))).pages)
    text = " ".join(text.replace("-\n", "").split())
    for _title, tone, word in ASSESSED:
        assert f"{word} Verka" in text or f"{word} Skapa" in text or f"{word} Bidra" in text
        assert f"{str(tone.label).lower()} = {word}" in text


def test_headings_captions_outline_and_sheet_names_are_numbered_once_each(report):
    headings = [title for title, _page in flatten(outline_tree(PdfReader(io.BytesIO(render_pdf(report)))))]
    numbers = [heading.split(" ")[0] for heading in headings[1:] if heading[0].isdigit()]
    assert len(numbers) == len(set(numbers)) and "4.3.1" in numbers
    captions = [table.caption for table in report.tables()]
    assert captions[:2] == [
        "4.3.1 Tabell 1 – Strategier – Välfärd och utbildning",
        "4.3.1 Tabell 2 – Mätetal: deltagare per kommun",
    ]
    assert len(set(captions)) == len(captions)

    document = docx.Document(io.BytesIO(render_docx(report)))
    word_headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(set(word_headings)) == len(word_headings)
    assert [p.text for p in document.paragraphs if p.style.name == "Caption"] == captions

    names = openpyxl.load_workbook(io.BytesIO(render_xlsx(report))).sheetnames
    assert len({name.casefold() for name in names}) == len(names) == len(captions)
    assert all(len(name) <= 31 and not FORBIDDEN_SHEET_CHARACTERS.search(name) for name in names)
    assert all(
        name.startswith(table.number.replace(" Tabell ", " T"))
        for name, table in zip(names, report.tables(), strict=True)
    )


def test_a_heading_without_a_number_gets_the_next_one_under_its_parent():
    report = number_report(
        Report(
            title="R",
            sections=[
                Section(
                    title="4 Måluppfyllelse", blocks=[Section(title="Mål A", level=2), Section(title="Mål B", level=2)]
                ),
                Section(title="Navet", key="unit-navet", blocks=[Table(title="Navet", header=["A"])]),
                Section(
                    title="Bilaga 2 Plan", key="appendix-plan", blocks=[Table(title="Bilaga 2 Plan", header=["A"])]
                ),
            ],
        )
    )
    goals, navet, appendix = report.sections
    assert [section.title for section in goals.blocks] == ["4.1 Mål A", "4.2 Mål B"]
    assert navet.title == "5 Navet" and navet.blocks[0].caption == "5 Tabell 1 – Navet"
    assert appendix.blocks[0].caption == "Bilaga 2 Tabell 1 – Plan"
    assert number_report(report) is report and navet.title == "5 Navet"  # numbering twice changes nothing


def source_words(report):
    """Every word the report's text has (titles, cells, notes, legends), and the page furniture's."""
    texts = [report.title, report.subtitle, "Sida av Boråsregionen Sjuhärads kommunalförbund Färger"]

    def walk(blocks):
        for block in blocks:
            if isinstance(block, Section):
                texts.append(block.title)
                walk(block.blocks)
            elif isinstance(block, Paragraph):
                texts.append(block.text)
            elif isinstance(block, Table):
                texts.extend([block.caption, *block.header, *block.footnotes])
                texts.extend(
                    [f"{cell.status} {cell.text} {status_word(cell)}" for row in block.cells() for cell in row]
                )
                texts.extend([str(tone.label).lower() + " " + " ".join(words) for tone, words in block.legend()])

    walk(report.sections)
    return {word for text in texts for word in re.findall(r"\w+", text)} | {"Grön", "Gul", "Röd", "Grå"}


def test_no_line_of_the_pdf_ends_inside_a_word_without_a_hyphen(report):
    # given the plan with long words in narrow columns as well
    plan = list(report.tables())[-1]
    plan.rows.append(
        ["Informationssäkerhetsklassificeringsrutin", "Kontrollansvarig", "Kvartalsvis", "Medel", "Fre", "x"]
    )
    words = source_words(report)
    broken = []
    for page in PdfReader(io.BytesIO(render_pdf(report))).pages:
        for line in page.extract_text().splitlines():
            last = re.findall(r"[\w-]+-?$", line.strip())
            if not last or last[0].endswith("-"):
                continue
            # the line ends with a whole word, or with the end of one hyphenated on the line above
            word = last[0].split("-")[-1]
            if word and word not in words and not any(whole.endswith(word) for whole in words):
                broken.append(line)
    assert broken == []


def test_a_wide_table_is_on_landscape_pages_and_the_rest_on_portrait(report):
    plan = list(report.tables())[-1]
    plan.landscape = True
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    shapes = [
        (page.mediabox.width > page.mediabox.height, "Internkontrollplan" in page.extract_text())
        for page in reader.pages
    ]
    plan_pages = [wide for wide, has_plan in shapes if has_plan]
    assert plan_pages and all(plan_pages)
    assert not shapes[0][0]  # the report starts on a portrait page
    document = docx.Document(io.BytesIO(render_docx(report)))
    last = document.sections[-1]
    assert last.page_width > last.page_height and document.sections[0].page_width < document.sections[0].page_height
