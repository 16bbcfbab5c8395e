from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Decision, DecisionBody, Federation, FiscalYear, FollowUp, Municipality, Role, RoleAssignment, Unit

admin.site.site_header = _("Boråsregionen – måluppfyllelse och intern kontroll")
admin.site.site_title = _("Administration")
admin.site.index_title = _("Förbundsdirektörens administration")


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "organisation_number", "founded"]
    search_fields = ["name", "short_name"]


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
    list_display = ["date", "body", "paragraph", "subject", "reference"]
    list_filter = ["body", "date"]
    list_select_related = ["body"]
    search_fields = ["subject", "reference", "paragraph"]
    date_hierarchy = "date"
