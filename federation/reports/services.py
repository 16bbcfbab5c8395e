"""Exporting the year-end report: directly (small reports, the command) or as
a background export with progress (a ReportExport queued for ``.tasks.export_report``,
which runs ``.exports.report_export_run``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from federation.models import ReportExport

from .builder import ReportError, build_year_report, resolve_fiscal_year, resolve_follow_up, resolve_units
from .formats import Format, filename, get_format
from .tasks import export_report


@dataclass
class RenderedReport:
    content: bytes
    format: Format
    filename: str


def report_render(
    *, fiscal_year, fmt: str, sections=None, units=None, follow_up=None, changes: bool = False
) -> RenderedReport:
    """Build and render the report in one go, at ``follow_up`` (a FollowUp or "delår"/"helår"; default
    the latest ended), with what changed since the previous follow-up when ``changes``. Raises ReportError
    (Swedish) for bad input."""
    try:
        chosen_format = get_format(fmt)
    except ValueError as error:
        raise ReportError(str(error)) from None
    year = resolve_fiscal_year(fiscal_year)
    chosen = resolve_follow_up(year, follow_up)
    unit_objects = resolve_units(units) if units is not None else None
    report = build_year_report(
        fiscal_year=year, sections=sections, units=unit_objects, follow_up=chosen, changes=changes
    )
    return RenderedReport(
        chosen_format.render(report),
        chosen_format,
        filename(year=year.year, fmt=chosen_format, follow_up=chosen),
    )


def report_export_request(
    *, user, fiscal_year, fmt: str, sections=None, units=None, follow_up=None, changes: bool = False
) -> ReportExport:
    """Record an export and queue it for a worker once the transaction commits; the follow-up's kind
    and ``changes`` are kept in ``options``."""
    try:
        chosen_format = get_format(fmt)
    except ValueError as error:
        raise ReportError(str(error)) from None
    year = resolve_fiscal_year(fiscal_year)
    chosen = resolve_follow_up(year, follow_up)
    unit_pks = [unit.pk for unit in resolve_units(units)] if units is not None else None
    with transaction.atomic():
        export = ReportExport.objects.create(
            requested_by=user,
            fiscal_year=year,
            format=chosen_format.key,
            options={
                "sections": list(sections) if sections is not None else None,
                "units": unit_pks,
                "follow_up": chosen.kind if chosen is not None else None,
                "changes": bool(changes),
            },
        )
        transaction.on_commit(lambda: export_report.delay(export.pk))
    return export
