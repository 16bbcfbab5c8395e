from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from federation.access import LOCK_OVERRIDE_REASON
from federation.models import FiscalYear
from federation.selectors import is_director

from .models import Activity, Assessment, DirectionGoal, Indicator, Outcome, OverallGoal, Strategy, Submission
from .permissions import user_can_change
from .resources import ActivityResource, OutcomeResource
from .services import follow_up_approve, goals_copy_to_year


def _fiscal_years(obj):
    years = [getattr(obj, "fiscal_year", None)]
    for path in ("follow_up", "indicator", "target"):
        related = getattr(obj, path, None)
        if related is not None:
            years.append(getattr(related, "fiscal_year", None))
    return [year for year in years if year is not None]


class OwnedObjectAdminMixin:
    """Object-level rules in the admin: only the owning unit's lead (and the förbundsdirektör)
    changes or deletes an object; a closed year only the förbundsdirektör, recorded as an override."""

    def _may_change(self, request, obj):
        if obj is None:
            return True
        if is_director(request.user):
            return True
        if any(year.closed for year in _fiscal_years(obj)):
            return False
        return user_can_change(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def save_model(self, request, obj, form, change):
        if any(year.closed for year in _fiscal_years(obj)):
            obj._change_reason = LOCK_OVERRIDE_REASON
        super().save_model(request, obj, form, change)


class ImportExportHistoryAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """XLSX and CSV import (with the admin's dry-run preview, all-or-nothing) and export."""

    import_formats = [XLSX, CSV]
    export_formats = [XLSX, CSV]

    def has_import_permission(self, request):
        """Importing writes: only users who may add and change (import-export allows everyone by default)."""
        return self.has_add_permission(request) and self.has_change_permission(request)


@admin.register(OverallGoal)
class OverallGoalAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "title"]
    list_select_related = ["fiscal_year"]
    search_fields = ["title", "description"]


class StrategyInline(admin.TabularInline):
    model = Strategy
    fields = ["order", "code", "title", "fiscal_year"]
    extra = 0
    show_change_link = True


@admin.register(DirectionGoal)
class DirectionGoalAdmin(OwnedObjectAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "fiscal_year", "order", "code", "unit"]
    list_filter = ["fiscal_year", "unit"]
    list_select_related = ["fiscal_year", "unit"]
    search_fields = ["title", "code"]
    inlines = [StrategyInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Kopiera markerade års mål till nästa år (utan bedömningar och utfall)"))
    def copy_to_next_year(self, request, queryset):
        for year in FiscalYear.objects.filter(pk__in=queryset.values("fiscal_year")):
            target = FiscalYear.objects.filter(year=year.year + 1).first()
            if target is None:
                self.message_user(
                    request, _("Verksamhetsår %(year)s finns inte.") % {"year": year.year + 1}, messages.ERROR
                )
                continue
            try:
                counts = goals_copy_to_year(from_year=year, to_year=target)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "%(from)s kopierat till %(to)s: %(goals)s inriktningsmål, %(strategies)s strategier, "
                        "%(activities)s aktiviteter, %(indicators)s mätetal."
                    )
                    % {
                        "from": year.year,
                        "to": target.year,
                        "goals": counts["direction_goals"],
                        "strategies": counts["strategies"],
                        "activities": counts["activities"],
                        "indicators": counts["indicators"],
                    },
                    messages.SUCCESS,
                )


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["order", "number", "code", "title", "unit", "fiscal_year"]
    extra = 0
    show_change_link = True


@admin.register(Strategy)
class StrategyAdmin(OwnedObjectAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "direction_goal", "fiscal_year", "order", "code"]
    list_filter = ["fiscal_year", "units", "direction_goal"]
    list_select_related = ["fiscal_year", "direction_goal"]
    search_fields = ["title", "code"]
    filter_horizontal = ["units"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(OwnedObjectAdminMixin, ImportExportHistoryAdmin):
    resource_classes = [ActivityResource]
    list_display = ["__str__", "strategy", "unit", "fiscal_year", "code"]
    list_filter = ["fiscal_year", "unit"]
    list_select_related = ["strategy", "unit", "fiscal_year"]
    search_fields = ["title", "code"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    fields = ["follow_up", "municipality", "delregion", "value", "numerator", "denominator", "text"]
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(OwnedObjectAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "series", "fiscal_year", "direction", "target", "unit_of_measure", "dimension"]
    list_filter = ["fiscal_year", "direction", "dimension", "is_share"]
    list_select_related = ["fiscal_year"]
    search_fields = ["name", "series"]
    raw_id_fields = ["strategy", "activity"]
    inlines = [OutcomeInline]


@admin.register(Outcome)
class OutcomeAdmin(OwnedObjectAdminMixin, ImportExportHistoryAdmin):
    list_per_page = 50
    resource_classes = [OutcomeResource]
    list_display = ["indicator", "follow_up", "municipality", "delregion", "value", "numerator", "denominator"]
    list_filter = ["follow_up", "indicator__fiscal_year"]
    list_select_related = ["indicator", "follow_up__fiscal_year", "municipality"]
    search_fields = ["indicator__name", "delregion"]
    raw_id_fields = ["indicator"]


@admin.register(Assessment)
class AssessmentAdmin(OwnedObjectAdminMixin, SimpleHistoryAdmin):
    list_per_page = 50
    list_display = ["target", "follow_up", "status", "suggested_status", "author", "assessed_at"]
    list_filter = ["follow_up", "status", "changed_after_approval"]
    list_select_related = ["follow_up__fiscal_year", "overall_goal", "direction_goal", "strategy", "activity", "author"]
    search_fields = ["text", "strategy__title", "activity__title", "direction_goal__title"]
    raw_id_fields = ["overall_goal", "direction_goal", "strategy", "activity"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = [
        "unit",
        "follow_up",
        "state",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "returned_at",
    ]
    list_filter = ["state", "follow_up"]
    list_select_related = ["unit", "follow_up__fiscal_year", "submitted_by", "approved_by"]
    search_fields = ["unit__name"]
    readonly_fields = ["returned_by", "returned_at", "return_comment"]
    actions = ["approve"]

    @admin.action(description=_("Godkänn markerade uppföljningar (låser dem för verksamheten)"))
    def approve(self, request, queryset):
        approved = 0
        for submission in queryset.select_related("unit", "follow_up__fiscal_year"):
            try:
                follow_up_approve(submission=submission, user=request.user)
                approved += 1
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{submission}: {text}", messages.ERROR)
        if approved:
            self.message_user(
                request,
                ngettext("%(n)s uppföljning godkänd.", "%(n)s uppföljningar godkända.", approved) % {"n": approved},
                messages.SUCCESS,
            )
