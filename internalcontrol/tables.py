"""Tables of the internal control pages (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from federation.hyphenation import soft_hyphens
from federation.people import person_name
from federation.tables import BaseTable, DateColumn, PageUrls, PlainRowsMixin

from .models import Action, Check, risk_tone


def badge(tone, label):
    return format_html('<span class="status status-{}">{}</span>', tone or "grey", label)


class PlanTable(PlainRowsMixin, BaseTable):
    """The plan as Bilaga 2 lays it out: one row per kontrollmoment, the area named on its first row,
    a heading row per group (see the template), the risk colour with its word."""

    area = tables.Column(_("Granskningsområde"), accessor="area_label", empty_values=())
    description = tables.Column(_("Kontrollmoment"))
    method = tables.Column(_("Kontrollmetod"))
    frequency_text = tables.Column(_("Frekvens"))
    responsible_role = tables.Column(_("Kontrollansvarig"), accessor="responsible_role__name")
    risk = tables.Column(_("Risk"), empty_values=(), accessor="pk")
    result = tables.Column(_("Resultat av granskning"), accessor="area_result", empty_values=())

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 1000
        template_name = "internalcontrol/plan_table.html"  # its rows by PlainRowsMixin

    def render_risk(self, record):
        value = record.risk_value()
        tone, word = risk_tone(value)
        return badge(tone, f"{word} ({value})" if value else word)

    # Cells for PlainRowsMixin.plain_rows (the same as the columns above render).
    # Long words get soft hyphens at their Swedish syllables: seven columns fit a 1366 px window.
    def cell_area(self, record):
        return soft_hyphens(record.area_label)

    def cell_description(self, record):
        return self.value_or_default(soft_hyphens(record.description))

    def cell_method(self, record):
        return self.value_or_default(soft_hyphens(record.method))

    def cell_frequency_text(self, record):
        if record.event_driven:
            # No due dates, never overdue: what has been registered so far (set by the plan page).
            done = getattr(record, "event_done", 0)
            return format_html(
                '{}<br><span class="muted">{}</span>',
                record.event_frequency_label(),
                ngettext("%(n)s genomförd", "%(n)s genomförda", done) % {"n": done},
            )
        return self.value_or_default(record.frequency_text)

    def cell_responsible_role(self, record):
        return self.value_or_default(soft_hyphens(record.responsible_role.name) if record.responsible_role else None)

    def cell_risk(self, record):
        return self.render_risk(record)

    def cell_result(self, record):
        return soft_hyphens(record.area_result)

    def row_start(self, record, index):
        heading = ""
        if record.group_heading:
            heading = format_html(
                '<tr class="group-row"><th colspan="{}" scope="rowgroup">{}</th></tr>\n',
                len(self.columns),
                record.group_heading,
            )
        first = format_html(' class="{}"', "area-first") if record.area_label else ""
        return format_html('{}<tr class="{}"{}>', heading, "odd" if index % 2 else "even", first)


def check_counts_text(counts: dict) -> str:
    """ "3 försenade, 2 förfallna, 5 förfaller snart, 40 att göra, 20 genomförda" (the parts that are not 0)."""
    events = counts.get("event_done", 0)
    parts = [
        (counts["overdue"], ngettext("%(n)s försenad", "%(n)s försenade", counts["overdue"])),
        (counts["due"], ngettext("%(n)s förfallen", "%(n)s förfallna", counts["due"])),
        (counts["due_soon"], ngettext("%(n)s förfaller snart", "%(n)s förfaller snart", counts["due_soon"])),
        (counts["open"], ngettext("%(n)s att göra", "%(n)s att göra", counts["open"])),
        (counts["done"], ngettext("%(n)s genomförd", "%(n)s genomförda", counts["done"])),
        (events, ngettext("%(n)s händelsestyrd registrerad", "%(n)s händelsestyrda registrerade", events)),
    ]
    return ", ".join(text % {"n": n} for n, text in parts if n)


class CheckTable(PlainRowsMixin, BaseTable):
    """Checks grouped by year: a heading row with the year's counts where the year changes."""

    year = tables.Column(_("År"), accessor="control_point__area__plan__fiscal_year__year")
    due_date = DateColumn(verbose_name=_("Förfallodag"))
    area = tables.Column(_("Granskningsområde"), accessor="control_point__area")
    control_point = tables.Column(_("Kontrollmoment"), accessor="control_point__description")
    role = tables.Column(_("Kontrollansvarig"), accessor="control_point__responsible_role__name")
    status = tables.Column(_("Status"), empty_values=(), accessor="pk", orderable=False)
    performed_on = DateColumn(verbose_name=_("Genomförd"))
    performed_by = tables.Column(_("Av"), accessor="performed_by")
    link = tables.Column("", empty_values=(), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Check
        fields = ()
        order_by = ("year", "due_date")
        template_name = "federation/_plain_table.html"

    def __init__(self, *args, today, rules=None, can_log=None, counts=None, **kwargs):
        self.today, self.rules = today, rules
        self.can_log = can_log or (lambda check: False)
        self.counts = counts or {}
        super().__init__(*args, **kwargs)

    def row_start(self, record, index):
        year = record.control_point.area.plan.fiscal_year.year
        heading = ""
        if year != getattr(self, "_heading_year", None):
            self._heading_year = year
            heading = format_html(
                '<tr class="group-row"><th colspan="{}" scope="rowgroup">{} <span class="muted">{}</span></th></tr>\n',
                len(self.columns),
                year,
                check_counts_text(self.counts[year]) if year in self.counts else "",
            )
        return format_html('{}<tr class="{}">', heading, "odd" if index % 2 else "even")

    def render_performed_by(self, value):
        return person_name(value)

    def render_status(self, record):
        return badge(*record.status(self.today, self.rules))

    def render_link(self, record):
        urls = getattr(self, "urls", None) or PageUrls()
        if record.performed_on is None and self.can_log(record):
            return format_html(
                '<a class="button" href="{}">{}</a>', urls("internalcontrol:check-log", record.pk), _("Registrera")
            )
        return format_html('<a href="{}">{}</a>', urls("internalcontrol:check-detail", record.pk), _("Visa"))

    # Cells for PlainRowsMixin.plain_rows (the same as the columns above render).
    def cell_year(self, record):
        return record.control_point.area.plan.fiscal_year.year

    def cell_due_date(self, record):
        return date_format(record.due_date, "SHORT_DATE_FORMAT") if record.due_date else self.default

    def cell_area(self, record):
        return record.control_point.area

    def cell_control_point(self, record):
        return self.value_or_default(record.control_point.description)

    def cell_role(self, record):
        role = record.control_point.responsible_role
        return self.value_or_default(role.name if role else None)

    def cell_status(self, record):
        return self.render_status(record)

    def cell_performed_on(self, record):
        return date_format(record.performed_on, "SHORT_DATE_FORMAT") if record.performed_on else self.default

    def cell_performed_by(self, record):
        return self.render_performed_by(record.performed_by) if record.performed_by else self.default

    def cell_link(self, record):
        return self.render_link(record)


class EventPointTable(PlainRowsMixin, BaseTable):
    """Mina kontroller's event-driven kontrollmoment: registered when they happen, with how many were (each
    record's ``done``, set by the view), drawn like the checks' table."""

    year = tables.Column(_("År"), accessor="area__plan__fiscal_year__year")
    area = tables.Column(_("Granskningsområde"), accessor="area")
    description = tables.Column(_("Kontrollmoment"))
    frequency = tables.Column(_("Frekvens"), empty_values=(), accessor="pk")
    role = tables.Column(_("Kontrollansvarig"), accessor="responsible_role__name")
    done = tables.Column(
        _("Genomförda"), empty_values=(), accessor="pk", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    link = tables.Column("", empty_values=(), accessor="pk")

    class Meta(BaseTable.Meta):
        orderable = False
        template_name = "federation/_plain_table.html"

    def row_start(self, record, index):
        return format_html('<tr class="{}">', "odd" if index % 2 else "even")

    def cell_year(self, record):
        return record.area.plan.fiscal_year.year

    def cell_area(self, record):
        return record.area

    def cell_description(self, record):
        return self.value_or_default(record.description)

    def cell_frequency(self, record):
        return record.frequency_label()

    def cell_role(self, record):
        return self.value_or_default(record.responsible_role.name if record.responsible_role else None)

    def cell_done(self, record):
        return getattr(record, "done", 0)

    def cell_link(self, record):
        return format_html(
            '<a class="button" href="{}">{}</a>',
            self.urls("internalcontrol:check-log-event", record.pk),
            _("Registrera genomförd kontroll"),
        )


class ActionTable(BaseTable):
    year = tables.Column(_("År"), accessor="control_point__area__plan__fiscal_year__year")
    deadline = DateColumn(verbose_name=_("Senast"))
    area = tables.Column(_("Granskningsområde"), accessor="control_point__area")
    deviation = tables.Column(_("Avvikelse"), accessor="deviation__description")
    description = tables.Column(_("Åtgärd"))
    responsible = tables.Column(_("Ansvarig"))
    status = tables.Column(_("Status"), empty_values=(), accessor="pk", orderable=False)
    check_link = tables.Column(_("Kontroll"), empty_values=(), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Action
        fields = ()
        order_by = ("year", "deadline")

    def __init__(self, *args, today, rules=None, **kwargs):
        self.today, self.rules = today, rules
        super().__init__(*args, **kwargs)

    def render_responsible(self, value):
        return person_name(value)

    def render_status(self, record):
        return badge(*record.tone(self.today, self.rules))

    def render_check_link(self, record):
        check = record.deviation.check_item
        return format_html(
            '<a href="{}">{}</a>',
            reverse("internalcontrol:check-detail", args=[check.pk]),
            f"{check.due_date:%Y-%m-%d}",
        )


class OverviewTable(BaseTable):
    number = tables.Column(_("Nr"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    name = tables.Column(_("Granskningsområde"))
    planned = tables.Column(_("Planerade"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    done = tables.Column(_("Genomförda"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    remark = tables.Column(_("Med anmärkning"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    overdue = tables.Column(_("Försenade"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    state = tables.Column(_("Läge"), empty_values=(), accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 1000

    def render_state(self, record):
        if record.overdue:
            return badge("red", _("Försenade kontroller"))
        if record.remark:
            return badge("yellow", _("Anmärkning"))
        if record.planned and record.done == record.planned:
            return badge("green", _("Klart"))
        return badge("grey", _("Pågår"))


class RiskTable(BaseTable):
    title = tables.Column(_("Risk"))
    likelihood = tables.Column(_("Sannolikhet"))
    consequence = tables.Column(_("Konsekvens"))
    value = tables.Column(_("Riskvärde S×K"), empty_values=(), accessor="pk", orderable=False)
    covered_by = tables.Column(_("Kontrolleras genom"), empty_values=(), accessor="pk", orderable=False)
    needs_review = tables.BooleanColumn(_("Ska omprövas"), yesno="Ja,–")

    class Meta(BaseTable.Meta):
        orderable = False
        per_page = 1000

    def render_likelihood(self, record):
        return record.likelihood_label()

    def render_consequence(self, record):
        return record.consequence_label()

    def render_value(self, record):
        return badge(*record.tone()[:1], record.label())

    def render_covered_by(self, record):
        points = record.control_points.all()
        if points:
            return "; ".join(f"{p.area.number}. {p.description}" for p in points)
        return format_html("<em>{}</em> {}", _("Ej kontrollmoment:"), record.not_covered_reason)
