"""Exporting the year-end report: directly (small reports, the command) or as
a background export with progress (a ReportExport queued for ``.tasks.export_report``,
which runs ``.exports.report_export_run``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from federation.models import ReportExport

from .builder import ReportError, build_year_report, resolve_fiscal_year, resolve_units
from .formats import Format, filename, get_format
from .tasks import export_report


@dataclass
class RenderedReport:
    content: bytes
    format: Format
    filename: str


def report_render(*, fiscal_year, fmt: str, sections=None, units=None) -> RenderedReport:
    """Build and render the report in one go. Raises ReportError (Swedish) for bad input."""
    try:
        chosen_format = get_format(fmt)
    except ValueError as error:
        raise ReportError(str(error)) from None
    year = resolve_fiscal_year(fiscal_year)
    unit_objects = resolve_units(units) if units is not None else None
    report = build_year_report(fiscal_year=year, sections=sections, units=unit_objects)
    return RenderedReport(chosen_format.render(report), chosen_format, filename(year=year.year, fmt=chosen_format))


def report_export_request(*, user, fiscal_year, fmt: str, sections=None, units=None) -> ReportExport:
    """Record an export and queue it for a worker once the transaction commits."""
    try:
        chosen_format = get_format(fmt)
    except ValueError as error:
        raise ReportError(str(error)) from None
    year = resolve_fiscal_year(fiscal_year)
    unit_pks = [unit.pk for unit in resolve_units(units)] if units is not None else None
    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=user,
            fiscal_year=year,
            format=chosen_format.key,
            options={"sections": list(sections) if sections is not None else None, "units": unit_pks},
        )
        transaction.on_commit(lambda: export_report.delay(export.pk))
    return export
