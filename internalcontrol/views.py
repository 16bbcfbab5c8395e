"""Pages of the internal control app: the plan, Mina kontroller, a check, åtgärder, the year overview."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from federation.history import history_rows, object_history
from federation.models import Decision
from federation.selectors import current_fiscal_year, is_director

from . import services
from .filters import ActionFilter, CheckFilter, PlanFilter
from .forms import LogResultForm, PlanDecisionForm
from .models import Action, Check, ControlPlan, ControlPoint, Deviation, Evidence, ReviewArea, Risk
from .permissions import can_log_check, can_view_check
from .selectors import plan_lock_summary
from .tables import ActionTable, CheckTable, OverviewTable, PlanTable, RiskTable


class YearMixin:
    """The year chosen with ?year=, else the current fiscal year (or the latest plan)."""

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def plan_years(self):
        return list(
            ControlPlan.objects.current().order_by("-fiscal_year__year").values_list("fiscal_year__year", flat=True)
        )

    @cached_property
    def year(self):
        try:
            return int(self.request.GET["year"])
        except (KeyError, ValueError):
            current = current_fiscal_year(self.today)
            if current and current.year in self.plan_years:
                return current.year
            return self.plan_years[0] if self.plan_years else self.today.year

    @cached_property
    def plan(self):
        return ControlPlan.objects.for_year(self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, plan=self.plan, plan_years=self.plan_years, **kwargs)


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
            point.group_heading = current_group if current_group != group and current_group else ""
            point.area_label = str(point.area) if point.area_id != area else ""
            point.area_result = point.area.result_text if point.area_id != area else ""
            group, area = current_group, point.area_id
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
            plan_history=object_history(plan) if plan is not None else [],
            **kwargs,
        )

    def plan_rows(self, plan):
        return (
            ControlPoint.objects.filter(area__plan=plan)
            .select_related("area__group", "responsible_role")
            .prefetch_related(Prefetch("risks", queryset=Risk.objects.only("id", "likelihood", "consequence")))
            .order_by("area__group__order", "area__number", "order")
        )


class MyChecksView(YearMixin, SingleTableMixin, FilterView):
    """Mina kontroller: the checks of the roles the user holds today (all of them for the förbundsdirektör)."""

    template_name = "internalcontrol/check_list.html"
    filterset_class = CheckFilter
    table_class = CheckTable

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["today"] = self.today
        if kwargs["data"] is None or not kwargs["data"]:
            kwargs["data"] = {"year": self.year}
        return kwargs

    def get_queryset(self):
        return Check.objects.for_user(self.request.user, self.today).with_related()

    def get_table_kwargs(self):
        # for_user already holds only checks the user may log
        return {"today": self.today, "can_log": lambda check: True}

    def get_context_data(self, **kwargs):
        mine = Check.objects.for_user(self.request.user, self.today).filter(
            control_point__area__plan__fiscal_year__year=self.year
        )
        return super().get_context_data(counts=mine.summary(on=self.today), **kwargs)


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
        today = timezone.localdate()
        return super().get_context_data(
            today=today,
            status=check.status(today),
            can_log=check.performed_on is None
            and can_log_check(self.request.user, check, today)
            and self._unlocked_for(check, today),
            history=check_history_rows(check),
            evidence=check.evidence.select_related("uploaded_by"),
            deviations=check.deviations.select_related("recorded_by").prefetch_related("actions__responsible"),
            verified=check.verified_actions.select_related("responsible"),
            **kwargs,
        )

    def _unlocked_for(self, check, today):
        """A closed year or a reported plan is open only to the förbundsdirektör."""
        plan = check.control_point.area.plan
        if not (plan.fiscal_year.closed or plan.status == ControlPlan.Status.REPORTED):
            return True
        return is_director(self.request.user, on=today)


class CheckLogView(CheckAccessMixin, FormView):
    """The short form: result, evidence, and avvikelse with åtgärd when there is a remark."""

    template_name = "internalcontrol/check_form.html"
    form_class = LogResultForm

    def dispatch(self, request, *args, **kwargs):
        self.check_obj = self.get_check()
        self.today = timezone.localdate()
        if not can_log_check(request.user, self.check_obj, self.today):
            raise PermissionDenied(_("Bara den som innehar den kontrollansvariga rollen kan registrera kontrollen."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": self.check_obj, "today": self.today}

    def get_context_data(self, **kwargs):
        return super().get_context_data(check=self.check_obj, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            with transaction.atomic():
                check = services.check_log_result(
                    check=self.check_obj,
                    user=user,
                    result=data["result"],
                    performed_on=data["performed_on"],
                    severity=data["severity"],
                    sample=data["sample"],
                    comment=data["comment"],
                    today=self.today,
                )
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
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Resultatet är registrerat: %(check)s.") % {"check": check})
        return redirect("internalcontrol:check-detail", pk=check.pk)


class ActionListView(YearMixin, SingleTableMixin, FilterView):
    """Open avvikelser/åtgärder with their deadlines (status can be chosen)."""

    template_name = "internalcontrol/action_list.html"
    filterset_class = ActionFilter
    table_class = ActionTable

    def get_queryset(self):
        queryset = Action.objects.with_related()
        if not self.request.GET.get("status"):
            queryset = queryset.open()
        return queryset

    def get_table_kwargs(self):
        return {"today": timezone.localdate()}


class YearOverviewView(PlanRowsMixin, SingleTableView):
    """Per area: planned, done, with remark, overdue."""

    model = ReviewArea
    template_name = "internalcontrol/reviewarea_overview.html"
    table_class = OverviewTable
    table_pagination = False

    def plan_rows(self, plan):
        areas = list(ReviewArea.objects.filter(plan=plan).order_by("number"))
        by_area = Check.objects.filter(control_point__area__plan=plan).summary(on=self.today, by="control_point__area")
        none = Check.objects.none().summary(on=self.today)
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
            value = self.request.GET.get(param, "")
            if value.isdigit():
                risks = risks.filter(**{field: int(value)})
        return risks.prefetch_related(
            Prefetch("control_points", queryset=ControlPoint.objects.select_related("area"))
        ).order_by("-likelihood", "-consequence", "title")


class ActionDoneView(View):
    """The responsible person (or the förbundsdirektör) marks an åtgärd as done today."""

    def post(self, request, pk):
        action = get_object_or_404(Action.objects.select_related("deviation"), pk=pk)
        try:
            services.action_mark_done(action=action, user=request.user, done_on=timezone.localdate())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Åtgärden är markerad som genomförd. Den verifieras vid nästa kontroll."))
        return redirect("internalcontrol:check-detail", pk=action.deviation.check_item_id)


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
            summary = Check.objects.filter(control_point__area__plan=self.plan).summary(on=timezone.localdate())
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
