"""Frequencies as real internkontrollplaner write them.

``parse_frequency`` is the one place that understands how plans write how often a
kontrollmoment is checked, and turns the text into a ``Frequency``, which knows the
due dates of a year. The accepted forms are the table ``ACCEPTED_FORMS`` below (any
case and spacing); the user guide lists the same table. Anything else is a Swedish
error that names them.

The text is parsed once, when a kontrollmoment is written (``ControlPoint.clean``,
which the admin's forms, the plan import and every service run): the fields of the
``Frequency`` are stored on the kontrollmoment (``per_year``, ``continuous``,
``months``, ``event_driven``) and everything that reads — due dates, check
generation, pages, reports, reminders — builds the ``Frequency`` from those stored
fields (``ControlPoint.frequency``), never from the text. The text itself is kept,
in the plan's own words, for display.

Three kinds of frequency:
- **scheduled**: ``per_year`` checks evenly spaced (due at the end of each period:
  month, kvartal, tertial, halvår, year; weekly checks are due each Sunday), or in
  named ``months`` ("Mars, augusti, december" → the last day of each);
- **continuous** ("Löpande"): checked during the year, one check due 31 December,
  alone or beside a schedule ("Kvartalsvis samt löpande");
- **event-driven** ("Vid behov", "Vid varje nyanställning", "Inför varje
  nämndsammanträde"): no due date; a check is logged when the event happens.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Evenly spaced schedules: times per year that split a year into whole months, and weekly.
WEEKLY = 52
ALLOWED_PER_YEAR = (1, 2, 3, 4, 6, 12, WEEKLY)

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7, "augusti": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "okt": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NAMES = [name for name, number in MONTHS.items() if len(name) > 4 or name in ("mars", "maj", "juni", "juli")]

# The one table of accepted forms: (example as written, what it means). Words in the same group mean the
# same; the parser reads the normalised text (lower case, single spaces).
_PER_YEAR_WORDS = {
    12: ["månadsvis", "varje månad", "en gång i månaden", "en gång per månad", "månatligen", "månatlig", "månad",
         "per månad", "1 gång/månad", "1 ggr/månad"],
    4: ["kvartalsvis", "kvartal", "varje kvartal", "per kvartal", "en gång per kvartal", "1 gång/kvartal"],
    3: ["tertialvis", "tertial", "varje tertial", "per tertial", "en gång per tertial", "1 gång/tertial"],
    2: ["halvårsvis", "halvår", "varje halvår", "per halvår", "två gånger per år", "två gånger om året",
        "2 gånger per år", "halvårs"],
    1: ["årligen", "årsvis", "årlig", "en gång per år", "en gång om året", "varje år", "per år", "1 gång per år",
        "en gång/år", "år"],
    WEEKLY: ["veckovis", "varje vecka", "en gång i veckan", "en gång per vecka", "per vecka"],
}  # fmt: skip
_WORD_PER_YEAR = {word: n for n, words in _PER_YEAR_WORDS.items() for word in words}
_NUMBER_WORDS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "sex": 6, "tolv": 12}
_COUNT = re.compile(r"^(\d{1,2}|en|ett|två|tre|fyra|sex|tolv) ?(?:ggr|gång|gånger|g)/år$")
_CONTINUOUS = {"löpande", "löpande under året", "löpande under hela året", "kontinuerligt", "fortlöpande",
               "löpande kontroll", "löpande/kontinuerligt"}  # fmt: skip
_EVENT = re.compile(r"^(vid behov|vid |inför |efter |i samband med |när |varje gång |i anslutning till )")
_ALSO_CONTINUOUS = re.compile(r"^(.*?)\s*(?:,|samt|och|\+)\s*(?:" + "|".join(sorted(_CONTINUOUS)) + r")$")

ACCEPTED_FORMS = [
    ("Månadsvis, Varje månad, Månatligen, 12 ggr/år", _("tolv gånger per år (varje månads sista dag)")),
    ("Kvartalsvis, Kvartal, Varje kvartal, 4 ggr/år", _("fyra gånger per år (kvartalens sista dag)")),
    ("Tertialvis, Tertial, Varje tertial, Per tertial, 3 ggr/år", _("tre gånger per år (april, augusti, december)")),
    ("Halvårsvis, Halvår, Två gånger per år, 2 ggr/år", _("två gånger per år (juni och december)")),
    ("Årligen, En gång per år, 1 ggr/år, 1 gång/år", _("en gång per år (31 december)")),
    ("6 ggr/år", _("sex gånger per år (varannan månad)")),
    ("Veckovis, Varje vecka", _("varje vecka (söndagar)")),
    ("Mars, augusti, december", _("de namngivna månadernas sista dag")),
    ("Löpande, Löpande under året", _("löpande under året (en kontroll 31 december)")),
    ("Kvartalsvis samt löpande", _("en frekvens ovan och dessutom löpande")),
    (
        "Vid behov, Vid varje nyanställning, Inför varje nämndsammanträde",
        _("händelsestyrd: inget fast datum, registreras när det händer"),
    ),
]


def accepted_forms_text() -> str:
    return "; ".join(f"”{forms}”" for forms, _meaning in ACCEPTED_FORMS)


@dataclass(frozen=True)
class Frequency:
    """``per_year`` scheduled checks (0 = none scheduled), or in the named ``months``; plus ``continuous``
    checking during the year ("löpande"); or ``event_driven``: no schedule, a check per event."""

    per_year: int
    continuous: bool = False
    months: tuple[int, ...] = ()
    event_driven: bool = False

    def due_dates(self, year: int) -> list[datetime.date]:
        """The last day of each period of ``year`` (each named month; each Sunday for weekly);
        "Löpande" alone gives one date, 31 December; event-driven checks have none."""
        if self.event_driven:
            return []
        if self.months:
            return [datetime.date(year, m, calendar.monthrange(year, m)[1]) for m in self.months]
        if self.per_year == 0:
            return [datetime.date(year, 12, 31)]
        if self.per_year == WEEKLY:
            day = datetime.date(year, 1, 1)
            day += datetime.timedelta(days=6 - day.weekday())
            dates = []
            while day.year == year:
                dates.append(day)
                day += datetime.timedelta(days=7)
            return dates
        step = 12 // self.per_year
        return [
            datetime.date(year, k * step, calendar.monthrange(year, k * step)[1]) for k in range(1, self.per_year + 1)
        ]

    def label(self) -> str:
        """The frequency in canonical words."""
        if self.event_driven:
            return _("Vid behov (händelsestyrd)")
        if self.months:
            names = [MONTH_NAMES[m - 1] for m in self.months]
            base = (", ".join(names[:-1]) + " och " + names[-1]) if len(names) > 1 else names[0]
            base = base.capitalize()
        elif self.per_year == 0:
            return _("Löpande")
        else:
            words = {12: "Månadsvis", 4: "Kvartalsvis", WEEKLY: "Veckovis"}
            base = words.get(self.per_year) or ("1 gång/år" if self.per_year == 1 else f"{self.per_year} ggr/år")
        return f"{base} samt löpande" if self.continuous else base


# The stored ``per_year`` values with their canonical words, for filters.
PER_YEAR_CHOICES = [(n, Frequency(n).label()) for n in (0, *ALLOWED_PER_YEAR)]


def _normalise(text: str) -> str:
    text = (text or "").strip().lower().replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).rstrip(".")
    # "2 ggr / år", "2ggr/år", "2 ggr per år", "2 ggr om året" all mean the same.
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+(?:per|om|i) (?:år|året)$", "/år", text)
    text = re.sub(r"(\d)\s*(ggr|gång|gånger)", r"\1 \2", text)
    return text


def _months(text: str) -> tuple[int, ...] | None:
    """ "Mars, augusti, december" / "mars och oktober" → (3, 8, 12); None if not a list of months."""
    parts = [part for part in re.split(r"\s*(?:,|;|\boch\b|&|\+|/)\s*", text) if part]
    if not parts:
        return None
    numbers = []
    for part in parts:
        number = MONTHS.get(part.strip().rstrip("."))
        if number is None:
            return None
        numbers.append(number)
    return tuple(sorted(set(numbers)))


def _scheduled(main: str) -> Frequency | None:
    per_year = _WORD_PER_YEAR.get(main)
    if per_year is not None:
        return Frequency(per_year=per_year)
    count = _COUNT.match(main)
    if count:
        word = count.group(1)
        per_year = int(word) if word.isdecimal() else _NUMBER_WORDS[word]
        if per_year not in ALLOWED_PER_YEAR:
            raise ValidationError(
                _(
                    "Frekvensen ”%(text)s” delar inte året i hela månader "
                    "(tillåtet: 1, 2, 3, 4, 6 eller 12 gånger per år, eller namngivna månader)."
                )
                % {"text": main}
            )
        return Frequency(per_year=per_year)
    months = _months(main)
    if months:
        return Frequency(per_year=len(months), months=months)
    return None


def parse_frequency(text: str) -> Frequency:
    """Parse a frequency as written in a plan; ``ValidationError`` (Swedish) if it is not understood."""
    normalised = _normalise(text)
    if not normalised:
        raise ValidationError(_("Frekvens saknas. Godtagna skrivsätt: %(forms)s.") % {"forms": accepted_forms_text()})
    if normalised in _CONTINUOUS:
        return Frequency(per_year=0, continuous=True)
    if _EVENT.match(normalised):
        return Frequency(per_year=0, event_driven=True)
    frequency = _scheduled(normalised)
    if frequency is None:
        match = _ALSO_CONTINUOUS.match(normalised)
        if match:
            main = _scheduled(match.group(1))
            if main is not None:
                frequency = Frequency(per_year=main.per_year, months=main.months, continuous=True)
    if frequency is None:
        raise ValidationError(
            _("Okänd frekvens ”%(text)s”. Godtagna skrivsätt: %(forms)s.")
            % {"text": (text or "").strip(), "forms": accepted_forms_text()}
        )
    return frequency
