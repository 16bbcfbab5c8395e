"""Pages of the internal control app: the plan, Mina kontroller, a check, åtgärder, the year overview."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from federation import dates
from federation.history import history_rows, object_history
from federation.models import Decision
from federation.navigation import viewer
from federation.params import int_param
from federation.selectors import is_director

from . import drafts, services
from .evidence import pack_filename
from .filters import ActionFilter, CheckFilter, PlanFilter
from .forms import ActionDoneForm, ActionForm, CheckCorrectForm, EvidenceForm, LogResultForm, PlanDecisionForm
from .models import (
    Action,
    Check,
    CheckAlreadyLoggedError,
    ControlPlan,
    ControlPoint,
    Deviation,
    Evidence,
    EvidencePack,
    ReviewArea,
    Risk,
)
from .permissions import (
    can_change_check,
    can_complete_action,
    can_download_evidence_pack,
    can_log_check,
    can_view_check,
    may_get_evidence_pack,
    plan_is_locked,
)
from .selectors import event_points_for_viewer, plan_lock_summary
from .tables import ActionTable, CheckTable, EventPointTable, OverviewTable, PlanTable, RiskTable


class YearMixin:
    """The year chosen with ?year= (one with a plan), else the year in progress (``federation.dates``) when it
    has a plan, else the latest year with a plan that has started, else the latest."""

    @cached_property
    def today(self):
        return dates.today()

    @cached_property
    def current_plans(self):
        """The current plan of every year, newest first, with its fiscal year (one query)."""
        return list(
            ControlPlan.objects.current()
            .select_related("fiscal_year", "decision__body", "report_decision__body")
            .order_by("-fiscal_year__year")
        )

    @cached_property
    def plan_years(self):
        return [plan.fiscal_year.year for plan in self.current_plans]

    @cached_property
    def open_years(self):
        """Years whose plan is not yet reported (nor the year closed): where work is still open."""
        return [
            plan.fiscal_year.year
            for plan in self.current_plans
            if plan.status != ControlPlan.Status.REPORTED and not plan.fiscal_year.closed
        ]

    @cached_property
    def chosen_year(self) -> int | None:
        """?year= when it names a year with a plan; None otherwise (garbage is ignored, never a 500)."""
        value = self.request.GET.get("year", "")
        if value.isascii() and value.isdigit() and int(value) in self.plan_years:
            return int(value)
        return None

    @cached_property
    def year(self):
        if self.chosen_year is not None:
            return self.chosen_year
        current = dates.year_in_progress(self.today, years=[plan.fiscal_year for plan in self.current_plans])
        return current.year if current else self.today.year

    @cached_property
    def plan(self):
        """The chosen year's current plan, from ``current_plans`` (no query of its own)."""
        return next((plan for plan in self.current_plans if plan.fiscal_year.year == self.year), None)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, plan=self.plan, plan_years=self.plan_years, **kwargs)


class MyWorkMixin(YearMixin):
    """Mina kontroller and Åtgärder: every year not yet reported (last year's overdue stay until done), or
    the year chosen with ?year=; grouped by year with counts per year."""

    @cached_property
    def rules(self):
        return dates.due_rules()

    def in_years(self, queryset):
        years = [self.chosen_year] if self.chosen_year is not None else self.open_years
        return queryset.filter(control_point__area__plan__fiscal_year__year__in=years)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "years": self.plan_years}

    def get_context_data(self, **kwargs):
        return super(YearMixin, self).get_context_data(
            year=self.chosen_year, year_choice=True, today=self.today, **kwargs
        )


class PlanRowsMixin(YearMixin):
    """A list of rows of the chosen year's plan (``plan_rows``); no rows when the year has no plan."""

    model = None

    def plan_rows(self, plan):
        raise NotImplementedError

    def get_queryset(self):
        if self.plan is None:
            return self.model.objects.none()
        return self.plan_rows(self.plan)


