import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from federation.tables import BaseTable

from .models import status_tone


def badge(tone, label):
    """The same markup as ``{% status_badge %}`` (federation/includes/status_badge.html), without a template
    render per cell."""
    return format_html('<span class="status status-{}">{}</span>', tone or "grey", label)


class GoalTreeTable(BaseTable):
    """One row per inriktningsmål, strategi and aktivitet (rows built by the view from ``goal_tree``)."""

    title = tables.Column(verbose_name=_("Mål, strategi, aktivitet"), accessor="obj", orderable=False)
    units = tables.Column(verbose_name=_("Verksamhet"), orderable=False)
    status = tables.Column(verbose_name=_("Bedömning"), accessor="latest", orderable=False, default="")
    indicators = tables.Column(verbose_name=_("Mätetal"), orderable=False, default="")

    class Meta(BaseTable.Meta):
        row_attrs = {"class": lambda record: f"tree-row tree-{record.kind}"}
        empty_text = _("Inga mål matchar urvalet.")

    def render_title(self, record):
        number = f" {record.obj.number}" if getattr(record.obj, "number", "") else ""
        return format_html(
            '<span class="tree-level tree-level-{}"><span class="tree-kind">{}{}:</span> <a href="{}">{}</a></span>',
            record.level,
            record.kind_label,
            number,
            record.url,
            record.obj.title,
        )

    def render_status(self, record):
        html = badge(record.tone, record.status_label)
        latest = record.latest
        if latest:
            html += format_html(' <span class="muted small">{}</span>', latest.follow_up)
            if latest.overridden:
                html += format_html(
                    '<br><span class="small">Föreslaget av utfallet: {}</span>', latest.get_suggested_status_display()
                )
        return html

    def render_indicators(self, record):
        if not record.indicators:
            return ""
        return format_html(
            '<ul class="plain">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> <span class="muted">{}</span></li>',
                (
                    (
                        reverse("goals:indicator", args=[i.pk]),
                        i.name,
                        f"({i.target_display})" if i.target_display else "",
                    )
                    for i in record.indicators
                ),
            ),
        )


class OutcomeTable(BaseTable):
    period = tables.Column(verbose_name=_("Period"), accessor="follow_up", orderable=False)
    dimension = tables.Column(verbose_name=_("Dimension"), accessor="dimension_label", orderable=False, default="–")
    target = tables.Column(verbose_name=_("Målvärde"), accessor="indicator__target_display", orderable=False)
    display = tables.Column(verbose_name=_("Utfall"), orderable=False, attrs={"td": {"class": "num"}})

    class Meta(BaseTable.Meta):
        empty_text = _("Inga utfall registrerade.")


class HistoryTable(BaseTable):
    history_date = tables.DateTimeColumn(verbose_name=_("Ändrad"), format="Y-m-d H:i", orderable=False)
    follow_up = tables.Column(verbose_name=_("Uppföljning"), orderable=False)
    status = tables.Column(verbose_name=_("Bedömning"), orderable=False)
    text = tables.Column(verbose_name=_("Resultat"), orderable=False)
    who = tables.Column(verbose_name=_("Av"), accessor="history_user", orderable=False, default="–")

    class Meta(BaseTable.Meta):
        empty_text = _("Ingen historik ännu.")

    def render_status(self, record):
        html = badge(status_tone(record.status), record.get_status_display())
        if record.suggested_status and record.suggested_status != record.status:
            html += format_html('<br><span class="small">Föreslaget: {}</span>', record.get_suggested_status_display())
        if record.changed_after_approval:
            html += format_html('<br><span class="small">{}</span>', _("Ändrad efter godkännande"))
        return html
