from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from federation.access import LOCK_OVERRIDE_REASON, lock_override_reason, year_locked_message
from federation.admin_site import ActionCheckboxMixin, LockReasonAdminForm, MappedImportAdminMixin, guarded_form
from federation.history_admin import SimpleHistoryAdmin
from federation.models import FiscalYear
from federation.people import person_name
from federation.selectors import is_director, units_led_by

from .models import (
    Activity,
    Assessment,
    DirectionGoal,
    Indicator,
    Outcome,
    OverallGoal,
    Strategy,
    Submission,
    TargetRevision,
)
from .permissions import owner_unit_ids, user_can_change
from .resources import LAYOUT_KIND as IMPORT_KIND
from .resources import PLAN_FIELDS, ActivityResource, OutcomeResource, goals_import
from .services import follow_up_approve, goals_copy_to_year, indicator_target_changes, indicator_target_revise


def _fiscal_years(obj):
    if obj is None:
        return []
    years = [getattr(obj, "fiscal_year", None)]
    for name in ("follow_up", "indicator", "target"):
        related = getattr(obj, name, None)
        if related is not None:
            years.append(getattr(related, "fiscal_year", None))
    return [year for year in years if year is not None]


class OwnedObjectAdminMixin:
    """The pages' rules in the admin, for add as well as change and delete: only the owning unit's
    lead (and the förbundsdirektör) writes an object — as it is and as it would be saved; a closed
    year only the förbundsdirektör, with a reason kept in the history."""

    form = LockReasonAdminForm

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

    def _owner_ids(self, form):
        """The owners of the object as the form would save it (a strategy's units come from the form)."""
        obj = form.instance
        if "units" in form.cleaned_data:
            return {unit.pk for unit in form.cleaned_data["units"]} | (
                {obj.plan_unit_id} if getattr(obj, "plan_unit_id", None) else set()
            )
        return owner_unit_ids(obj)

    def guard_write(self, request, form, original):
        user = request.user
        closed = [year for year in _fiscal_years(form.instance) + _fiscal_years(original) if year.closed]
        if is_director(user):
            if closed and not form.cleaned_data.get("change_reason", "").strip():
                message = _("Året är stängt: ange varför du ändrar det (det sparas i historiken).")
                # (an object moved into a closed year from an open one has no reason box: see get_form)
                raise ValidationError({"change_reason": message} if "change_reason" in form.fields else message)
            return bool(closed)
        if closed:
            raise ValidationError(year_locked_message(closed[0]))
        led = set(units_led_by(user=user, on=timezone.localdate()).values_list("pk", flat=True))
        if not self._owner_ids(form) & led:
            raise ValidationError(_("Du kan bara ändra det som din egen verksamhet ansvarar för."))
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        original = type(obj).objects.get(pk=obj.pk) if obj is not None and obj.pk else None
        form = guarded_form(
            super().get_form(request, obj, change=change, **kwargs),
            lambda form: self.guard_write(request, form, original),
        )
        if original is not None and not any(year.closed for year in _fiscal_years(original)):
            # The reason for changing a closed year is asked for only where the year is closed.
            form.base_fields.pop("change_reason", None)
        return form

    def save_model(self, request, obj, form, change):
        if getattr(form, "lock_override", False):
            obj._change_reason = lock_override_reason(form.cleaned_data.get("change_reason", ""))
        elif any(year.closed for year in _fiscal_years(obj)):
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
class OverallGoalAdmin(OwnedObjectAdminMixin, SimpleHistoryAdmin):  # owned by no unit: the director's
    list_display = ["fiscal_year", "title"]
    list_select_related = ["fiscal_year"]
    search_fields = ["title", "description"]


class StrategyInline(admin.TabularInline):
    model = Strategy
    fields = ["order", "code", "title", "fiscal_year"]
    extra = 0
    show_change_link = True


class GoalPlanImportForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2200)
    file = forms.FileField(
        label=_("Måltabell (.xlsx eller .csv)"),
        required=False,
        help_text=_("Efter första provkörningen finns filen kvar i en timme; välj den bara för att byta fil."),
    )
    dry_run = forms.BooleanField(label=_("Provkörning (spara inget)"), required=False, initial=True)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@admin.register(DirectionGoal)
