"""Min enhet's cards: what a unit owns, each goal, strategy and activity a card with its one suggestion and its
short forms, grouped under its inriktningsmål and strategy.

The cards' HTML parts are made here once per card (labels, URLs and option lists once per page), and the
template (templates/goals/my_unit.html) only places them: a page of twenty cards carries some sixty forms,
and template includes, ``{% url %}`` and a form's field loop per card were most of the page's time."""

from dataclasses import dataclass, field

from django.template.backends.utils import csrf_input
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federation.tables import PageUrls

from .forms import AssessmentForm, OutcomeForm
from .models import Activity, DirectionGoal, Indicator, Status, Strategy, status_tone
from .suggest import item_suggestion
from .tables import badge

KIND_OF = {DirectionGoal: "inriktningsmal", Strategy: "strategi", Activity: "aktivitet"}
KIND_LABEL = {
    "inriktningsmal": gettext_lazy("Inriktningsmål"),
    "strategi": gettext_lazy("Strategi"),
    "aktivitet": gettext_lazy("Aktivitet"),
}
# The heading level of each kind's card: inriktningsmål over strategi over aktivitet.
LEVEL = {"inriktningsmal": 2, "strategi": 3, "aktivitet": 4}


PREFIX = "__prefix__"  # the prefix a form's stamp is rendered with (as a formset's empty form)
TEXT_MARK = "__text__"  # where the card's own text goes into the assessment form's stamp
STATUS_VALUES = [value for value, _label in Status.choices if value]


def stamp_template(html: str) -> str:
    """A form's fields rendered once (escaped by format_html) as a format string for format_html: the prefix
    becomes ``{prefix}``; every value put in per card is escaped by format_html again."""
    return html.replace("{", "{{").replace("}", "}}").replace(PREFIX, "{prefix}")


def fields_html(form):
    """A form's fields as Min enhet shows them: label and widget in a ``.field`` (Plain* widgets)."""
    return format_html_join(
        "",
        '<div class="field"><label for="{}">{}</label>{}</div>',
        ((bound.id_for_label, bound.label, bound) for bound in form),
    )


def card_anchor(obj) -> str:
    """The id of the card that shows ``obj`` (a goal, strategy or activity, or a mätetal: its owner's card);
    saving a form on Min enhet comes back to it."""
    if isinstance(obj, Indicator):  # a mätetal belongs to an activity or a strategy
        return f"aktivitet-{obj.activity_id}" if obj.activity_id else f"strategi-{obj.strategy_id}"
    return f"{KIND_OF[type(obj)]}-{obj.pk}"


def assessed_for(item, follow_up) -> bool:
    return follow_up is not None and any(a.follow_up_id == follow_up.pk for a in item.assessment_list)


@dataclass
class Heading:
    """A group heading above cards whose inriktningsmål or strategy the unit does not own itself."""

    level: int
    html: str


@dataclass
class IndicatorBox:
    level: int
    title_html: str
    outcomes_html: str
    form_html: str


@dataclass
class UnitCard:
    anchor: str
    level: int
    headings: list
    title_html: str
    latest_html: str
    suggestion_html: str
    text: str
    form_html: str
    indicators: list = field(default_factory=list)
    notice: object = None  # the message of a form on this card just saved (shown on the card too)


