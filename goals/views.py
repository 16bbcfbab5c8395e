"""Pages: the goal tree, Min enhet, item and mätetal pages, and the short POST forms."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from federation import dates
from federation.history import history_rows
from federation.models import FollowUp, Municipality, Unit
from federation.params import year_param
from federation.selectors import is_director, units_led_by
from federation.tables import PageUrls

from .cards import KIND_LABEL, KIND_OF, UnitCardMaker, assessed_for, card_anchor
from .filters import GoalTreeFilter
from .forms import AssessmentForm, OutcomeForm
from .models import Activity, DirectionGoal, Indicator, Status, Strategy, Submission, format_number, status_tone
from .permissions import user_can_change
from .selectors import (
    assessment_history,
    default_year,
    fiscal_years_with_goal_flag,
    follow_ups_with_latest,
    goal_tree,
    indicator_series,
    items_owned_by,
    latest_follow_up,
    outcomes_attach,
    submission_review,
    submissions_sent_back,
    submissions_waiting,
)
from .services import (
    assessment_record,
    follow_up_approve,
    follow_up_send_back,
    follow_up_submit,
    outcome_record,
    year_summary_sentence,
)
from .tables import HistoryTable, OutcomeTable, badge

KINDS = {"inriktningsmal": DirectionGoal, "strategi": Strategy, "aktivitet": Activity}


def item_url(obj, urls=None):
    return (urls or PageUrls())("goals:item", KIND_OF[type(obj)], obj.pk)


class TreeRowMaker:
    """Writes the rows of one page of the goal tree (templates/goals/_goal_tree.html): an inriktningsmål,
    strategi or aktivitet per row, each row's HTML made here in one ``format_html`` (the template only joins
    them). Labels, badges and URLs are made once per page, not per row. The tree is never sorted or paged by a
    table, and both django-tables2's per-cell machinery and a template's variables per cell were most of the
    page's time (~130 rows a page at ten times the 2019 volume)."""

    def __init__(self):
        self.urls = PageUrls()
        self.status_badges = {value: badge(status_tone(value), label) for value, label in Status.choices}
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.not_assessed = badge(status_tone(""), _("Ej bedömd"))
        self.follow_up_labels = {}
        self.heads = {}  # (kind, odd) -> the row's start, up to the kind's label
        self.rows = 0

    def follow_up_label(self, follow_up):
        if follow_up.pk not in self.follow_up_labels:
            self.follow_up_labels[follow_up.pk] = str(follow_up)
        return self.follow_up_labels[follow_up.pk]

    def status_html(self, latest):
        if not latest:
            return self.not_assessed
        status = self.status_badges.get(latest.status) or badge(status_tone(latest.status), latest.status)
        if latest.overridden:
            return format_html(
                '{} <span class="muted small">{}</span><br><span class="small">Föreslaget av utfallet: {}</span>',
                status,
                self.follow_up_label(latest.follow_up),
                self.status_labels.get(latest.suggested_status, latest.suggested_status),
            )
        return format_html('{} <span class="muted small">{}</span>', status, self.follow_up_label(latest.follow_up))

    def indicators_html(self, indicators):
        if not indicators:
            return ""
        items = []
        for indicator in indicators:
            target = indicator.target_display
            items.append((self.urls("goals:indicator", indicator.pk), indicator.name, f"({target})" if target else ""))
        return format_html(
            '<ul class="plain">{}</ul>',
            format_html_join("", '<li><a href="{}">{}</a> <span class="muted">{}</span></li>', items),
        )

    def row(self, kind, level, obj, units, latest, indicators=()):
        head = self.heads.get((kind, self.rows % 2))
        if head is None:
            head = self.heads[kind, self.rows % 2] = format_html(
                '<tr class="tree-row tree-{} {}"><td><span class="tree-level tree-level-{}"><span class="tree-kind">{}',
                kind,
                "odd" if self.rows % 2 else "even",
                level,
                KIND_LABEL[kind],
            )
        self.rows += 1
        return format_html(
            '{}{}:</span> <a href="{}">{}</a></span></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            head,
            f" {obj.number}" if getattr(obj, "number", "") else "",
            self.urls("goals:item", kind, obj.pk),
            obj.title,
            units or "—",
            self.status_html(latest),
            self.indicators_html(indicators),
        )


