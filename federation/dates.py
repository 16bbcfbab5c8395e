"""Today, the year in progress, and how far a due date has come: one answer for every page, the översikt,
the reminder sweep and the reports.

``today()`` is the only "today" of the app (tests set ``settings.FIXED_TODAY`` to stand on another day);
``year_in_progress()`` the only "current year"; ``due_state()`` the only "due soon / due / overdue"."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FiscalYear, ReminderSent, ReminderSettings
from .status import Tone

# The states share their values with the reminder stages, so a page and the sweep name them alike.
UPCOMING = ReminderSent.Stage.UPCOMING
DUE = ReminderSent.Stage.DUE
OVERDUE = ReminderSent.Stage.OVERDUE

# Words for pages: (tone, word) per state of something not yet done.
STATE_WORDS = {
    OVERDUE: (Tone.RED, _("Försenad")),
    DUE: (Tone.YELLOW, _("Förfallen")),
    UPCOMING: (Tone.YELLOW, _("Förfaller snart")),
    None: (Tone.GREY, _("Ej utförd")),
}


def today() -> datetime.date:
    """The day in Europe/Stockholm, or ``settings.FIXED_TODAY`` (a date) when set — for tests."""
    fixed = getattr(settings, "FIXED_TODAY", None)
    return fixed or timezone.localdate()


def year_in_progress(on: datetime.date | None = None, *, years: list[FiscalYear] | None = None):
    """The fiscal year containing ``on`` (default today), else the latest year that has started, else the
    earliest year; None when there is none. A year that has not started yet (next year's plan adopted in
    December) never replaces the one in progress. From ``years`` when they are already read."""
    on = on or today()
    if years is None:
        years = list(FiscalYear.objects.order_by("-year"))
    years = sorted(years, key=lambda year: year.start, reverse=True)
    started = [year for year in years if year.start <= on]
    return next((year for year in started if year.end >= on), started[0] if started else (years or [None])[-1])


def due_state(*, due_date: datetime.date, on: datetime.date, lead_days: int, rules) -> str | None:
    """How far an open item due on ``due_date`` has come on ``on``: OVERDUE from ``rules.overdue_after_days``
    after the due date, DUE from the due date, UPCOMING within ``lead_days`` before it, else None.

    ``rules`` is the ``ReminderSettings`` (``due_rules()``); the sweep's stages are these states."""
    if on >= due_date + datetime.timedelta(days=rules.overdue_after_days):
        return OVERDUE
    if on >= due_date:
        return DUE
    if on >= due_date - datetime.timedelta(days=lead_days):
        return UPCOMING
    return None


def due_words(state: str | None, *, due_date: datetime.date, on: datetime.date):
    """(tone, word) for a page: "Förfaller i dag" on the day itself, else the state's word."""
    if state == DUE and due_date == on:
        return Tone.YELLOW, ReminderSent.Stage.DUE.label
    return STATE_WORDS[state]


def due_rules():
    """The lead and grace days that decide the states (the reminder settings, or their defaults)."""
    return ReminderSettings.load()
