from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin

from federation import dates
from federation.access import LOCK_OVERRIDE_REASON, lock_override_reason, year_locked_message
from federation.admin_site import ActionCheckboxMixin, LockReasonAdminForm, MappedImportAdminMixin, guarded_form
from federation.history_admin import SimpleHistoryAdmin
from federation.models import FiscalYear
from federation.selectors import is_director

from . import drafts, services
from .forms import validate_evidence_file
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
from .resources import FIELDS as PLAN_FIELDS
from .resources import LAYOUT_KIND as IMPORT_KIND
from .resources import CheckResource, check_rows, plan_import, plan_rows
from .resources import render as render_file


class PlanLockAdminMixin:
    """The admin under the same rules as the pages, for add, change and delete alike:

    - ``may_own``: the object-level rule of the pages (a check only by holders of its role …),
      applied to the object as it is and as it would be saved;
    - a reported plan or a closed year (``services.lock_guard``): only the förbundsdirektör, who must
      give a reason — kept in the history as ``LOCK_OVERRIDE_REASON: reason``;
    - who did it (uploaded by, recorded by, performed by) is the logged-in user, never a form field."""

    form = LockReasonAdminForm
    not_owner_message = _("Du får inte ändra det här objektet.")

    def plan_of(self, obj):
        return obj.plan

    def may_own(self, user, obj) -> bool:
        return True

    def _locked(self, obj):
        plan = self.plan_of(obj)
        return plan.fiscal_year.closed or plan.status == ControlPlan.Status.REPORTED

    def locked_message(self, obj):
        return _("Det här är låst och kan bara ändras av förbundsdirektören.")

    def _may_change(self, request, obj):
        if obj is None:
            return True
        if not self.may_own(request.user, obj):
            return False
        return is_director(request.user) or not self._locked(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def guard_write(self, request, obj, *, original, reason):
        """Refuse (ValidationError, in Swedish) what the pages would refuse; True for the director's override."""
        if not self.may_own(request.user, obj):
            raise ValidationError(self.not_owner_message)
        override = False
        for state in (obj, original):
            if state is None:
                continue
            override |= services.lock_guard(plan=self.plan_of(state), user=request.user)
            if self._locked(state):
                if not is_director(request.user):
                    raise ValidationError(self.locked_message(state))
                override = True
        if override and not reason.strip():
            raise ValidationError(
                {"change_reason": _("Planen är låst: ange varför du ändrar den (det sparas i historiken).")}
            )
        return override

    def get_form(self, request, obj=None, change=False, **kwargs):
        original = type(obj).objects.get(pk=obj.pk) if obj is not None and obj.pk else None
        return guarded_form(
            super().get_form(request, obj, change=change, **kwargs),
            lambda form: self.guard_write(
                request, form.instance, original=original, reason=form.cleaned_data.get("change_reason", "")
            ),
        )

    def save_model(self, request, obj, form, change):
        if getattr(form, "lock_override", False):
            obj._change_reason = lock_override_reason(form.cleaned_data["change_reason"])
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if self._locked(obj):
            obj._change_reason = LOCK_OVERRIDE_REASON
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one, so each deletion's history keeps who and why
            self.delete_model(request, obj)


class EvidenceFileMixin:
    """The evidence file is checked as on the pages: the same types and size (forms.validate_evidence_file)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            field.validators.append(validate_evidence_file)
        return field


def _errors(error):
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Till år"), min_value=1990, max_value=2200)


class ImportForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2200)
    file = forms.FileField(
        label=_("Planen (.xlsx eller .csv), i Bilaga 2-format eller er egen layout"),
        required=False,
        help_text=_("Efter första provkörningen finns filen kvar i en timme; välj den bara för att byta fil."),
    )
    sheet = forms.CharField(
        label=_("Blad"), max_length=100, required=False, help_text=_("När flera blad i filen innehåller en plan.")
    )
    create_roles = forms.BooleanField(label=_("Skapa saknade roller (utan innehavare)"), required=False)
    risk_scale = forms.TypedChoiceField(
        label=_("Riskskala"),
        choices=[("", _("Planens nuvarande")), (3, "1–3"), (4, "1–4"), (5, "1–5")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    dry_run = forms.BooleanField(label=_("Provkörning (spara inget)"), required=False, initial=True)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class ControlGroupInline(admin.TabularInline):
    model = ControlGroup
    extra = 0


def plan_groups_only(form_class, plan):
    """A form whose group choice holds only ``plan``'s groups (every plan has its own, with the same names)."""
    field = form_class.base_fields.get("group")
    if field is not None:
        field.queryset = ControlGroup.objects.filter(plan=plan) if plan is not None else ControlGroup.objects.none()
    return form_class


class ReviewAreaInline(admin.TabularInline):
    model = ReviewArea
    fields = ["number", "name", "group", "result_text"]
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        plan_groups_only(formset.form, obj)
        return formset


@admin.register(ControlPlan)
class ControlPlanAdmin(MappedImportAdminMixin, PlanLockAdminMixin, SimpleHistoryAdmin):
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
    actions = [
        "adopt_plan",
        "copy_plan",
        "new_version",
        "sign_off",
        "report",
        "export_xlsx",
        "export_checks_xlsx",
        "decision_draft",
    ]
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

    import_kind = IMPORT_KIND
    import_fields = PLAN_FIELDS
    import_form_class = ImportForm
    import_template = "internalcontrol/admin_import.html"
    import_title = _("Importera internkontrollplan")

    def import_view(self, request):
        """Import a plan sheet with a dry-run preview and the mapping step (``MappedImportAdminMixin``)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self.import_page(request)

    def import_run(self, request, data, *, name, content, mapping):
        return plan_import(
            year=data["year"],
            path=name,
            content=content,
            dry_run=data["dry_run"],
            sheet=data["sheet"] or None,
            mapping=mapping,
            create_roles=data["create_roles"],
            risk_scale=data["risk_scale"],
        )

    def import_done(self, request, result, data):
        self.message_user(
            request,
            ngettext("%(n)s kontrollmoment inläst i %(plan)s.", "%(n)s kontrollmoment inlästa i %(plan)s.", result.rows)
            % {"n": result.rows, "plan": result.plan},
        )
        return redirect(reverse("admin:internalcontrol_controlplan_change", args=[result.plan.pk]))

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

    def has_director_permission(self, request):
        return is_director(request.user)

    @admin.action(description=_("Tjänsteskrivelse till Direktionen (Word)"), permissions=["director"])
    def decision_draft(self, request, queryset):
        """To adopt a draft plan, or to approve the follow-up of an adopted (or reported) one; one plan."""
        if queryset.count() != 1:
            self.message_user(request, _("Välj en plan i taget."), messages.ERROR)
            return None
        plan = queryset.select_related("fiscal_year", "decision__body").get()
        kind = drafts.ADOPT if plan.status == ControlPlan.Status.DRAFT else drafts.REPORT
        draft = drafts.plan_decision_draft(plan=plan, kind=kind)
        response = HttpResponse(draft.content, content_type=drafts.DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{draft.filename}"'
        return response

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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return plan_groups_only(form, obj.plan) if obj is not None else form


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
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(n)s risk markerad som omprövad.", "%(n)s risker markerade som omprövade.", count)
            % {"n": count},
        )

    @admin.display(description=_("riskvärde S×K"))
    def value(self, obj):
        return obj.label()


class EvidenceInline(EvidenceFileMixin, admin.TabularInline):
    model = Evidence
    fields = ["file", "description", "period_start", "period_end", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_by", "uploaded_at"]
    extra = 0


class PlanListFilter(admin.RelatedFieldListFilter):
    """The plans to filter by, each named by its year, read with their years in one query (not one per plan)."""

    def field_choices(self, field, request, model_admin):
        plans = ControlPlan.objects.select_related("fiscal_year").order_by("-fiscal_year__year", "-version")
        return [(plan.pk, str(plan)) for plan in plans]


def check_locked(check) -> bool:
    """A check of a reported plan or a closed year — also one dated in a closed year, whichever plan it is put in."""
    plan = check.control_point.area.plan
    if plan.fiscal_year.closed or plan.status == ControlPlan.Status.REPORTED:
        return True
    return closed_year_of(check) is not None


def closed_year_of(check):
    return FiscalYear.objects.containing(check.due_date).filter(closed=True).first()


class CheckLockMixin:
    """Checks and what hangs on them (underlag, avvikelser) lock with their check."""

    def check_of(self, obj):
        return obj.check_item

    def _locked(self, obj):
        return check_locked(self.check_of(obj))

    def locked_message(self, obj):
        year = closed_year_of(self.check_of(obj))
        return year_locked_message(year) if year else super().locked_message(obj)


# A check's result is logged on its page (services.check_log_result, corrections with a reason): never here.
CHECK_RESULT_FIELDS = ["result", "severity", "performed_on", "performed_by", "sample", "comment", "logged_at"]


@admin.register(Check)
class CheckAdmin(ActionCheckboxMixin, CheckLockMixin, PlanLockAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [CheckResource]
    list_per_page = 50
    show_full_result_count = False  # one COUNT less over every check of every year
    list_display = ["control_point", "due_date", "performed_on", "performed_by", "result", "severity"]
    list_filter = ["result", ("control_point__area__plan", PlanListFilter), "control_point__responsible_role"]
    list_select_related = ["control_point", "performed_by"]
    search_fields = ["control_point__description", "comment"]
    date_hierarchy = "due_date"
    raw_id_fields = ["control_point"]
    readonly_fields = CHECK_RESULT_FIELDS
    inlines = [EvidenceInline]
    not_owner_message = _("Du innehar inte den kontrollansvariga rollen för det här kontrollmomentet.")

    def plan_of(self, obj):
        return obj.control_point.area.plan

    def may_own(self, user, obj):
        """Holders of the responsible role (and the förbundsdirektör), as on the check's page."""
        return can_log_check(user, obj)

    def check_of(self, obj):
        return obj

    def save_formset(self, request, form, formset, change):
        """Evidence added here is uploaded by the logged-in user."""
        for evidence in formset.save(commit=False):
            if evidence.pk is None:
                evidence.uploaded_by = request.user
            evidence.save()
        for evidence in formset.deleted_objects:
            evidence.delete()


@admin.register(Evidence)
class EvidenceAdmin(ActionCheckboxMixin, EvidenceFileMixin, CheckLockMixin, PlanLockAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "check_item", "period_start", "period_end", "uploaded_at", "uploaded_by"]
    list_select_related = ["check_item__control_point", "uploaded_by"]
    search_fields = ["description", "file"]
    raw_id_fields = ["check_item"]
    readonly_fields = ["uploaded_by", "uploaded_at"]
    not_owner_message = _("Du får inte lägga till underlag för den här kontrollen.")

    def plan_of(self, obj):
        return obj.check_item.control_point.area.plan

    def may_own(self, user, obj):
        return can_log_check(user, obj.check_item)

    def save_model(self, request, obj, form, change):
        if not change or "file" in form.changed_data:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "deviation"
    fields = ["description", "responsible", "deadline", "status", "done_on", "verified_on", "verified_by_check"]
    # An åtgärd is marked done and verified through its services (the page, or the action below).
    readonly_fields = ["status", "done_on", "verified_on", "verified_by_check"]
    raw_id_fields = ["responsible"]
    extra = 0


@admin.register(Deviation)
class DeviationAdmin(ActionCheckboxMixin, CheckLockMixin, PlanLockAdminMixin, SimpleHistoryAdmin):
    list_per_page = 50
    list_display = ["__str__", "check_item", "recorded_by", "recorded_at"]
    list_select_related = ["check_item__control_point", "recorded_by"]
    search_fields = ["description"]
    raw_id_fields = ["check_item"]
    readonly_fields = ["recorded_by", "recorded_at"]
    inlines = [ActionInline]
    not_owner_message = _("Du får inte registrera avvikelser för den här kontrollen.")

    def get_readonly_fields(self, request, obj=None):
        """An avvikelse stays with its check once recorded."""
        return [*self.readonly_fields, "check_item"] if obj is not None else self.readonly_fields

    def plan_of(self, obj):
        return obj.check_item.control_point.area.plan

    def may_own(self, user, obj):
        return can_log_check(user, obj.check_item)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """A new åtgärd here gets the kontrollmoment of its avvikelse's check, as services.action_create gives it."""
        for action in formset.save(commit=False):
            if action.pk is None:
                action.control_point_id = form.instance.check_item.control_point_id
            action.save()
        for action in formset.deleted_objects:
            action.delete()


@admin.register(Action)
class ActionAdmin(ActionCheckboxMixin, PlanLockAdminMixin, SimpleHistoryAdmin):
    list_per_page = 50
    list_display = ["__str__", "responsible", "deadline", "status", "done_on", "verified_on"]
    list_filter = ["status", "control_point__area__plan"]
    list_select_related = ["responsible"]
    search_fields = ["description"]
    raw_id_fields = ["deviation", "responsible"]
    # The kontrollmoment is the avvikelse's (as services.action_create sets it); the state moves by services.
    readonly_fields = ["control_point", "status", "done_on", "verified_on", "verified_by_check", "carried_from"]
    actions = ["mark_done"]
    not_owner_message = _("Bara den ansvarige, den kontrollansvarige eller förbundsdirektören ändrar åtgärden.")

    def get_readonly_fields(self, request, obj=None):
        """An åtgärd stays with its avvikelse once made."""
        return [*self.readonly_fields, "deviation"] if obj is not None else self.readonly_fields

    def plan_of(self, obj):
        return obj.control_point.area.plan

    def may_own(self, user, obj):
        """Made by the holders of its check's role (and the förbundsdirektör); changed also by its responsible."""
        if is_director(user) or (obj.pk is not None and obj.responsible_id == user.pk):
            return True
        return obj.deviation_id is not None and can_log_check(user, obj.deviation.check_item)

    def guard_write(self, request, obj, *, original, reason):
        if obj.pk is None and obj.deviation_id is not None:
            obj.control_point_id = obj.deviation.check_item.control_point_id
        return super().guard_write(request, obj, original=original, reason=reason)

    @admin.action(description=_("Markera som genomförd (i dag)"), permissions=["change"])
    def mark_done(self, request, queryset):
        done = 0
        for action in queryset:
            try:
                services.action_mark_done(
                    action=action,
                    user=request.user,
                    done_on=dates.today(),
                    comment=_("Markerad som genomförd i administrationen."),
                )
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{action}: {_errors(error)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(n)s åtgärd markerad som genomförd.", "%(n)s åtgärder markerade som genomförda.", done)
                % {"n": done},
                messages.SUCCESS,
            )


@admin.register(PlanSignOff)
class PlanSignOffAdmin(SimpleHistoryAdmin):
    """Read-only: only the förbundsdirektör signs off, through services.plan_sign_off (the plan's action)."""

    list_display = ["plan", "signed_by", "signed_at"]
    list_select_related = ["plan__fiscal_year", "signed_by"]
    readonly_fields = ["snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_director(request.user)