def tree_rows(goals):
    """The rows of the goal tree for ``goals`` (from ``goal_tree``), as HTML: each goal, its strategies and
    their activities, in tree order."""
    make = TreeRowMaker()
    rows = []
    for goal in goals:
        rows.append(make.row("inriktningsmal", 0, goal, goal.unit.name if goal.unit else "", goal.latest))
        for strategy in goal.strategy_list:
            units = ", ".join(u.short_name or u.name for u in strategy.units.all())
            rows.append(make.row("strategi", 1, strategy, units, strategy.latest, strategy.indicator_list))
            for activity in strategy.activity_list:
                unit = activity.unit.short_name or activity.unit.name
                rows.append(make.row("aktivitet", 2, activity, unit, activity.latest, activity.indicator_list))
    return rows


GOALS_PER_PAGE = 5  # inriktningsmål per page of the goal tree, each with its strategies and activities
MY_UNIT_ITEMS_PER_PAGE = 20  # goals, strategies and activities per page of Min enhet, each with its forms


class IndexView(TemplateView):
    """Målträdet för ett år, med filter på verksamhet och bedömning."""

    template_name = "goals/index.html"

    def get_context_data(self, **kwargs):
        data = self.request.GET.copy()
        years = fiscal_years_with_goal_flag()
        year = default_year(years)
        if year and not data.get("year"):
            data["year"] = str(year.year)
        filterset = GoalTreeFilter(data, queryset=DirectionGoal.objects.none(), years=years)
        cleaned = filterset.form.cleaned_data if filterset.form.is_valid() else {}
        year = cleaned.get("year") or year
        rows = []
        summary = ""
        page = None
        if year:
            unit, status = cleaned.get("unit"), cleaned.get("status") or None
            if unit or status:
                # A filtered tree is read whole (the filter works on the latest assessments), then paged.
                tree = goal_tree(year, unit=unit, status=status, outcomes=False)
                page = Paginator(tree, GOALS_PER_PAGE).get_page(self.request.GET.get("sida"))
                goals = list(page)
            else:
                # Read only the page's inriktningsmål, so the page costs the same however large the year is
                # (their ids are read at once and paged here: one query, not a count and a slice).
                ids = DirectionGoal.objects.filter(fiscal_year=year).order_by("order", "pk")
                ids = list(ids.values_list("pk", flat=True))
                page = Paginator(ids, GOALS_PER_PAGE).get_page(self.request.GET.get("sida"))
                goals = goal_tree(year, goal_ids=list(page), outcomes=False)
            rows = tree_rows(goals)
            summary = year_summary_sentence(fiscal_year=year)
        query = self.request.GET.copy()
        query.pop("sida", None)
        return super().get_context_data(
            filter=filterset,
            rows=rows,
            fiscal_year=year,
            summary=summary,
            page=page if page and page.paginator.num_pages > 1 else None,
            page_query=query.urlencode(),
            **kwargs,
        )