class IndexView(PlanRowsMixin, SingleTableMixin, FilterView):
    """The plan as one table grouped like Bilaga 2, with each kontrollmoment's risk colour."""

    model = ControlPoint
    template_name = "internalcontrol/controlplan_detail.html"
    filterset_class = PlanFilter
    table_class = PlanTable
    # A large organisation's plan has hundreds of kontrollmoment; a page reads as Bilaga 2 all the same.
    table_pagination = {"per_page": 50}

    def get_table(self, **kwargs):
        # Only the page's kontrollmoment are read; the group and area labels are set on
        # them here, so a page that starts inside an area repeats its name, result and group.
        table = super().get_table(**kwargs)
        page = getattr(table, "page", None)
        rows = [row.record for row in (page.object_list if page is not None else table.rows)]
        group, area = object(), None
        for point in rows:
            current_group = point.area.group.name if point.area.group else ""
            point.event_done = 0
            point.group_heading = current_group if current_group != group and current_group else ""
            point.area_label = str(point.area) if point.area_id != area else ""
            point.area_result = point.area.result_text if point.area_id != area else ""
            group, area = current_group, point.area_id
        # The event-driven kontrollmoment on the page show how many checks were registered (one query).
        events = [point for point in rows if point.event_driven]
        if events:
            checks = Check.objects.filter(control_point__in=events)
            done = checks.summary(on=self.today, by="control_point", only=("event_done",))
            for point in events:
                point.event_done = done.get(point.pk, {}).get("event_done", 0)
        return table

    def get_context_data(self, **kwargs):
        plan = self.plan
        director = is_director(self.request.user, on=self.today)
        return super().get_context_data(
            may_adopt=director and plan is not None and plan.status == ControlPlan.Status.DRAFT,
            may_report=director
            and plan is not None
            and plan.status == ControlPlan.Status.ADOPTED
            and plan.is_current
            and hasattr(plan, "sign_off"),
            may_draft=director and plan is not None,
            plan_history=object_history(plan) if plan is not None else [],
            **kwargs,
        )

    def plan_rows(self, plan):
        return (
            ControlPoint.objects.filter(area__plan=plan)
            .select_related("area__group", "responsible_role")
            .prefetch_related(Prefetch("risks", queryset=Risk.objects.only("id", "likelihood", "consequence", "scale")))
            .order_by("area__group__order", "area__number", "order")
        )


class MyChecksView(MyWorkMixin, SingleTableMixin, FilterView):
    """Mina kontroller: the checks of the roles the user holds today (all of them for the förbundsdirektör),
    in every year not yet reported, grouped by year."""

    template_name = "internalcontrol/check_list.html"
    filterset_class = CheckFilter
    table_class = CheckTable

    def get_filterset_kwargs(self, filterset_class):
        kwargs = {**super().get_filterset_kwargs(filterset_class), "today": self.today, "rules": self.rules}
        data = kwargs["data"].copy() if kwargs["data"] is not None else QueryDict(mutable=True)
        data.setdefault("state", "open")  # what is still to do, unless another choice is made
        kwargs["data"] = data
        return kwargs

    def mine(self):
        return self.in_years(Check.objects.for_viewer(viewer(self.request)))

    def get_queryset(self):
        return self.mine().for_table()

    def get_table_kwargs(self):
        # for_viewer already holds only checks the user may log
        return {"today": self.today, "rules": self.rules, "can_log": lambda check: True, "counts": self.counts}

    # What the page shows of CheckQuerySet.summary, per year and in all (open follows from planned and done).
    COUNTS = ("planned", "done", "overdue", "due", "due_soon", "event_done")

    @cached_property
    def counts(self):
        """Per year (and in all): overdue, due, due soon, open, done and the event-driven registered (one query)."""
        by_year = self.mine().summary(
            on=self.today, rules=self.rules, by="control_point__area__plan__fiscal_year__year", only=self.COUNTS
        )
        return dict(sorted(by_year.items()))

    def event_points(self):
        """The event-driven kontrollmoment the user registers checks of when they happen, each with its
        ``done`` checks (counted by ``CheckQuerySet.summary``)."""
        years = [self.chosen_year] if self.chosen_year is not None else self.open_years
        points = list(event_points_for_viewer(viewer(self.request), years=years))
        if points:
            checks = Check.objects.filter(control_point__in=points)
            done = checks.summary(on=self.today, rules=self.rules, by="control_point", only=("event_done",))
            for point in points:
                point.done = done.get(point.pk, {}).get("event_done", 0)
        return points

    def get_context_data(self, **kwargs):
        keys = ("overdue", "due", "due_soon", "open", "done", "event_done")
        totals = {key: sum(c[key] for c in self.counts.values()) for key in keys}
        points = self.event_points()
        return super().get_context_data(
            counts=totals,
            year_counts=self.counts,
            event_points=points,
            event_table=EventPointTable(points) if points else None,
            **kwargs,
        )


