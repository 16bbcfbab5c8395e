"""The export formats: renderer, file extension and content type per format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .document import Cell, Report, Section, Table
from .excel import render_xlsx
from .html import render_html
from .pdf import render_pdf
from .word import render_docx


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str
    renderer: Callable[[Report], bytes | str]
    # Rendering cost per table row relative to Word; decides direct download or background export.
    weight: float = 1

    def render(self, report: Report) -> bytes:
        output = self.renderer(report)
        return output.encode("utf-8") if isinstance(output, str) else output


FORMATS = {
    "docx": Format(
        "docx",
        "Word (DOCX)",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render_docx,
    ),
    # ReportLab: 1.5 s against Word's 0.24 s for the 2019 report at ten times the demo data
    # (1 485 table rows, 209 pages); 0.14 against 0.036 s on the demo data itself.
    "pdf": Format("pdf", "PDF", "pdf", "application/pdf", render_pdf, weight=6),
    "xlsx": Format(
        "xlsx",
        "Excel (XLSX)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        render_xlsx,
        weight=0.5,
    ),
    "html": Format("html", "HTML", "html", "text/html; charset=utf-8", render_html, weight=0.1),
}


def get_format(key: str) -> Format:
    try:
        return FORMATS[str(key).lower()]
    except KeyError:
        raise ValueError(
            _("Okänt format: %(format)s. Välj något av: %(formats)s.") % {"format": key, "formats": ", ".join(FORMATS)}
        ) from None


def filename(*, year: int, fmt: Format, follow_up=None) -> str:
    """arsredovisning-2019.pdf, or delarsrapport-2019.pdf for a delår (``follow_up`` a FollowUp or its kind)."""
    name = "delarsrapport" if getattr(follow_up, "kind", follow_up) == "interim" else "arsredovisning"
    return f"{name}-{year}.{fmt.extension}"


def prepare_renderers() -> None:
    """Render a small report once in every format, so that what a renderer loads once per process (the PDF's
    fonts, styles and hyphenation dictionary, the libraries' lazily imported modules) is loaded now, at a
    worker process's start (``FederationConfig.ready``), and not in the first export it runs."""
    table = Table(
        title="Förberedelse",
        header=["Kontrollmoment", "Bedömning"],
        rows=[[Cell("Attestordning och utanordning"), Cell("Uppfyllt", tone="green", status="Uppfyllt")]],
    )
    report = Report(title="Förberedelse", sections=[Section(title="1 Förberedelse", blocks=[table])])
    for chosen in FORMATS.values():
        chosen.render(report)
