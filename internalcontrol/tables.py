"""Tables of the internal control pages (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from federation.tables import BaseTable, DateColumn

from .models import Action, Check


def badge(tone, label):
    return format_html('<span class="status status-{}">{}</span>', tone or "grey", label)


class PlanTable(BaseTable):
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
        template_name = "internalcontrol/plan_table.html"

    def render_risk(self, record):
        tone, word = record.risk_tone()
        value = record.risk_value()
        return badge(tone, f"{word} ({value})" if value else word)


class CheckTable(BaseTable):
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
        order_by = ("due_date",)

    def __init__(self, *args, today, can_log=None, **kwargs):
        self.today = today
        self.can_log = can_log or (lambda check: False)
        super().__init__(*args, **kwargs)

    def render_performed_by(self, value):
        return value.get_full_name() or value.username

    def render_status(self, record):
        return badge(*record.status(self.today))

    def render_link(self, record):
        if record.performed_on is None and self.can_log(record):
            return format_html(
                '<a class="button" href="{}">{}</a>',
                reverse("internalcontrol:check-log", args=[record.pk]),
                _("Registrera"),
            )
        return format_html('<a href="{}">{}</a>', reverse("internalcontrol:check-detail", args=[record.pk]), _("Visa"))


class ActionTable(BaseTable):
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
        order_by = ("deadline",)

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def render_responsible(self, value):
        return value.get_full_name() or value.username

    def render_status(self, record):
        return badge(*record.tone(self.today))

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
        return record.get_likelihood_display()

    def render_consequence(self, record):
        return record.get_consequence_display()

    def render_value(self, record):
        return badge(*record.tone()[:1], record.label())

    def render_covered_by(self, record):
        points = record.control_points.all()
        if points:
            return "; ".join(f"{p.area.number}. {p.description}" for p in points)
        return format_html("<em>{}</em> {}", _("Ej kontrollmoment:"), record.not_covered_reason)