def form_add_service_error(form, error: ValidationError):
    """A service's ValidationError shown on the form: on its field when the form has it, else above it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class CheckAccessMixin:
    def get_check(self):
        check = get_object_or_404(Check.objects.with_related(), pk=self.kwargs["pk"])
        return check


def check_history_rows(check):
    """The check's audit trail with its evidence, avvikelser and åtgärder (constant queries)."""
    deviation_ids = list(check.deviations.values_list("pk", flat=True))
    return history_rows(
        check.history.select_related("history_user").order_by("history_date", "history_id"),
        Evidence.history.filter(check_item_id=check.pk).select_related("history_user"),
        Deviation.history.filter(check_item_id=check.pk).select_related("history_user"),
        Action.history.filter(deviation_id__in=deviation_ids).select_related("history_user"),
    )


class CheckDetailView(CheckAccessMixin, DetailView):
    template_name = "internalcontrol/check_detail.html"
    context_object_name = "check"

    def get_object(self, queryset=None):
        check = self.get_check()
        if not can_view_check(self.request.user, check):
            raise PermissionDenied
        return check

    def get_context_data(self, **kwargs):
        check = self.object
        today = dates.today()
        user = self.request.user
        can_change = can_change_check(user, check, today)
        actions = Action.objects.select_related("responsible", "done_by").prefetch_related("evidence")
        deviations = check.deviations.select_related("recorded_by").prefetch_related(Prefetch("actions", actions))
        deviations = list(deviations)
        for deviation in deviations:
            for action in deviation.actions.all():
                action.can_complete = action.status == Action.Status.OPEN and can_complete_action(user, action, today)
        return super().get_context_data(
            today=today,
            status=check.status(today),
            can_log=check.performed_on is None and can_change,
            can_change=can_change,
            locked=plan_is_locked(check.control_point.area.plan),
            history=check_history_rows(check),
            evidence=check.evidence.select_related("uploaded_by", "action"),
            deviations=deviations,
            verified=check.verified_actions.select_related("responsible"),
            **kwargs,
        )