class UnitCardMaker:
    """Builds the cards of one page of Min enhet."""

    def __init__(self, request, *, follow_ups, current, municipalities, notices=None):
        self.urls = PageUrls()
        self.follow_ups = follow_ups
        self.current = current
        self.municipalities = municipalities
        self.notices = notices or {}
        self.status_labels = {value: str(label) for value, label in Status.choices}
        self.follow_up_labels = {follow_up.pk: str(follow_up) for follow_up in follow_ups}
        self.csrf = csrf_input(request)
        self.next = request.get_full_path()
        self.previous_goal = self.previous_strategy = None
        self.assessment_stamp, self.outcome_stamps = None, {}
        self.kind_labels = {kind: str(label) for kind, label in KIND_LABEL.items()}

    # --- parts -------------------------------------------------------------------------------------------

    def follow_up_label(self, follow_up):
        if follow_up.pk not in self.follow_up_labels:
            self.follow_up_labels[follow_up.pk] = str(follow_up)
        return self.follow_up_labels[follow_up.pk]

    def title(self, kind, obj):
        number = f" {obj.number}" if getattr(obj, "number", "") else ""
        return format_html(
            '<span class="muted">{}{}:</span> <a href="{}">{}</a>',
            self.kind_labels[kind],
            number,
            self.urls("goals:item", kind, obj.pk),
            obj.title,
        )

    def form(self, fields_html, *, action, anchor, button, outcome=False):
        """A short form around its fields: the CSRF token made once per page, ``next`` back to this card."""
        return format_html(
            '<form method="post" action="{}" class="{}">{}<input type="hidden" name="next" value="{}#{}">{}'
            '<button type="submit" class="primary">{}</button></form>',
            action,
            "short-form outcome-form" if outcome else "short-form",
            self.csrf,
            self.next,
            anchor,
            fields_html,
            button,
        )

    def assessment_fields(self, anchor, status, text):
        """The assessment form's fields for one card: the form rendered once per page with the prefix
        ``__prefix__`` (as a formset's empty form), then the card's prefix, status and text put in."""
        if self.assessment_stamp is None:
            form = AssessmentForm(
                prefix=PREFIX,
                follow_ups=self.follow_ups,
                initial_follow_up=self.current,
                initial={"status": "", "text": TEXT_MARK},
            )
            stamp = stamp_template(str(fields_html(form))).replace(TEXT_MARK, "{text}")
            for index, value in enumerate(STATUS_VALUES):
                stamp = stamp.replace(f'<option value="{value}">', f'<option value="{value}"{{sel_{index}}}>', 1)
            self.assessment_stamp = stamp
        selected = {f"sel_{index}": " selected" if value == status else "" for index, value in enumerate(STATUS_VALUES)}
        return format_html(self.assessment_stamp, prefix=anchor, text=text, **selected)

    def outcome_fields(self, indicator):
        """The outcome form's fields for one mätetal: rendered once per page for each shape of the form (a
        value or a share; split by municipality, delregion or not), then the mätetal's prefix put in."""
        shape = (indicator.is_share, indicator.dimension)
        if shape not in self.outcome_stamps:
            form = OutcomeForm(
                prefix=PREFIX,
                indicator=indicator,
                follow_ups=self.follow_ups,
                initial_follow_up=self.current,
                municipalities=self.municipalities,
            )
            self.outcome_stamps[shape] = stamp_template(str(fields_html(form)))
        return format_html(self.outcome_stamps[shape], prefix=f"utfall-{indicator.pk}")

    def headings(self, item, kind):
        """The inriktningsmål and strategy headings to show before ``item`` (when they change on the page)."""
        goal = item if kind == "inriktningsmal" else (item.direction_goal if kind == "strategi" else None)
        strategy = item if kind == "strategi" else None
        if kind == "aktivitet":
            strategy = item.strategy
            goal = strategy.direction_goal
        headings = []
        if goal is not self.previous_goal and kind != "inriktningsmal":
            headings.append(Heading(2, self.title("inriktningsmal", goal)))
        if strategy is not None and strategy is not self.previous_strategy and kind == "aktivitet":
            headings.append(Heading(3, self.title("strategi", strategy)))
        self.previous_goal, self.previous_strategy = goal, strategy
        return headings

    # --- one card ----------------------------------------------------------------------------------------

    def card(self, item) -> UnitCard:
        kind = KIND_OF[type(item)]
        anchor = f"{kind}-{item.pk}"
        latest = item.latest
        if latest is not None:
            latest_html = format_html(
                "{} ({})",
                badge(status_tone(latest.status), self.status_labels.get(latest.status, latest.status)),
                self.follow_up_label(latest.follow_up),
            )
        else:
            latest_html = badge(status_tone(""), _("Ej bedömd"))
        suggestion = item_suggestion(item, self.current)
        suggestion_html = ""
        if suggestion:
            status, follow_up = suggestion
            differs = latest is not None and latest.follow_up_id == follow_up.pk and latest.status != status
            suggestion_html = format_html(
                "Utfallet för {} föreslår: {}{}",
                self.follow_up_label(follow_up),
                badge(status_tone(status), self.status_labels[status]),
                _(" – bedömningen avviker") if differs else "",
            )
        assessed_now = latest is not None and self.current is not None and latest.follow_up_id == self.current.pk
        live = suggestion[0] if suggestion and suggestion[1] == self.current else None
        # Not yet assessed for this follow-up: start from what the numbers suggest.
        status = item.latest_status if assessed_now or not live else live
        level = LEVEL[kind]
        return UnitCard(
            anchor=anchor,
            level=level,
            headings=self.headings(item, kind),
            title_html=self.title(kind, item),
            latest_html=latest_html,
            suggestion_html=suggestion_html,
            text=latest.text if latest else "",
            form_html=self.form(
                self.assessment_fields(anchor, status, latest.text if latest else ""),
                action=self.urls("goals:assessment_update", kind, item.pk),
                anchor=anchor,
                button=_("Spara bedömning"),
            ),
            indicators=[
                self.indicator(indicator, level + 1, anchor) for indicator in getattr(item, "indicator_list", ())
            ],
            notice=self.notices.get(anchor),
        )

    def indicator(self, indicator, level, anchor) -> IndicatorBox:
        target = (
            format_html(' <span class="muted">({})</span>', indicator.target_display)
            if indicator.target_display
            else ""
        )
        outcomes = format_html_join(
            "",
            "<li>{}{}: {}</li>",
            (
                (
                    self.follow_up_label(outcome.follow_up),
                    f" – {outcome.dimension_label}" if outcome.dimension_label else "",
                    outcome.display,
                )
                for outcome in indicator.outcome_list
            ),
        )
        return IndicatorBox(
            level=min(level, 6),
            title_html=format_html(
                '<a href="{}">{}</a>{}', self.urls("goals:indicator", indicator.pk), indicator.name, target
            ),
            outcomes_html=format_html('<ul class="plain">{}</ul>', outcomes) if outcomes else "",
            form_html=self.form(
                self.outcome_fields(indicator),
                action=self.urls("goals:outcome_update", indicator.pk),
                anchor=anchor,
                button=_("Spara utfall"),
                outcome=True,
            ),
        )