class DirectionGoalAdmin(MappedImportAdminMixin, OwnedObjectAdminMixin, SimpleHistoryAdmin):
    change_list_template = "goals/admin_goal_changelist.html"
    list_display = ["title", "fiscal_year", "order", "code", "unit"]
    list_filter = ["fiscal_year", "unit"]
    list_select_related = ["fiscal_year", "unit"]
    search_fields = ["title", "code"]
    inlines = [StrategyInline]
    actions = ["copy_to_next_year"]

    def get_urls(self):
        return [
            path(
                "importera/",
                self.admin_site.admin_view(self.import_plan_view),
                name="goals_directiongoal_import_plan",
            ),
            *super().get_urls(),
        ]

    import_kind = IMPORT_KIND
    import_fields = PLAN_FIELDS
    import_form_class = GoalPlanImportForm
    import_template = "goals/admin_import_plan.html"
    import_title = _("Importera mål (hela planen)")

    def import_plan_view(self, request):
        """A whole goal table (mål, strategier, aktiviteter, mätetal, utfall) with a dry-run preview and the
        mapping step (``MappedImportAdminMixin``). The förbundsdirektör's: it writes every unit's goals."""
        if not is_director(request.user):
            raise PermissionDenied
        return self.import_page(request)

    def import_run(self, request, data, *, name, content, mapping):
        return goals_import(
            year=data["year"], path=name, content=content, dry_run=data["dry_run"], mapping=mapping, user=request.user
        )

    def import_done(self, request, result, data):
        self.message_user(
            request, _("Inläst i %(year)s: %(summary)s.") % {"year": data["year"], "summary": result.summary()}
        )
        return redirect(reverse("admin:goals_directiongoal_changelist"))

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
                parts = [
                    ngettext("%(n)s inriktningsmål", "%(n)s inriktningsmål", counts["direction_goals"]),
                    ngettext("%(n)s strategi", "%(n)s strategier", counts["strategies"]),
                    ngettext("%(n)s aktivitet", "%(n)s aktiviteter", counts["activities"]),
                    ngettext("%(n)s mätetal", "%(n)s mätetal", counts["indicators"]),
                ]
                numbers = [counts[k] for k in ("direction_goals", "strategies", "activities", "indicators")]
                self.message_user(
                    request,
                    _("%(from)s kopierat till %(to)s: %(parts)s.")
                    % {
                        "from": year.year,
                        "to": target.year,
                        "parts": ", ".join(part % {"n": n} for part, n in zip(parts, numbers, strict=True)),
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


class IndicatorAdminForm(LockReasonAdminForm):
    """A changed målvärde needs a reason; the old value is kept (``services.indicator_target_revise``)."""

    target_reason = forms.CharField(
        label=_("Varför ändras målvärdet?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när målvärdet ändras; det gamla målvärdet sparas och visas i rapporten."),
    )

    def target_changed(self) -> bool:
        if self.instance.pk is None:
            return False
        saved = Indicator.objects.get(pk=self.instance.pk)
        return indicator_target_changes(
            saved, target=self.cleaned_data.get("target"), target_text=self.cleaned_data.get("target_text", "")
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not cleaned.get("target_reason", "").strip() and self.target_changed():
            self.add_error("target_reason", _("Ange varför målvärdet ändras."))
        return cleaned


class TargetRevisionInline(admin.TabularInline):
    model = TargetRevision
    fields = [
        "changed_at",
        "old_target",
        "old_target_text",
        "new_target",
        "new_target_text",
        "changed_by_name",
        "reason",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("ändrat av"))
    def changed_by_name(self, obj):
        return person_name(obj.changed_by) if obj.changed_by_id else "–"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(OwnedObjectAdminMixin, SimpleHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ["name", "series", "fiscal_year", "direction", "target", "unit_of_measure", "dimension"]
    list_filter = ["fiscal_year", "direction", "dimension", "is_share"]
    list_select_related = ["fiscal_year"]
    search_fields = ["name", "series"]
    raw_id_fields = ["strategy", "activity"]
    inlines = [OutcomeInline, TargetRevisionInline]

    def save_model(self, request, obj, form, change):
        """A changed målvärde goes through ``indicator_target_revise``: the rest is saved with the old one."""
        if not change or not form.target_changed():
            return super().save_model(request, obj, form, change)
        target, target_text = obj.target, obj.target_text
        saved = Indicator.objects.get(pk=obj.pk)
        obj.target, obj.target_text = saved.target, saved.target_text
        super().save_model(request, obj, form, change)
        indicator_target_revise(
            obj, target=target, target_text=target_text, reason=form.cleaned_data["target_reason"], user=request.user
        )


@admin.register(Outcome)
class OutcomeAdmin(ActionCheckboxMixin, OwnedObjectAdminMixin, ImportExportHistoryAdmin):
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

    def has_add_permission(self, request):
        """A unit submits on its page; only the förbundsdirektör touches a submission here."""
        return super().has_add_permission(request) and is_director(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_director(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_director(request.user)

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