class CheckLogView(CheckAccessMixin, FormView):
    """The short form: result, evidence, and avvikelse with åtgärd when there is a remark."""

    template_name = "internalcontrol/check_form.html"
    form_class = LogResultForm

    def dispatch(self, request, *args, **kwargs):
        self.check_obj = self.get_check()
        self.today = dates.today()
        if not can_log_check(request.user, self.check_obj, self.today):
            raise PermissionDenied(_("Bara den som innehar den kontrollansvariga rollen kan registrera kontrollen."))
        if self.check_obj.is_done:
            return self.already_logged(request)
        return super().dispatch(request, *args, **kwargs)

    def already_logged(self, request):
        """A logged check is not logged again: the page leads to its correction (or to the check);
        a POST is refused with 409 Conflict and changes nothing."""
        check = self.check_obj
        if request.method != "POST":
            if can_change_check(request.user, check, self.today):
                return redirect("internalcontrol:check-correct", pk=check.pk)
            return redirect("internalcontrol:check-detail", pk=check.pk)
        return render(
            request,
            "internalcontrol/check_already_logged.html",
            {"check": check, "can_change": can_change_check(request.user, check, self.today)},
            status=409,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": self.check_obj, "today": self.today}

    def get_context_data(self, **kwargs):
        return super().get_context_data(check=self.check_obj, **kwargs)

    def log_result(self, data):
        """The result logged by its service; returns the check."""
        return services.check_log_result(
            check=self.check_obj,
            user=self.request.user,
            result=data["result"],
            performed_on=data["performed_on"],
            severity=data["severity"],
            sample=data["sample"],
            comment=data["comment"],
            today=self.today,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            with transaction.atomic():
                check = self.log_result(data)
                if data.get("evidence"):
                    services.evidence_add(
                        check=check,
                        user=user,
                        file=data["evidence"],
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                    )
                for action in data.get("verifies") or []:
                    services.action_verify(action=action, check=check)
                if data["result"] == Check.Result.REMARK:
                    services.deviation_record(
                        check=check,
                        user=user,
                        description=data["deviation"],
                        action_description=data["action"],
                        responsible=data["action_responsible"] or user,
                        deadline=data["action_deadline"],
                    )
        except CheckAlreadyLoggedError:
            # logged by someone else while this form was open
            return self.already_logged(self.request)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Resultatet är registrerat: %(check)s.") % {"check": check})
        return redirect("internalcontrol:check-detail", pk=check.pk)


class CheckEventLogView(CheckLogView):
    """Registrera genomförd kontroll: an event-driven kontrollmoment ("Vid behov") has no planned checks; the
    check of the day the event happened is created and logged in one step, with the same short form."""

    def dispatch(self, request, *args, **kwargs):
        self.today = dates.today()
        point = get_object_or_404(
            ControlPoint.objects.select_related("area__plan__fiscal_year", "responsible_role"),
            pk=self.kwargs["pk"],
            event_driven=True,
        )
        # The form reads the kontrollmoment (and its plan's year) through an unsaved check of today.
        self.check_obj = Check(control_point=point, due_date=self.today)
        if not can_log_check(request.user, self.check_obj, self.today):
            raise PermissionDenied(_("Bara den som innehar den kontrollansvariga rollen kan registrera kontrollen."))
        if point.area.plan.status == ControlPlan.Status.DRAFT:
            raise Http404(_("Planen är inte antagen."))
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=True, point=self.check_obj.control_point, **kwargs)

    def log_result(self, data):
        return services.check_log_event(
            point=self.check_obj.control_point,
            user=self.request.user,
            result=data["result"],
            performed_on=data["performed_on"],
            severity=data["severity"],
            sample=data["sample"],
            comment=data["comment"],
            today=self.today,
        )


class ActionListView(MyWorkMixin, SingleTableMixin, FilterView):
    """Avvikelser och åtgärder: open åtgärder (each once, in its latest year) with their deadlines, grouped by
    year; the user's own by default when they hold a role, everyone's for the förbundsdirektör and readers."""

    template_name = "internalcontrol/action_list.html"
    filterset_class = ActionFilter
    table_class = ActionTable

    def get_filterset_kwargs(self, filterset_class):
        kwargs = {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}
        data = kwargs["data"].copy() if kwargs["data"] is not None else QueryDict(mutable=True)
        if not data.get("whose"):
            data["whose"] = "mine" if self.shows_own_by_default else "all"
        kwargs["data"] = data
        return kwargs

    @cached_property
    def shows_own_by_default(self):
        # The roles held today, as the request's viewer read them (no query of its own).
        who = viewer(self.request)
        return not who.is_director and bool(who.roles)

    def get_queryset(self):
        queryset = Action.objects.with_related()
        if self.chosen_year is not None:
            queryset = queryset.filter(control_point__area__plan__fiscal_year__year=self.chosen_year)
        else:
            queryset = queryset.latest_copies()
        if not self.request.GET.get("status"):
            queryset = queryset.open()
        return queryset

    def get_table_kwargs(self):
        return {"today": self.today, "rules": self.rules}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = context["filter"].qs if context["filter"].is_valid() else Action.objects.none()
        context["year_counts"] = dict(sorted(filtered.summary_by_year(on=self.today, rules=self.rules).items()))
        return context


class YearOverviewView(PlanRowsMixin, SingleTableView):
    """Per area: planned, done, with remark, overdue."""

    model = ReviewArea
    template_name = "internalcontrol/reviewarea_overview.html"
    table_class = OverviewTable
    table_pagination = False

    def plan_rows(self, plan):
        areas = list(ReviewArea.objects.filter(plan=plan).order_by("number"))
        rules = dates.due_rules()
        checks = Check.objects.filter(control_point__area__plan=plan)
        by_area = checks.summary(on=self.today, rules=rules, by="control_point__area")
        none = Check.objects.none().summary(on=self.today, rules=rules)
        for area in areas:
            for key, value in by_area.get(area.pk, none).items():
                setattr(area, key, value)
        return areas

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(self.object_list)
        context["totals"] = {
            key: sum(getattr(row, key) for row in rows) for key in ("planned", "done", "remark", "overdue")
        }
        return context


class EvidenceDownloadView(View):
    """An evidence file, only for those who may see its check."""

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.select_related("check_item__control_point"), pk=pk)
        if not can_view_check(request.user, evidence.check_item):
            raise PermissionDenied
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("Filen finns inte längre.")) from error
        return FileResponse(handle, as_attachment=True, filename=str(evidence))