class MyUnitView(TemplateView):
    """Min enhet, the unit lead's work view: what the unit owns as cards grouped under their inriktningsmål and
    strategy, how many are assessed for the follow-up, a filter for those not yet assessed, and short forms
    that come back to their card when saved."""

    template_name = "goals/my_unit.html"

    def get_context_data(self, **kwargs):
        today = dates.today()
        user = self.request.user
        director = is_director(user, on=today)
        units = list(Unit.objects.all()) if director else list(units_led_by(user=user, on=today))
        unit = None
        if units:
            wanted = self.request.GET.get("enhet")
            unit = next((u for u in units if str(u.pk) == wanted), None) or units[0]
        years = fiscal_years_with_goal_flag()
        year = default_year(years)
        wanted_year = year_param(self.request.GET)
        year = next((y for y in years if y.year == wanted_year), year)
        follow_ups, current = follow_ups_with_latest(fiscal_year=year) if year else ([], None)
        # "utan=<follow-up>": only what has no assessment for that follow-up; the progress counts for it.
        without = next((fu for fu in follow_ups if str(fu.pk) == self.request.GET.get("utan")), None)
        progress_follow_up = without or current
        # The cards just saved (their anchors ride on the message): kept in a filtered list, so the reader
        # comes back to the card even once it no longer matches the filter.
        notices = {tag: message for message in get_messages(self.request) for tag in (message.extra_tags or "").split()}
        cards, page, progress = [], None, None
        if unit and year:
            items = items_owned_by(unit=unit, fiscal_year=year, outcomes=False, follow_ups=follow_ups)
            assessed = sum(assessed_for(item, progress_follow_up) for item in items)
            progress = {"assessed": assessed, "total": len(items), "follow_up": progress_follow_up}
            if without:
                items = [i for i in items if not assessed_for(i, without) or card_anchor(i) in notices]
            progress["shown"] = len(items)
            # A page of items at a time: each carries its forms, and Navet alone owns over fifty.
            page = Paginator(items, MY_UNIT_ITEMS_PER_PAGE).get_page(self.request.GET.get("sida"))
            # The outcomes of this page's mätetal only, in one query.
            outcomes_attach([indicator for item in page for indicator in getattr(item, "indicator_list", [])])
            make = UnitCardMaker(
                self.request,
                follow_ups=follow_ups,
                current=current,
                # The municipalities of the mätetal split by municipality, read once for all the page's forms.
                municipalities=SimpleLazyObject(lambda: list(Municipality.objects.all())),
                notices=notices,
            )
            cards = [make.card(item) for item in page]
        query = self.request.GET.copy()
        query.pop("sida", None)
        submissions = (
            {
                s.follow_up_id: s
                for s in Submission.objects.filter(unit=unit, follow_up__in=follow_ups).select_related(
                    "submitted_by", "approved_by", "returned_by"
                )
            }
            if unit
            else {}
        )
        return super().get_context_data(
            units=units,
            unit=unit,
            fiscal_year=year,
            years=years,
            cards=cards,
            progress=progress,
            without=without,
            page=page if page and page.paginator.num_pages > 1 else None,
            page_query=query.urlencode(),
            follow_ups=[(fu, submissions.get(fu.pk)) for fu in follow_ups],
            is_director=director,
            current_follow_up=current,
            **kwargs,
        )


