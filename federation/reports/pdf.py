"""PDF rendering: WeasyPrint from the HTML rendering (A4, "Sida X av Y",
table headers repeated on every page, fonts embedded, PDF/A-3b)."""

from __future__ import annotations

import logging

from .document import Report
from .html import render_html

PDF_VARIANT = "pdf/a-3b"

# WeasyPrint reports every layout step at INFO; only problems are worth a log line.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def pdf_document(report: Report):
    """The laid-out WeasyPrint document (pages and boxes), before writing."""
    from weasyprint import HTML

    return HTML(string=render_html(report), base_url=None).render()


def render_pdf(report: Report) -> bytes:
    return pdf_document(report).write_pdf(pdf_variant=PDF_VARIANT)
