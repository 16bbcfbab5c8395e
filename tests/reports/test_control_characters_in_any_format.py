"""Text pasted from Word can hold control characters (a vertical tab for a manual line break, a form feed)
that XML does not allow: every format still renders, with the text around them kept."""

import io
import zipfile

import openpyxl
import pytest

from federation.reports.document import Cell, Paragraph, Report, Section, Table
from federation.reports.formats import FORMATS


def _report():
    table = Table(
        title="Kontroller\x0c",
        header=["Kontrollmoment", "Kommentar"],
        rows=[[Cell("Attest\x0bordning"), Cell("Stickprov\x01 tio fakturor", tone="green", status="Uppfyllt")]],
        footnotes=["Fotnot\x02"],
    )
    return Report(
        title="Årsredovisning\x0b 2019",
        subtitle="Helår\x0c",
        sections=[Section(title="2.7 Intern\x0b kontroll", blocks=[Paragraph("Inklistrad\x0b text"), table])],
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_report_with_control_characters_renders_in_every_format(fmt):
    assert FORMATS[fmt].render(_report())


def test_the_workbook_keeps_the_text_around_a_control_character():
    workbook = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"].render(_report())))
    values = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]

    assert "Attestordning" in values
    assert "Uppfyllt\nStickprov tio fakturor" in values  # (the status word first, on its own line)


def test_the_word_document_keeps_the_text_around_a_control_character():
    with zipfile.ZipFile(io.BytesIO(FORMATS["docx"].render(_report()))) as archive:
        body = archive.read("word/document.xml").decode()

    assert "Attestordning" in body
    assert "Inklistrad text" in body
    assert "Årsredovisning 2019" in body
