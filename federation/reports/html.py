"""HTML rendering of a Report: the preview page and the HTML export (one
template for both). The rules every format shares live here too: a tone's word
(``cell_text``, ``tone_of``) and what never breaks across lines (``UNBREAKABLE``)."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from federation.status import TONE_BACKGROUND_HEX, TONE_HEX, Tone

from .document import (
    AUTHOR,
    EMPTY_REPORT,
    LEGEND_LEAD,
    Paragraph,
    Report,
    Section,
    Table,
    legend_text,
    status_word,
    tone_of,
)

__all__ = ["cell_text", "tone_of", "status_word", "legend_text", "keep_together", "UNBREAKABLE"]


# Never break inside a date (2019-12-06) or a grouped number (1 875 tkr, 62 418).
UNBREAKABLE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,3}(?: \d{3})+(?:,\d+)?(?: ?(?:tkr|kr|%))?")


def keep_together(text: str):
    """``text`` escaped, with dates and grouped numbers wrapped so a line never breaks inside them."""
    pieces, last = [], 0
    for match in UNBREAKABLE.finditer(text):
        pieces.append((text[last : match.start()], match.group()))
        last = match.end()
    return format_html("{}{}", format_html_join("", '{}<span class="nowrap">{}</span>', pieces), text[last:])


def cell_text(cell) -> str:
    """The text a cell shows: the status word its colour stands for on the first line (when the text is not
    that word already), then its own text; a colour is never shown without a word."""
    word = status_word(cell)
    if word:
        return f"{word}\n{cell.text}" if cell.text else word
    return cell.text


def _table_context(table: Table) -> dict:
    columns = len(table.header)
    widths = table.widths if table.widths and len(table.widths) == columns else [1] * columns
    total = sum(widths) or columns
    rows = []
    for row in table.cells():
        rows.append(
            [
                {
                    "text": keep_together(cell.text),
                    "status": status_word(cell),
                    "tone": tone.value if (tone := tone_of(cell.tone)) else "",
                    "tone_label": tone.label if tone else "",
                    "bold": cell.bold,
                    "colspan": cell.colspan,
                }
                for cell in row
            ]
        )
    return {
        "kind": "table",
        "title": table.caption,
        "header": table.header,
        "rows": rows,
        "footnotes": table.footnotes,
        "legend": [
            {"tone": tone.value, "label": str(tone.label).lower(), "words": ", ".join(words)}
            for tone, words in table.legend()
        ],
        "legend_lead": LEGEND_LEAD,
        "landscape": table.landscape,
        "widths": [round(100 * width / total, 2) for width in widths],
    }


def _blocks_context(blocks) -> list[dict]:
    items = []
    for block in blocks:
        if isinstance(block, Section):
            items.append(
                {
                    "kind": "section",
                    "title": block.title,
                    "key": block.key,
                    # The report title is <h1>; a level-1 section is <h2> … (at most <h6>).
                    "heading": min(block.level + 1, 6),
                    "blocks": _blocks_context(block.blocks),
                }
            )
        elif isinstance(block, Table):
            items.append(_table_context(block))
        elif isinstance(block, Paragraph):
            items.append({"kind": "paragraph", "text": block.text, "style": block.style})
    return items


def report_context(report: Report) -> dict:
    """The report as plain dicts and lists, for the templates."""
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "author": AUTHOR,
        "empty": EMPTY_REPORT,
        "blocks": _blocks_context(report.sections),
    }


def tone_colours() -> list[dict]:
    """The tones' colours for the stylesheet (one source: federation.status)."""
    return [{"value": tone.value, "background": TONE_BACKGROUND_HEX[tone], "colour": TONE_HEX[tone]} for tone in Tone]


def render_html(report: Report) -> str:
    """A standalone HTML document (styles inline, no scripts)."""
    return render_to_string(
        "federation/reports/document.html",
        {"report": report_context(report), "tones": tone_colours()},
    )


def render_body(report: Report) -> str:
    """Only the report's content, for the preview page inside the site layout."""
    return render_to_string("federation/reports/_report.html", {"report": report_context(report)})