class ItemView(TemplateView):
    """An inriktningsmål, strategi or aktivitet with its mätetal and the full history of its assessments."""

    template_name = "goals/item.html"

    def get_object(self):
        model = KINDS.get(self.kwargs["kind"])
        if model is None:
            raise Http404
        return get_object_or_404(model.objects.select_related("fiscal_year"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        obj = self.get_object()
        kind = self.kwargs["kind"]
        assessments = list(
            obj.assessments.select_related("follow_up__fiscal_year", "author").order_by("follow_up__period_end")
        )
        changes = history_rows(
            obj.history.select_related("history_user").order_by("history_date", "history_id"),
            assessment_history(obj),
        )
        history = HistoryTable(list(assessment_history(obj)))
        RequestConfig(self.request, paginate=False).configure(history)
        can_change = user_can_change(self.request.user, obj)
        follow_ups = list(FollowUp.objects.filter(fiscal_year=obj.fiscal_year).select_related("fiscal_year"))
        form = None
        if can_change:
            latest = assessments[-1] if assessments else None
            form = AssessmentForm(
                prefix=f"{kind}-{obj.pk}",
                follow_ups=follow_ups,
                initial_follow_up=latest.follow_up if latest else latest_follow_up(fiscal_year=obj.fiscal_year),
                initial={"status": latest.status if latest else "", "text": latest.text if latest else ""},
            )
        indicators = list(obj.indicators.all()) if hasattr(obj, "indicators") else []
        children = []
        if isinstance(obj, DirectionGoal):
            children = list(obj.strategies.prefetch_related("units"))
        elif isinstance(obj, Strategy):
            children = list(obj.activities.select_related("unit"))
        return super().get_context_data(
            object=obj,
            kind_label=KIND_LABEL[kind],
            assessments=assessments,
            history=history,
            changes=changes,
            form=form,
            indicators=indicators,
            children=children,
            child_kind="strategi" if kind == "inriktningsmal" else "aktivitet",
            **kwargs,
        )


def bar_chart(outcomes, target=None, width=760, bar_height=22):
    """Geometry for an accessible horizontal SVG bar chart (the numbers are also in the table)."""
    values = [o.effective_value for o in outcomes if o.effective_value is not None]
    if not values:
        return None
    top = max(values + ([Decimal(target)] if target is not None else []))
    top = top if top > 0 else Decimal(1)
    label_width = 300
    bars = []
    for i, outcome in enumerate(o for o in outcomes if o.effective_value is not None):
        length = float(outcome.effective_value / top) * (width - label_width - 60)
        label = f"{outcome.follow_up.fiscal_year.year} {outcome.follow_up.get_kind_display().lower()}"
        if outcome.dimension_label:
            label += f" – {outcome.dimension_label}"
        bars.append(
            {
                "y": i * (bar_height + 6),
                "label": label,
                "length": round(length, 1),
                "value": format_number(outcome.effective_value) + (" %" if outcome.numerator is not None else ""),
                "value_x": round(label_width + length + 6, 1),
                "text_y": i * (bar_height + 6) + bar_height * 0.7,
            }
        )
    chart = {
        "bars": bars,
        "width": width,
        "height": len(bars) * (bar_height + 6),
        "label_width": label_width,
        "bar_height": bar_height,
    }
    if target is not None:
        chart["target_x"] = round(label_width + float(Decimal(target) / top) * (width - label_width - 60), 1)
    return chart


class IndicatorView(TemplateView):
    """Ett mätetal: värden per period och dimension (hela serien över åren) som tabell och diagram."""

    template_name = "goals/indicator.html"

    def get_context_data(self, **kwargs):
        indicator = get_object_or_404(
            Indicator.objects.select_related("fiscal_year", "strategy", "activity__unit"), pk=self.kwargs["pk"]
        )
        outcomes = list(indicator_series(indicator))
        table = OutcomeTable(outcomes)
        RequestConfig(self.request, paginate=False).configure(table)
        form = None
        if user_can_change(self.request.user, indicator):
            follow_ups = list(
                FollowUp.objects.filter(fiscal_year__year__lte=indicator.fiscal_year.year).select_related("fiscal_year")
            )
            form = OutcomeForm(
                prefix=f"utfall-{indicator.pk}",
                indicator=indicator,
                follow_ups=follow_ups,
                initial_follow_up=latest_follow_up(fiscal_year=indicator.fiscal_year),
            )
        return super().get_context_data(
            indicator=indicator,
            owner=indicator.owner,
            owner_url=item_url(indicator.owner),
            table=table,
            chart=bar_chart(outcomes, indicator.target if indicator.target is not None else None),
            form=form,
            **kwargs,
        )


def _redirect_back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def _errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class AssessmentUpdateView(View):
    """POST: record an assessment of a goal, strategy or activity (403 unless the user may change it)."""

    def post(self, request, kind, pk):
        model = KINDS.get(kind)
        if model is None:
            raise Http404
        obj = get_object_or_404(model, pk=pk)
        anchor = card_anchor(obj)  # the card on Min enhet, kept in view (and in its filter) after saving
        if not user_can_change(request.user, obj):
            raise PermissionDenied(_("Du får bara ändra det som din verksamhet ansvarar för."))
        follow_ups = list(FollowUp.objects.filter(fiscal_year=obj.fiscal_year).select_related("fiscal_year"))
        form = AssessmentForm(request.POST, prefix=f"{kind}-{pk}", follow_ups=follow_ups)
        if form.is_valid():
            try:
                assessment_record(
                    target=obj,
                    follow_up=form.cleaned_data["follow_up"],
                    status=form.cleaned_data["status"],
                    text=form.cleaned_data["text"],
                    user=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages), extra_tags=anchor)
            else:
                messages.success(request, _("Bedömningen av ”%(item)s” är sparad.") % {"item": obj}, extra_tags=anchor)
        else:
            messages.error(
                request, _("Bedömningen sparades inte: %(errors)s") % {"errors": _errors(form)}, extra_tags=anchor
            )
        return _redirect_back(request, item_url(obj))


class OutcomeUpdateView(View):
    """POST: record a mätetal's outcome for a period (and dimension member)."""

    def post(self, request, pk):
        indicator = get_object_or_404(Indicator.objects.select_related("fiscal_year"), pk=pk)
        anchor = card_anchor(indicator)
        if not user_can_change(request.user, indicator):
            raise PermissionDenied(_("Du får bara ändra det som din verksamhet ansvarar för."))
        follow_ups = list(
            FollowUp.objects.filter(fiscal_year__year__lte=indicator.fiscal_year.year).select_related("fiscal_year")
        )
        form = OutcomeForm(request.POST, prefix=f"utfall-{pk}", indicator=indicator, follow_ups=follow_ups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome_record(
                    indicator=indicator,
                    follow_up=data["follow_up"],
                    user=request.user,
                    value=data.get("value"),
                    numerator=data.get("numerator"),
                    denominator=data.get("denominator"),
                    text=data.get("text", ""),
                    municipality=data.get("municipality"),
                    delregion=data.get("delregion", ""),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages), extra_tags=anchor)
            else:
                messages.success(
                    request,
                    _("Utfallet för ”%(item)s” är sparat.") % {"item": indicator},
                    extra_tags=anchor,
                )
        else:
            messages.error(
                request, _("Utfallet sparades inte: %(errors)s") % {"errors": _errors(form)}, extra_tags=anchor
            )
        return _redirect_back(request, reverse("goals:indicator", args=[pk]))


class SubmitView(View):
    """POST: the unit marks its follow-up for a period as submitted."""

    def post(self, request):
        unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
        follow_up = get_object_or_404(
            FollowUp.objects.select_related("fiscal_year"), pk=request.POST.get("follow_up") or 0
        )
        try:
            follow_up_submit(unit=unit, follow_up=follow_up, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(unit)s: %(follow_up)s är inskickad.") % {"unit": unit, "follow_up": follow_up}
            )
        return _redirect_back(request, reverse("goals:my_unit"))


class DirectorOnlyMixin:
    """Pages of the förbundsdirektör's work (403 for everyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if not is_director(request.user):
            raise PermissionDenied(_("Bara förbundsdirektören godkänner uppföljningar."))
        return super().dispatch(request, *args, **kwargs)


class ApprovalListView(DirectorOnlyMixin, TemplateView):
    """Att godkänna: every submitted follow-up waiting for the förbundsdirektör, and those sent back."""

    template_name = "goals/approvals.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            waiting=list(submissions_waiting()), sent_back=list(submissions_sent_back()), **kwargs
        )


class SubmissionView(DirectorOnlyMixin, TemplateView):
    """One submitted follow-up: what the unit submitted beside its previous follow-up; Godkänn or Skicka tillbaka."""

    template_name = "goals/submission_detail.html"

    def get_context_data(self, **kwargs):
        submission = get_object_or_404(Submission.objects.with_related(), pk=self.kwargs["pk"])
        rows, previous = submission_review(submission)
        urls = PageUrls()
        for row in rows:
            row.url = item_url(row.item, urls)
            row.kind_label = KIND_LABEL[KIND_OF[type(row.item)]]
        history = history_rows(submission.history.select_related("history_user").order_by("history_date", "history_id"))
        counts = {
            "items": len(rows),
            "unassessed": sum(1 for row in rows if row.assessment is None),
            "status_changed": sum(1 for row in rows if row.status_changed),
            "overridden": sum(1 for row in rows if row.assessment and row.assessment.overridden),
            "since_return": sum(1 for row in rows if row.changed_since_return),
        }
        return super().get_context_data(
            submission=submission, rows=rows, previous=previous, history=history, counts=counts, **kwargs
        )


class ApproveView(View):
    """POST: the förbundsdirektör approves submitted follow-ups (locks them for their units): one (``pk``) or
    those ticked on Att godkänna (``submission``)."""

    def post(self, request, pk=None):
        ids = [pk] if pk else request.POST.getlist("submission")
        submissions = list(Submission.objects.with_related().filter(pk__in=[i for i in ids if str(i).isdigit()]))
        if not submissions:
            messages.error(request, _("Välj minst en uppföljning att godkänna."))
        approved, refused = 0, []
        for submission in submissions:
            try:
                follow_up_approve(submission=submission, user=request.user)
            except ValidationError as error:
                refused.append(f"{submission.unit} – {submission.follow_up}: {' '.join(error.messages)}")
            else:
                approved += 1
        if approved:
            messages.success(
                request,
                ngettext(
                    "%(count)s uppföljning godkänd och låst.", "%(count)s uppföljningar godkända och låsta.", approved
                )
                % {"count": approved},
            )
        for message in refused:
            messages.error(request, message)
        return _redirect_back(request, reverse("goals:approvals"))


class SendBackView(View):
    """POST: the förbundsdirektör sends a submitted follow-up back to its unit with a comment."""

    def post(self, request, pk):
        submission = get_object_or_404(Submission.objects.with_related(), pk=pk)
        try:
            follow_up_send_back(submission=submission, user=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("goals:submission", args=[pk]))
        messages.success(
            request,
            _("%(unit)s – %(follow_up)s är skickad tillbaka till verksamheten med din kommentar.")
            % {"unit": submission.unit, "follow_up": submission.follow_up},
        )
        return HttpResponseRedirect(reverse("goals:approvals"))
