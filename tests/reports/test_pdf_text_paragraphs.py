"""The PDF makes its plain-text paragraphs (cells, captions, body text) without ReportLab's markup parser;
they must break into the same lines as the parser's paragraphs of the same text would."""

import pytest

from federation.reports import pdf

TEXTS = [
    "Attestordning och utanordning",
    "Kontroll av leverantörsfakturor & avtal <2019>",
    "• Första aktiviteten\n  Mätetal: Andel – målvärde 90 %\n\n• Andra aktiviteten",
    "  mellanslag  före och   efter  ",
    "\n\nbara radbrytningar först",
    "Informationssäkerhetsklassningen av verksamhetssystemen genomförs 2019-06-30 enligt plan",
    "",
]


def _lines(paragraph, width):
    """The text of each line (without the spaces at its ends, which are not drawn) and the height."""
    paragraph.wrap(width, 10_000)
    lines = []
    for line in paragraph.blPara.lines:
        if hasattr(line, "words"):
            lines.append("".join(getattr(word, "text", "") for word in line.words).strip())
        else:
            lines.append(" ".join(line[1]).strip())
    return lines, paragraph.height


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("style_name", ["td", "td-green-bold", "caption", "body"])
@pytest.mark.parametrize("width", [60, 140, 400])
def test_a_text_paragraph_breaks_as_the_parsed_markup_would(text, style_name, width):
    style = pdf._styles()[style_name]
    parsed = pdf.RLParagraph(pdf._markup(text), style)
    made = pdf._text_paragraph(text, style)

    assert _lines(made, width) == _lines(parsed, width)


def test_a_text_paragraph_keeps_markup_characters_as_text():
    paragraph = pdf._text_paragraph("A & B <i>inte kursiv</i>", pdf._styles()["td"])

    assert "".join(frag.text for frag in paragraph.frags) == "A & B <i>inte kursiv</i>"
    assert all(frag.fontName == pdf.REGULAR for frag in paragraph.frags)
