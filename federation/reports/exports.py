"""Running one background export of the year-end report (what the worker does for
``.tasks.export_report``), with its progress recorded on the ReportExport."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from federation.models import ReportExport, Unit

from .builder import ReportError, build_year_report, resolve_follow_up
from .formats import filename, get_format

logger = logging.getLogger(__name__)


def _set_progress(export_id: int, progress: int, message: str = ""):
    ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.RUNNING).update(
        progress=progress, message=message
    )


def report_export_run(*, export_id: int) -> ReportExport:
    """Run one export: build, render, store the file. Safe to run twice: a
    finished export is left as it is."""
    claimed = ReportExport.objects.filter(
        pk=export_id, status__in=[ReportExport.Status.QUEUED, ReportExport.Status.RUNNING]
    ).update(status=ReportExport.Status.RUNNING, progress=5, message=_("Hämtar underlaget …"))
    export = ReportExport.objects.select_related("fiscal_year").get(pk=export_id)
    if not claimed:
        return export
    try:
        options = export.options or {}
        unit_pks = options.get("units")
        units = list(Unit.objects.filter(pk__in=unit_pks)) if unit_pks is not None else None
        follow_up = resolve_follow_up(export.fiscal_year, options.get("follow_up"))
        report = build_year_report(
            fiscal_year=export.fiscal_year,
            sections=options.get("sections"),
            units=units,
            follow_up=follow_up,
            changes=bool(options.get("changes")),
            # Building the sections is the first 5–40 %.
            progress=lambda done, total: _set_progress(
                export_id, 5 + 35 * done // max(total, 1), _("Hämtar underlaget …")
            ),
        )
        chosen_format = get_format(export.format)
        _set_progress(export_id, 40, _("Skapar %(format)s …") % {"format": chosen_format.label})
        content = chosen_format.render(report)
        _set_progress(export_id, 90, _("Sparar filen …"))
        export.refresh_from_db()
        name = filename(year=export.fiscal_year.year, fmt=chosen_format, follow_up=follow_up)
        export.file.save(name, ContentFile(content), save=False)
        export.status = ReportExport.Status.DONE
        export.progress = 100
        export.message = _("Klar: %(size)s kB.") % {"size": max(1, round(len(content) / 1024))}
        export.finished = timezone.now()
        export.save(update_fields=["file", "status", "progress", "message", "finished"])
    except Exception as error:
        logger.exception("Rapportexport %s misslyckades", export_id)
        reason = str(error) if isinstance(error, ReportError | ValueError) else _("ett oväntat fel uppstod")
        ReportExport.objects.filter(pk=export_id).update(
            status=ReportExport.Status.FAILED,
            message=(_("Exporten misslyckades: %(reason)s") % {"reason": reason})[:500],
            finished=timezone.now(),
        )
        export.refresh_from_db()
    return export
