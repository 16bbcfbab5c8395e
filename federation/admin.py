from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .models import (
    Decision,
    DecisionBody,
    Federation,
    FiscalYear,
    FollowUp,
    Municipality,
    ReminderMail,
    ReminderSent,
    ReminderSettings,
    ReportExport,
    Role,
    RoleAssignment,
    Unit,
)
from .organisation import organisation_setup, template_bytes
from .selectors import is_director


class SetupForm(forms.Form):
    file = forms.FileField(label=_("Ifylld mall (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Provkörning (spara inget)"), required=False, initial=True)


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "organisation_number", "founded"]
    search_fields = ["name", "short_name"]
    change_list_template = "federation/admin_federation_changelist.html"

    def get_urls(self):
        return [
            path("starta/", self.admin_site.admin_view(self.setup_view), name="federation_federation_setup"),
            path("mall/", self.admin_site.admin_view(self.template_view), name="federation_federation_template"),
            *super().get_urls(),
        ]

    def _guard(self, request):
        if not is_director(request.user):
            raise PermissionDenied

    def template_view(self, request):
        """The workbook to fill in (instruction, example rows), generated."""
        self._guard(request)
        response = HttpResponse(
            template_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="organisation-mall.xlsx"'
        return response

    def setup_view(self, request):
        """The organisation, its members, units, roles and people from the filled-in template; dry run first."""
        self._guard(request)
        result = None
        form = SetupForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = organisation_setup(
                    path=upload.name, content=upload.read(), dry_run=form.cleaned_data["dry_run"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if result.ok and not result.dry_run and not result.passwords:
                    self.message_user(request, _("Inläst: %(summary)s.") % {"summary": result.summary()})
                    return redirect(reverse("admin:federation_federation_changelist"))
        return render(
            request,
            "federation/admin_setup.html",
            {"title": _("Starta organisationen från mallen"), "form": form, "result": result,
             "opts": self.model._meta, **self.admin_site.each_context(request)},
        )  # fmt: skip


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "membership", "member_from", "member_to"]
    list_filter = ["membership"]
    search_fields = ["name", "code"]


class ChildUnitInline(admin.TabularInline):
    model = Unit
    fk_name = "parent"
    fields = ["name", "short_name", "kind", "lead_role", "order", "active"]
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "lead_role", "order", "active"]
    list_filter = ["kind", "active", "parent"]
    list_select_related = ["parent", "lead_role"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "lead_role"]
    inlines = [ChildUnitInline]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fields = ["user", "valid_from", "valid_to"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "is_director", "led_unit_names"]
    list_filter = ["is_director"]
    search_fields = ["name", "description"]
    inlines = [RoleAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("led_units")

    @admin.display(description=_("leder"))
    def led_unit_names(self, role):
        return ", ".join(unit.name for unit in role.led_units.all())


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["role", "user", "valid_from", "valid_to"]
    list_filter = ["role", "valid_from"]
    list_select_related = ["role", "user"]
    search_fields = ["role__name", "user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "role"]
    date_hierarchy = "valid_from"


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start", "end", "closed"]
    list_filter = ["closed"]
    search_fields = ["year"]
    inlines = [FollowUpInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "kind", "period_end", "due_date"]
    list_filter = ["kind", "fiscal_year"]
    list_select_related = ["fiscal_year"]


@admin.register(DecisionBody)
class DecisionBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "is_board", "federation"]
    search_fields = ["name"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["date", "body", "paragraph", "subject", "kind", "reference"]
    list_filter = ["body", "kind", "date"]
    list_select_related = ["body"]
    search_fields = ["subject", "reference", "paragraph"]
    date_hierarchy = "date"


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    """One row of settings: no adding a second, no deleting."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """Straight to the one row; to the form with the defaults while it has never been saved."""
        from django.shortcuts import redirect

        if ReminderSettings.objects.filter(pk=1).exists():
            return redirect("admin:federation_remindersettings_change", 1)
        return redirect("admin:federation_remindersettings_add")

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # the singleton row (constraint remindersettings_singleton)
        super().save_model(request, obj, form, change)


class ReminderSentInline(admin.TabularInline):
    model = ReminderSent
    fields = ["title", "stage", "due_date", "item_key"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class ReminderMailStateFilter(admin.SimpleListFilter):
    title = _("tillstånd")
    parameter_name = "tillstand"

    def lookups(self, request, model_admin):
        return [("skickat", _("skickat")), ("vantar", _("väntar")), ("misslyckas", _("misslyckas"))]

    def queryset(self, request, queryset):
        return {
            "skickat": queryset.filter(sent_at__isnull=False),
            "vantar": queryset.filter(sent_at=None, failing_since=None),
            "misslyckas": queryset.filter(sent_at=None, failing_since__isnull=False),
        }.get(self.value(), queryset)


@admin.register(ReminderMail)
class ReminderMailAdmin(admin.ModelAdmin):
    list_display = ["recipient", "sweep_date", "created_at", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = [ReminderMailStateFilter, "sweep_date", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email", "subject"]
    readonly_fields = ["state"] + [f.name for f in ReminderMail._meta.fields]
    inlines = [ReminderSentInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("tillstånd"))
    def state(self, mail):
        return mail.state


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "stage", "title", "due_date", "mail_sent_at"]
    list_filter = ["stage", "created_at"]
    list_select_related = ["recipient", "mail"]
    search_fields = ["title", "item_key", "recipient__username", "recipient__email"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("skickad"))
    def mail_sent_at(self, reminder):
        return reminder.mail.sent_at


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ["created", "requested_by", "fiscal_year", "format", "status", "progress", "finished"]
    list_filter = ["status", "format", "fiscal_year"]
    list_select_related = ["requested_by", "fiscal_year"]
    search_fields = ["requested_by__username", "requested_by__email", "message"]
    readonly_fields = [f.name for f in ReportExport._meta.fields]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False
