from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from federation import dates

from . import navigation
from .models import FiscalYear, ReportExport
from .overview import year_overview
from .params import year_param
from .reports.builder import build_year_report, table_row_count
from .reports.formats import filename, get_format
from .reports.forms import EXPORT_ACTIONS, ReportOptionsForm
from .reports.html import render_body
from .reports.permissions import can_download_export, can_view_reports
from .reports.services import report_export_request
from .selectors import units_led_by


class HomeView(TemplateView):
    """Översikt: where the year stands, for a year chosen with ?year= (default the current one)."""

    template_name = "federation/home.html"

    def get_context_data(self, **kwargs):
        today = dates.today()
        years = list(FiscalYear.objects.order_by("-year"))
        chosen = self.request.GET.get("year", "")
        year = next((y for y in years if str(y.year) == chosen), None) or dates.year_in_progress(today, years=years)
        # The user's roles are in the header's ``current_roles`` (federation.context_processors.navigation);
        # the units are read only for a user whose roles lead one (the viewer knows that already).
        leads_units = navigation.viewer(self.request).leads_units
        context = {
            "fiscal_year": year,
            "years": years,
            "units": list(units_led_by(user=self.request.user, on=today)) if leads_units else [],
        }
        if year is not None:
            context.update(year_overview(fiscal_year=year, today=today, user=self.request.user))
        return super().get_context_data(**context, **kwargs)


def landing(request):
    """ "/", where a user lands after logging in: where their work is (federation.navigation)."""
    name = navigation.landing_url_name(request)
    if name == "federation:home":
        return HomeView.as_view()(request)
    return redirect(name)


# --- Rapporter: the year-end report ------------------------------------------------


class ReportAccessMixin(UserPassesTestMixin):
    """The förbundsdirektör and read-only users; everyone else gets 403."""

    raise_exception = True

    def test_func(self):
        return can_view_reports(self.request.user)


class ReportOptionsMixin(ReportAccessMixin):
    """Reads the year and the chosen sections and units from GET or POST."""

    def fiscal_year(self, data):
        years = FiscalYear.objects.order_by("-year")
        try:
            return years.get(year=year_param(data))
        except FiscalYear.DoesNotExist:
            year = dates.year_in_progress()
            if year is None:
                raise Http404(_("Det finns inget verksamhetsår att rapportera.")) from None
            return year

    def options_form(self, data, *, bound=True):
        return ReportOptionsForm(data if bound else None, fiscal_year=self.fiscal_year(data))


class ReportsView(ReportOptionsMixin, TemplateView):
    """Rapporter: choose year, sections and units; preview or export."""

    template_name = "federation/reports.html"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.options_form(self.request.GET, bound=False)
        exports = ReportExport.objects.filter(requested_by=self.request.user).select_related("fiscal_year")[:10]
        return super().get_context_data(form=form, exports=exports, **kwargs)


def render_report_chooser(request, form):
    """The Rapporter page again, showing ``form``'s errors."""
    view = ReportsView()
    view.setup(request)
    return view.render_to_response(view.get_context_data(form=form))


class ReportPreviewView(ReportOptionsMixin, TemplateView):
    """The report as HTML inside the site, with the export buttons."""

    template_name = "federation/reports/preview.html"

    def get(self, request, *args, **kwargs):
        form = self.options_form(request.GET)
        if not form.is_valid():
            return render_report_chooser(request, form)
        report = build_year_report(fiscal_year=form.fiscal_year, **form.report_kwargs())
        return self.render_to_response(
            self.get_context_data(form=form, report=report, report_html=render_body(report), query=form.query_items())
        )


class ReportExportView(ReportOptionsMixin, View):
    """POST from the chooser: preview, a direct download, or a background export."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self.options_form(request.POST)
        action = request.POST.get("action", "preview")
        if not form.is_valid():
            return render_report_chooser(request, form)
        if action not in EXPORT_ACTIONS:
            return redirect(f"{reverse('federation:report_preview')}?{urlencode(form.query_items())}")
        options = form.report_kwargs()
        fmt = get_format(action)
        report = build_year_report(fiscal_year=form.fiscal_year, **options)
        cost = table_row_count(report) * fmt.weight
        if not form.cleaned_data["background"] and cost <= settings.REPORT_DIRECT_EXPORT_MAX_ROWS:
            response = HttpResponse(fmt.render(report), content_type=fmt.content_type)
            name = filename(year=form.fiscal_year.year, fmt=fmt, follow_up=options["follow_up"])
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        export = report_export_request(
            user=request.user,
            fiscal_year=form.fiscal_year,
            fmt=fmt.key,
            sections=options["sections"],
            units=options["units"],
            follow_up=options["follow_up"],
            changes=options["changes"],
        )
        messages.info(request, _("Rapporten skapas i bakgrunden. Sidan visar hur långt den har kommit."))
        return redirect("federation:report_export", pk=export.pk)


class ReportExportAccessMixin(ReportAccessMixin):
    def get_queryset(self):
        return ReportExport.objects.select_related("fiscal_year", "requested_by")

    def get_object(self, queryset=None):
        export = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not can_download_export(self.request.user, export):
            raise PermissionDenied
        return export


class ReportExportStatusView(ReportExportAccessMixin, DetailView):
    """One background export: progress, then the download link."""

    template_name = "federation/reports/export_status.html"
    context_object_name = "export"


class ReportExportProgressView(ReportExportAccessMixin, View):
    """The progress as JSON, polled by the status page."""

    def get(self, request, *args, **kwargs):
        export = self.get_object()
        return JsonResponse(
            {
                "status": export.status,
                "status_label": export.get_status_display(),
                "progress": export.progress,
                "message": export.message,
                "finished": export.is_finished,
                "download_url": reverse("federation:report_download", args=[export.pk])
                if export.status == ReportExport.Status.DONE
                else None,
            }
        )


class ReportDownloadView(ReportExportAccessMixin, View):
    def get(self, request, *args, **kwargs):
        export = self.get_object()
        if export.status != ReportExport.Status.DONE or not export.file:
            raise Http404(_("Filen är inte klar."))
        fmt = get_format(export.format)
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=filename(year=export.fiscal_year.year, fmt=fmt, follow_up=(export.options or {}).get("follow_up")),
            content_type=fmt.content_type,
        )