class RiskListView(PlanRowsMixin, SingleTableView):
    """The plan's risk- och väsentlighetsanalys."""

    model = Risk
    template_name = "internalcontrol/risk_list.html"
    table_class = RiskTable
    table_pagination = False

    def plan_rows(self, plan):
        risks = Risk.objects.filter(plan=plan)
        # One cell of the Översikt's heat map: ?sannolikhet=3&konsekvens=2
        for param, field in (("sannolikhet", "likelihood"), ("konsekvens", "consequence")):
            value = int_param(self.request.GET, param)
            if value is not None:
                risks = risks.filter(**{field: value})
        return risks.prefetch_related(
            Prefetch("control_points", queryset=ControlPoint.objects.select_related("area"))
        ).order_by("-likelihood", "-consequence", "title")


class CheckChangeMixin(CheckAccessMixin):
    """Pages that change a logged check or what belongs to it: those who may log it, until the plan is
    reported; after that only the förbundsdirektör (the service records the change after locking)."""

    def dispatch(self, request, *args, **kwargs):
        self.today = dates.today()
        self.check_obj = self.get_change_target()
        if not can_change_check(request.user, self.check_obj, self.today):
            if can_log_check(request.user, self.check_obj, self.today):
                raise PermissionDenied(_("Planen är avrapporterad och låst; bara förbundsdirektören kan ändra den."))
            raise PermissionDenied(_("Bara den som innehar den kontrollansvariga rollen kan ändra kontrollen."))
        return self.elsewhere() or super().dispatch(request, *args, **kwargs)

    def elsewhere(self):
        """A redirect when this page does not apply to the check (None: it does)."""
        return None

    def get_change_target(self):
        return self.get_check()

    def get_context_data(self, **kwargs):
        check = self.check_obj
        locked = plan_is_locked(check.control_point.area.plan)
        return super().get_context_data(check=check, locked=locked, **kwargs)

    def done(self, message):
        messages.success(self.request, message)
        return redirect("internalcontrol:check-detail", pk=self.check_obj.pk)


class CheckCorrectView(CheckChangeMixin, FormView):
    """Ändra: a logged check's result, date, sample or comment, with the reason kept in its history."""

    template_name = "internalcontrol/check_correct.html"
    form_class = CheckCorrectForm

    def elsewhere(self):
        if not self.check_obj.is_done:
            return redirect("internalcontrol:check-log", pk=self.check_obj.pk)
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": self.check_obj, "today": self.today}

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            with transaction.atomic():
                check = services.check_correct(
                    check=self.check_obj,
                    user=user,
                    reason=data["reason"],
                    result=data["result"],
                    performed_on=data["performed_on"],
                    severity=data["severity"],
                    sample=data["sample"],
                    comment=data["comment"],
                    today=self.today,
                )
                if (data.get("deviation") or "").strip():
                    services.deviation_record(
                        check=check,
                        user=user,
                        description=data["deviation"],
                        action_description=data["action"],
                        responsible=data["action_responsible"] or user,
                        deadline=data["action_deadline"],
                    )
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        return self.done(_("Kontrollen är ändrad. Skälet finns i historiken."))


