"""Översikt: where the year stands, as the frame of the start page plus the panels the apps register.

The frame (``templates/federation/home.html``) holds the year selector and "Läget per …"; each panel
(``federation.registry.OverviewPanel``) gives its template and the variables for it, read-only and in
a constant number of queries whatever the number of rows."""

import datetime
from dataclasses import dataclass
from typing import Any

from federation.models import FiscalYear
from federation.registry import overview_panels


@dataclass(frozen=True)
class RenderedPanel:
    """A panel ready for the page: its template and the variables ``context`` returned."""

    template_name: str
    context: dict[str, Any]


def year_overview(*, fiscal_year: FiscalYear, today: datetime.date, user) -> dict:
    """The day the page speaks of and every registered panel, in order, for ``fiscal_year``.

    The day is always today (``federation.dates.today``), whichever year is shown: a past year's open checks
    are as overdue here as on Mina kontroller and in the reminders."""
    on = today
    panels = [
        RenderedPanel(panel.template_name, panel.context(fiscal_year=fiscal_year, on=on, user=user))
        for panel in overview_panels()
    ]
    return {"on": on, "panels": panels}
