"""Frequencies as real internkontrollplaner write them.

``parse_frequency`` is the one place that understands "Månadsvis",
"Kvartalsvis", "2 ggr/år", "1 gång/år", "1gång/år", "1 gång/år samt löpande"
and "Löpande" (any spacing and case) and turns them into a ``Frequency``,
which knows the due dates of a year (the ends of its periods).

The text is parsed once, when a kontrollmoment is written (``ControlPoint.clean``,
which the admin's forms, the plan import and every service run): the fields of
the ``Frequency`` are stored on the kontrollmoment (``per_year``, ``continuous``)
and everything that reads — due dates, check generation, pages, reports,
reminders — builds the ``Frequency`` from those stored fields
(``ControlPoint.frequency``), never from the text. The text itself is kept, in
the plan's own words, for display.

To understand more (named months such as "Mars och oktober", event-driven checks
such as "Vid behov"), give ``Frequency`` the new fields (e.g. ``months``, a tuple
of the months whose ends are due, empty meaning evenly spaced by ``per_year``,
and ``event_driven``), teach ``parse_frequency`` the words, and store the same
fields on ``ControlPoint`` (its ``frequency`` property maps one to the other)."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Times per year that split a year into whole months.
ALLOWED_PER_YEAR = (1, 2, 3, 4, 6, 12)

_WORD_PER_YEAR = {"månadsvis": 12, "kvartalsvis": 4, "halvårsvis": 2, "årligen": 1, "årsvis": 1}
_COUNT = re.compile(r"^(\d{1,2})(?:ggr|gång|gånger)/år$")
_CONTINUOUS = "löpande"


@dataclass(frozen=True)
class Frequency:
    """``per_year`` scheduled checks (0 = none scheduled), plus ``continuous``
    checking during the year ("löpande")."""

    per_year: int
    continuous: bool = False

    def due_dates(self, year: int) -> list[datetime.date]:
        """The last day of each period of ``year``; "Löpande" alone gives one date, 31 December."""
        if self.per_year == 0:
            return [datetime.date(year, 12, 31)]
        months = 12 // self.per_year
        dates = []
        for k in range(1, self.per_year + 1):
            month = k * months
            dates.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
        return dates

    def label(self) -> str:
        """The frequency in the plan's own words (canonical spelling)."""
        words = {12: "Månadsvis", 4: "Kvartalsvis"}
        if self.per_year == 0:
            return "Löpande"
        base = words.get(self.per_year) or ("1 gång/år" if self.per_year == 1 else f"{self.per_year} ggr/år")
        return f"{base} samt löpande" if self.continuous else base


# The stored ``per_year`` values with their canonical words, for fields and filters.
PER_YEAR_CHOICES = [(n, Frequency(n).label()) for n in (0, *ALLOWED_PER_YEAR)]


def _normalise(text: str) -> str:
    text = (text or "").strip().lower()
    text = re.sub(r"\s+", " ", text)
    # "2 ggr / år", "2ggr/år", "2 ggr per år" all mean the same.
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+per\s+år$", "/år", text)
    return text


def parse_frequency(text: str) -> Frequency:
    """Parse a frequency as written in a plan; ``ValidationError`` (Swedish) if it is not understood."""
    normalised = _normalise(text)
    if not normalised:
        raise ValidationError(_("Frekvens saknas. Skriv t.ex. ”Månadsvis”, ”Kvartalsvis”, ”2 ggr/år” eller ”Löpande”."))
    continuous = False
    main = normalised
    if normalised == _CONTINUOUS:
        return Frequency(per_year=0, continuous=True)
    match = re.match(r"^(.*?)\s*(?:samt|och|\+)\s*löpande$", normalised)
    if match:
        continuous = True
        main = match.group(1)
    per_year = _WORD_PER_YEAR.get(main)
    if per_year is None:
        count = _COUNT.match(main.replace(" ", ""))
        if count:
            per_year = int(count.group(1))
            if per_year not in ALLOWED_PER_YEAR:
                raise ValidationError(
                    _(
                        "Frekvensen ”%(text)s” delar inte året i hela månader "
                        "(tillåtet: 1, 2, 3, 4, 6 eller 12 gånger per år)."
                    )
                    % {"text": text.strip()}
                )
    if per_year is None:
        raise ValidationError(
            _(
                "Okänd frekvens ”%(text)s”. Skriv t.ex. ”Månadsvis”, ”Kvartalsvis”, ”2 ggr/år”, "
                "”1 gång/år”, ”1 gång/år samt löpande” eller ”Löpande”."
            )
            % {"text": (text or "").strip()}
        )
    return Frequency(per_year=per_year, continuous=continuous)
