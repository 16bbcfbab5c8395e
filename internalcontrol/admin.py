from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from federation.access import LOCK_OVERRIDE_REASON
from federation.selectors import is_director

from . import services
from .models import (
    Action,
    Check,
    ControlGroup,
    ControlPlan,
    ControlPoint,
    Deviation,
    Evidence,
    PlanSignOff,
    ReviewArea,
    Risk,
)
from .permissions import can_log_check
from .resources import CheckResource, check_rows, plan_import, plan_rows
from .resources import render as render_file


class PlanLockAdminMixin:
    """A reported plan or a closed year is locked in the admin: only the förbundsdirektör changes
    or deletes its objects, and such a change is recorded in the history as an override."""

    def plan_of(self, obj):
        return obj.plan

    def _locked(self, obj):
        plan = self.plan_of(obj)
        return plan.fiscal_year.closed or plan.status == ControlPlan.Status.REPORTED

    def _may_change(self, request, obj):
        return obj is None or is_director(request.user) or not self._locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def save_model(self, request, obj, form, change):
        if change and self._locked(obj):
            obj._change_reason = LOCK_OVERRIDE_REASON
        super().save_model(request, obj, form, change)


def _errors(error):
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Till år"), min_value=1990, max_value=2200)


class ImportForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2200)
    file = forms.FileField(label=_("Fil i Bilaga 2-format (.xlsx eller .csv)"))
    dry_run = forms.BooleanField(label=_("Provkörning (spara inget)"), required=False, initial=True)


class ControlGroupInline(admin.TabularInline):
    model = ControlGroup
    extra = 0


class ReviewAreaInline(admin.TabularInline):
    model = ReviewArea
    fields = ["number", "name", "group", "result_text"]
    extra = 0
    show_change_link = True


