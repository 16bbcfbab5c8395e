import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from federation.people import person_name
from federation.tables import BaseTable, PlainRowsMixin

from .models import status_tone


def badge(tone, label):
    """The same markup as ``{% status_badge %}`` (federation/templatetags/status.py), without a template
    render per cell."""
    return format_html('<span class="status status-{}">{}</span>', tone or "grey", label)


class OutcomeTable(PlainRowsMixin, BaseTable):
    period = tables.Column(verbose_name=_("Period"), accessor="follow_up", orderable=False)
    dimension = tables.Column(verbose_name=_("Dimension"), accessor="dimension_label", orderable=False, default="–")
    target = tables.Column(verbose_name=_("Målvärde"), accessor="indicator__target_display", orderable=False)
    display = tables.Column(verbose_name=_("Utfall"), orderable=False, attrs={"td": {"class": "num"}})

    class Meta(BaseTable.Meta):
        empty_text = _("Inga utfall registrerade.")
        template_name = "federation/_plain_table.html"

    # Cells for PlainRowsMixin.plain_rows (the same as the columns above render); labels made once per table.
    def cell_period(self, record):
        labels = self.__dict__.setdefault("period_labels", {})
        if record.follow_up_id not in labels:
            labels[record.follow_up_id] = str(record.follow_up)
        return labels[record.follow_up_id]

    def cell_dimension(self, record):
        return record.dimension_label or "–"

    def cell_target(self, record):
        targets = self.__dict__.setdefault("targets", {})
        if record.indicator_id not in targets:
            targets[record.indicator_id] = self.value_or_default(record.indicator.target_display)
        return targets[record.indicator_id]

    def cell_display(self, record):
        return self.value_or_default(record.display)


class HistoryTable(BaseTable):
    history_date = tables.DateTimeColumn(verbose_name=_("Ändrad"), format="Y-m-d H:i", orderable=False)
    follow_up = tables.Column(verbose_name=_("Uppföljning"), orderable=False)
    status = tables.Column(verbose_name=_("Bedömning"), orderable=False)
    text = tables.Column(verbose_name=_("Resultat"), orderable=False)
    who = tables.Column(verbose_name=_("Av"), accessor="history_user", orderable=False, default="–")

    class Meta(BaseTable.Meta):
        empty_text = _("Ingen historik ännu.")

    def render_who(self, value):
        return person_name(value)

    def render_status(self, record):
        html = badge(status_tone(record.status), record.get_status_display())
        if record.suggested_status and record.suggested_status != record.status:
            html += format_html('<br><span class="small">Föreslaget: {}</span>', record.get_suggested_status_display())
        if record.changed_after_approval:
            html += format_html('<br><span class="small">{}</span>', _("Ändrad efter godkännande"))
        return html