class EvidenceAddView(CheckChangeMixin, FormView):
    """Lägg till underlag: more evidence for a check, by the same rules as when it was logged."""

    template_name = "internalcontrol/evidence_form.html"
    form_class = EvidenceForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": self.check_obj}

    def get_initial(self):
        fiscal_year = self.check_obj.control_point.area.plan.fiscal_year
        return {"period_start": fiscal_year.start, "period_end": min(self.check_obj.due_date, fiscal_year.end)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            evidence = services.evidence_add(
                check=self.check_obj,
                user=self.request.user,
                file=data["evidence"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                description=data["description"],
                today=self.today,
            )
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        return self.done(_("Underlaget %(file)s är tillagt.") % {"file": evidence})


class ActionAddView(CheckChangeMixin, FormView):
    """Lägg till åtgärd: one more åtgärd for an avvikelse."""

    template_name = "internalcontrol/action_form.html"
    form_class = ActionForm

    def get_change_target(self):
        self.deviation = get_object_or_404(
            Deviation.objects.select_related("check_item__control_point__area__plan__fiscal_year"),
            pk=self.kwargs["pk"],
        )
        return self.deviation.check_item

    def get_initial(self):
        return {"responsible": self.request.user.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(deviation=self.deviation, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = services.action_add(
                deviation=self.deviation,
                user=self.request.user,
                description=data["description"],
                responsible=data["responsible"],
                deadline=data["deadline"],
                today=self.today,
            )
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        return self.done(_("Åtgärden är tillagd: %(action)s") % {"action": action})


class ActionDoneView(FormView):
    """The responsible person (or the förbundsdirektör) marks an åtgärd as done today: what was done,
    optionally a file that shows it, and a confirmation."""

    template_name = "internalcontrol/action_done.html"
    form_class = ActionDoneForm

    def dispatch(self, request, *args, **kwargs):
        self.today = dates.today()
        self.action = get_object_or_404(
            Action.objects.select_related("deviation__check_item__control_point__area", "responsible"),
            pk=kwargs["pk"],
        )
        if not can_complete_action(request.user, self.action, self.today):
            raise PermissionDenied(_("Bara den ansvarige eller förbundsdirektören kan markera åtgärden som genomförd."))
        if self.action.status != Action.Status.OPEN:
            messages.info(request, _("Åtgärden är redan markerad som genomförd."))
            return redirect("internalcontrol:check-detail", pk=self.action.deviation.check_item_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, check=self.action.deviation.check_item, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.action_mark_done(
                action=self.action,
                user=self.request.user,
                done_on=self.today,
                comment=data["comment"],
                evidence=data["evidence"],
                today=self.today,
            )
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Åtgärden är markerad som genomförd. Den verifieras vid nästa kontroll."))
        return redirect("internalcontrol:check-detail", pk=self.action.deviation.check_item_id)


class _DryRun(Exception):
    """Raised inside a transaction to roll back what a service did (the confirmation step's check)."""


class PlanDecisionView(FormView):
    """Adopting a plan (or reporting it, ``report``) by the Direktion's decision, for the förbundsdirektör:
    choose a recorded decision or register one; a confirmation shows what becomes locked and how many checks
    each kontrollmoment gets; confirming adopts by the same service the admin action uses."""

    template_name = "internalcontrol/plan_decision.html"
    form_class = PlanDecisionForm
    report = False

    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(
            ControlPlan.objects.select_related("fiscal_year", "decision__body"), pk=kwargs["pk"]
        )
        if not is_director(request.user):
            raise PermissionDenied(
                _("Bara förbundsdirektören avrapporterar planen.")
                if self.report
                else _("Bara förbundsdirektören antar planen.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "report": self.report}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, report=self.report, year=self.plan.fiscal_year.year, **kwargs)

    def _apply(self, form):
        """Adopt (or report) by the chosen decision, or by the new one registered in the same transaction."""
        user = self.request.user
        new = form.new_decision_fields()
        if self.report:
            if new:
                return services.plan_report_with_new_decision(plan=self.plan, user=user, **new)
            return services.plan_report(plan=self.plan, decision=form.cleaned_data["decision"], user=user)
        if new:
            return services.plan_adopt_with_new_decision(plan=self.plan, user=user, **new)
        return services.plan_adopt(plan=self.plan, decision=form.cleaned_data["decision"], user=user)

    def form_valid(self, form):
        confirmed = "confirm" in self.request.POST
        if self.report:
            summary = Check.objects.filter(control_point__area__plan=self.plan).summary(on=dates.today())
        else:
            summary = plan_lock_summary(plan=self.plan)
        try:
            if confirmed:
                plan = self._apply(form)
            else:
                # Everything the service checks, checked now by running it and rolling it back.
                with transaction.atomic():
                    self._apply(form)
                    raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        if not confirmed:
            decision = form.cleaned_data["decision"] or Decision(
                kind=Decision.Kind.CONTROL_REPORT if self.report else Decision.Kind.CONTROL_PLAN,
                **form.new_decision_fields(),
            )
            return self.render_to_response(
                self.get_context_data(form=form, confirm=True, decision=decision, summary=summary)
            )
        citation = plan.report_decision.citation() if self.report else plan.decision.citation()
        if self.report:
            messages.success(
                self.request,
                _("%(plan)s är avrapporterad till %(decision)s.") % {"plan": plan, "decision": citation},
            )
        else:
            messages.success(
                self.request,
                ngettext(
                    "%(plan)s är antagen av %(decision)s. %(count)s kontroll är skapad.",
                    "%(plan)s är antagen av %(decision)s. %(count)s kontroller är skapade.",
                    summary.checks,
                )
                % {"plan": plan, "decision": citation, "count": summary.checks},
            )
        return redirect(f"{reverse('internalcontrol:index')}?year={plan.fiscal_year.year}")


# --- The revisorer's evidence pack ---------------------------------------------------


class EvidencePackAccessMixin(UserPassesTestMixin):
    """The förbundsdirektör and the read-only readers (revisorer); everyone else gets 403."""

    raise_exception = True

    def test_func(self):
        return may_get_evidence_pack(self.request.user)

    def get_pack(self):
        packs = EvidencePack.objects.select_related("fiscal_year", "requested_by")
        pack = get_object_or_404(packs, pk=self.kwargs["pk"])
        if not can_download_evidence_pack(self.request.user, pack):
            raise PermissionDenied
        return pack


class EvidencePackView(EvidencePackAccessMixin, TemplateView):
    """Bevispaket: choose a year with a plan and ask for its pack; the user's latest packs."""

    template_name = "internalcontrol/evidence_pack.html"

    def years(self):
        return list(
            ControlPlan.objects.current().order_by("-fiscal_year__year").values_list("fiscal_year__year", flat=True)
        )

    def get_context_data(self, **kwargs):
        years = self.years()
        chosen = self.request.GET.get("year", "")
        packs = EvidencePack.objects.filter(requested_by=self.request.user).select_related("fiscal_year")[:10]
        return super().get_context_data(
            years=years,
            chosen=int(chosen) if chosen.isascii() and chosen.isdigit() else None,
            packs=packs,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        year = request.POST.get("year", "")
        if year not in {str(value) for value in self.years()}:
            messages.error(request, _("Välj ett verksamhetsår med en internkontrollplan."))
            return redirect("internalcontrol:evidence-pack")
        pack = services.evidence_pack_request(user=request.user, year=year)
        messages.info(request, _("Bevispaketet skapas i bakgrunden. Sidan visar hur långt det har kommit."))
        return redirect("internalcontrol:evidence-pack-status", pk=pack.pk)


class EvidencePackStatusView(EvidencePackAccessMixin, TemplateView):
    """One pack: progress (polled), then the download link."""

    template_name = "internalcontrol/evidence_pack_status.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(pack=self.get_pack(), **kwargs)


class EvidencePackProgressView(EvidencePackAccessMixin, View):
    def get(self, request, *args, **kwargs):
        pack = self.get_pack()
        return JsonResponse(
            {
                "status": pack.status,
                "status_label": pack.get_status_display(),
                "progress": pack.progress,
                "message": pack.message,
                "finished": pack.is_finished,
                "download_url": reverse("internalcontrol:evidence-pack-download", args=[pack.pk])
                if pack.status == EvidencePack.Status.DONE
                else None,
            }
        )


class EvidencePackDownloadView(EvidencePackAccessMixin, View):
    def get(self, request, *args, **kwargs):
        pack = self.get_pack()
        if pack.status != EvidencePack.Status.DONE or not pack.file:
            raise Http404(_("Bevispaketet är inte klart."))
        try:
            handle = pack.file.open("rb")
        except FileNotFoundError as error:
            raise Http404(_("Filen finns inte längre.")) from error
        return FileResponse(
            handle, as_attachment=True, filename=pack_filename(pack.fiscal_year.year), content_type="application/zip"
        )


# --- Decision drafts for the Direktion --------------------------------------------------


class PlanDecisionDraftView(View):
    """The tjänsteskrivelse (DOCX) proposing that the Direktion adopt the plan (``kind`` adopt) or approve the
    year's follow-up (report): for the förbundsdirektör, who takes these to the Direktion."""

    kind = drafts.ADOPT

    def get(self, request, pk):
        if not is_director(request.user):
            raise PermissionDenied(_("Bara förbundsdirektören tar fram tjänsteskrivelser till Direktionen."))
        plan = get_object_or_404(
            ControlPlan.objects.select_related("fiscal_year", "decision__body", "report_decision__body"), pk=pk
        )
        draft = drafts.plan_decision_draft(plan=plan, kind=self.kind)
        response = HttpResponse(draft.content, content_type=drafts.DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{draft.filename}"'
        return response