@admin.register(ControlPlan)
class ControlPlanAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    def plan_of(self, obj):
        return obj

    list_display = ["__str__", "fiscal_year", "version", "is_current", "status", "decision", "reported_on"]
    list_filter = ["status", "is_current", "fiscal_year"]
    list_select_related = ["fiscal_year", "decision__body"]
    search_fields = ["fiscal_year__year"]
    readonly_fields = [
        "version", "is_current", "previous_version", "copied_from", "status", "decision", "report_decision",
        "reported_on",
    ]  # fmt: skip
    inlines = [ControlGroupInline, ReviewAreaInline]
    actions = ["adopt_plan", "copy_plan", "new_version", "sign_off", "report", "export_xlsx", "export_checks_xlsx"]
    change_list_template = "internalcontrol/admin_plan_changelist.html"

    def get_urls(self):
        return [
            path(
                "importera/",
                self.admin_site.admin_view(self.import_view),
                name="internalcontrol_controlplan_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import a Bilaga 2 sheet with a dry-run preview; every bad row is listed and nothing is stored."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = plan_import(
                        year=form.cleaned_data["year"],
                        path=upload.name,
                        content=upload.read(),
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    if result.ok and not result.dry_run:
                        self.message_user(
                            request,
                            _("%(n)s kontrollmoment inlästa i %(plan)s.") % {"n": result.rows, "plan": result.plan},
                        )
                        return redirect(reverse("admin:internalcontrol_controlplan_change", args=[result.plan.pk]))
        else:
            form = ImportForm()
        return render(
            request,
            "internalcontrol/admin_import.html",
            {"title": _("Importera internkontrollplan"), "form": form, "result": result, "opts": self.model._meta,
             **self.admin_site.each_context(request)},
        )  # fmt: skip

    def _file_response(self, rows, name):
        response = HttpResponse(
            render_file(rows, fmt="xlsx", title=name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response

    @admin.action(description=_("Exportera plan (Bilaga 2, xlsx)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        plan = queryset.first()
        return self._file_response(plan_rows(plan), f"internkontrollplan-{plan.year}")

    @admin.action(description=_("Exportera kontroller (xlsx)"), permissions=["view"])
    def export_checks_xlsx(self, request, queryset):
        plan = queryset.first()
        return self._file_response(check_rows(plan), f"kontroller-{plan.year}")

    @admin.action(description=_("Underteckna uppföljningen (förbundsdirektören)"), permissions=["change"])
    def sign_off(self, request, queryset):
        for plan in queryset:
            try:
                services.plan_sign_off(plan=plan, user=request.user, now=timezone.now())
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{plan}: {_errors(error)}", messages.ERROR)
            else:
                self.message_user(request, _("%(plan)s: uppföljningen är undertecknad.") % {"plan": plan})

    def _to_decision_page(self, request, queryset, url_name):
        """Adopting and reporting go through the förbundsdirektör's page (choose or register the decision,
        confirm what is locked), which calls the same service: one plan at a time."""
        if queryset.count() != 1:
            self.message_user(request, _("Välj en plan i taget."), messages.ERROR)
            return None
        return redirect(reverse(url_name, args=[queryset.get().pk]))

    @admin.action(description=_("Avrapportera till Direktionen"), permissions=["change"])
    def report(self, request, queryset):
        return self._to_decision_page(request, queryset, "internalcontrol:plan-report")

    def _with_form(self, request, queryset, form_class, title, action_name, apply):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                for plan in queryset:
                    try:
                        result = apply(plan, form.cleaned_data)
                    except ValidationError as error:
                        self.message_user(request, f"{plan}: {_errors(error)}", messages.ERROR)
                    else:
                        self.message_user(request, f"{plan}: {result}", messages.SUCCESS)
                return None
        else:
            form = form_class()
        return render(
            request,
            "internalcontrol/admin_action_form.html",
            {
                "title": title,
                "form": form,
                "queryset": queryset,
                "action_name": action_name,
                "opts": self.model._meta,
                **self.admin_site.each_context(request),
            },
        )

    @admin.action(description=_("Anta plan"), permissions=["change"])
    def adopt_plan(self, request, queryset):
        return self._to_decision_page(request, queryset, "internalcontrol:plan-adopt")

    @admin.action(description=_("Kopiera plan till nästa år"), permissions=["add"])
    def copy_plan(self, request, queryset):
        def apply(plan, data):
            new = services.plan_copy_to_year(plan=plan, year=data["year"])
            return _("kopierad till %(new)s (utkast).") % {"new": new}

        return self._with_form(request, queryset, CopyForm, _("Kopiera plan"), "copy_plan", apply)

    @admin.action(description=_("Ny version (ändring efter nytt beslut)"), permissions=["add"])
    def new_version(self, request, queryset):
        for plan in queryset:
            try:
                new = services.plan_new_version(plan=plan)
            except ValidationError as error:
                self.message_user(request, f"{plan}: {_errors(error)}", messages.ERROR)
            else:
                self.message_user(request, _("%(new)s skapad som utkast.") % {"new": new}, messages.SUCCESS)


class ControlPointInline(admin.StackedInline):
    model = ControlPoint
    fields = ["order", "description", "method", "frequency_text", "responsible_role", "reported_to", "custom_due_dates"]
    extra = 0


@admin.register(ReviewArea)
class ReviewAreaAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "name", "group", "plan"]
    list_filter = ["plan", "group__name"]
    list_select_related = ["group", "plan__fiscal_year"]
    search_fields = ["name", "result_text"]
    inlines = [ControlPointInline]


@admin.register(ControlGroup)
class ControlGroupAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan__fiscal_year"]
    search_fields = ["name"]


@admin.register(ControlPoint)
class ControlPointAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    def plan_of(self, obj):
        return obj.area.plan

    list_display = ["description", "area", "method", "frequency_text", "responsible_role"]
    list_filter = ["area__plan", "responsible_role", "per_year"]
    list_select_related = ["area__plan__fiscal_year", "responsible_role"]
    search_fields = ["description", "method", "area__name"]


@admin.register(Risk)
class RiskAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "plan", "likelihood", "consequence", "value", "needs_review"]
    list_filter = ["plan", "needs_review"]
    list_select_related = ["plan__fiscal_year"]
    search_fields = ["title"]
    filter_horizontal = ["control_points"]
    actions = ["mark_reviewed"]

    @admin.action(description=_("Markera bedömningen som omprövad"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        locked = [risk for risk in queryset.select_related("plan") if risk.plan.is_locked]
        if locked:
            self.message_user(request, _("Planen är antagen och låst."), messages.ERROR)
            return
        for risk in queryset:  # one by one, so the history records who reviewed
            risk.needs_review = False
            risk.save(update_fields=["needs_review"])
        self.message_user(request, _("%(n)s risker markerade som omprövade.") % {"n": len(queryset)})

    @admin.display(description=_("riskvärde S×K"))
    def value(self, obj):
        return obj.label()


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["file", "description", "period_start", "period_end", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    extra = 0


class PlanListFilter(admin.RelatedFieldListFilter):
    """The plans to filter by, each named by its year, read with their years in one query (not one per plan)."""

    def field_choices(self, field, request, model_admin):
        plans = ControlPlan.objects.select_related("fiscal_year").order_by("-fiscal_year__year", "-version")
        return [(plan.pk, str(plan)) for plan in plans]


@admin.register(Check)
class CheckAdmin(PlanLockAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [CheckResource]
    list_per_page = 50
    show_full_result_count = False  # one COUNT less over every check of every year
    list_display = ["control_point", "due_date", "performed_on", "performed_by", "result", "severity"]
    list_filter = ["result", ("control_point__area__plan", PlanListFilter), "control_point__responsible_role"]
    list_select_related = ["control_point", "performed_by"]
    search_fields = ["control_point__description", "comment"]
    date_hierarchy = "due_date"
    raw_id_fields = ["control_point", "performed_by"]
    inlines = [EvidenceInline]

    def plan_of(self, obj):
        return obj.control_point.area.plan

    def _may_change(self, request, obj):
        """Holders of the responsible role (and the förbundsdirektör) change a check."""
        return super()._may_change(request, obj) and (obj is None or can_log_check(request.user, obj))


@admin.register(Evidence)
class EvidenceAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    def plan_of(self, obj):
        return obj.check_item.control_point.area.plan

    list_display = ["__str__", "check_item", "period_start", "period_end", "uploaded_at", "uploaded_by"]
    list_select_related = ["check_item__control_point", "uploaded_by"]
    search_fields = ["description", "file"]
    raw_id_fields = ["check_item"]


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "deviation"
    fields = ["description", "responsible", "deadline", "status", "done_on", "verified_on", "verified_by_check"]
    raw_id_fields = ["verified_by_check", "responsible"]
    extra = 0


@admin.register(Deviation)
class DeviationAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    list_per_page = 50

    def plan_of(self, obj):
        return obj.check_item.control_point.area.plan

    list_display = ["__str__", "check_item", "recorded_by", "recorded_at"]
    list_select_related = ["check_item__control_point", "recorded_by"]
    search_fields = ["description"]
    raw_id_fields = ["check_item"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(PlanLockAdminMixin, SimpleHistoryAdmin):
    list_per_page = 50

    def plan_of(self, obj):
        return obj.control_point.area.plan

    list_display = ["__str__", "responsible", "deadline", "status", "done_on", "verified_on"]
    list_filter = ["status", "control_point__area__plan"]
    list_select_related = ["responsible"]
    search_fields = ["description"]
    raw_id_fields = ["deviation", "control_point", "verified_by_check", "carried_from"]


@admin.register(PlanSignOff)
class PlanSignOffAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "signed_by", "signed_at"]
    list_select_related = ["plan__fiscal_year", "signed_by"]
    readonly_fields = ["snapshot"]
