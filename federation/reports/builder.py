"""Assemble the year-end report — the årsredovisning (helår) or the delårsrapport (delår) — from the
section builders the apps register.

Each builder is registered with ``federation.registry.register_report_sections`` and called as
``builder(fiscal_year=…, units=…, follow_up=…, changes=…) -> list[Section]`` (``units`` None for every
unit; ``follow_up`` the delår or helår reported on; ``changes`` adds what changed since the previous
follow-up). The first section, "Sammanfattning", is made here from the lines the apps register with
``register_summary``. This module puts the sections in the order of the annual report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from federation import dates
from federation.models import FiscalYear, FollowUp, Unit
from federation.registry import report_section_builders, report_summaries
from federation.status import tone_word

from .document import Cell, Paragraph, Report, Section, Table, number_report

# The order of the årsredovisning: Sammanfattning, 2.7 Intern kontroll, 4 Måluppfyllelse,
# the units' own sections, Bilaga 2 Internkontrollplan.
SECTION_ORDER = ["summary", "internal-control", "goals", "unit-*", "appendix-control-plan"]
UNIT_PREFIX = "unit-"

# How a follow-up may be named on the command line and in the export options.
FOLLOW_UP_NAMES = {
    "delår": FollowUp.Kind.INTERIM,
    "delar": FollowUp.Kind.INTERIM,
    "interim": FollowUp.Kind.INTERIM,
    "helår": FollowUp.Kind.ANNUAL,
    "helar": FollowUp.Kind.ANNUAL,
    "annual": FollowUp.Kind.ANNUAL,
}


class ReportError(ValueError):
    """Bad input for a report (unknown year, section or unit), with a Swedish message."""


@dataclass(frozen=True)
class SectionChoice:
    key: str
    title: str


def _order_position(key: str) -> int:
    if key.startswith(UNIT_PREFIX):
        return SECTION_ORDER.index("unit-*")
    if key in SECTION_ORDER:
        return SECTION_ORDER.index(key)
    return SECTION_ORDER.index("unit-*")  # unknown keys go with the unit sections, before the appendix


def resolve_fiscal_year(fiscal_year) -> FiscalYear:
    """A FiscalYear from an instance or a year number; Swedish error when unknown."""
    if isinstance(fiscal_year, FiscalYear):
        return fiscal_year
    try:
        return FiscalYear.objects.get(year=int(fiscal_year))
    except (FiscalYear.DoesNotExist, TypeError, ValueError):
        raise ReportError(_("Verksamhetsåret %(year)s finns inte.") % {"year": fiscal_year}) from None


def unit_keys(unit: Unit) -> set[str]:
    """Every spelling a unit section key may use for ``unit``: pk, name, short name, slugs."""
    spellings = {str(unit.pk), unit.name, slugify(unit.name)}
    if unit.short_name:
        spellings |= {unit.short_name, slugify(unit.short_name)}
    return {f"{UNIT_PREFIX}{spelling}" for spelling in spellings}


def default_follow_up(fiscal_year: FiscalYear, follow_ups=None) -> FollowUp | None:
    """The follow-up a report shows unless one is chosen: the latest of the year whose period has ended
    (``federation.dates.today``), else the helår; None for a year without follow-ups. From ``follow_ups``
    (the year's, already read) when given."""
    if follow_ups is None:
        follow_ups = list(FollowUp.objects.filter(fiscal_year=fiscal_year).select_related("fiscal_year"))
    follow_ups = sorted(follow_ups, key=lambda f: f.period_end)
    ended = [f for f in follow_ups if f.period_end <= dates.today()]
    if ended:
        return max(ended, key=lambda f: f.period_end)
    return next((f for f in follow_ups if f.kind == FollowUp.Kind.ANNUAL), follow_ups[-1] if follow_ups else None)


def resolve_follow_up(fiscal_year: FiscalYear, value=None) -> FollowUp | None:
    """The year's follow-up from a FollowUp, a kind ("delår", "delar", "interim", "helår", "helar",
    "annual") or None (``default_follow_up``); Swedish error for an unknown name or a missing follow-up."""
    if isinstance(value, FollowUp):
        return value
    if value in (None, ""):
        return default_follow_up(fiscal_year)
    kind = FOLLOW_UP_NAMES.get(str(value).strip().lower())
    if kind is None:
        raise ReportError(_("Okänd uppföljning: %(value)s. Välj delår eller helår.") % {"value": value})
    follow_up = FollowUp.objects.filter(fiscal_year=fiscal_year, kind=kind).select_related("fiscal_year").first()
    if follow_up is None:
        raise ReportError(
            _("Verksamhetsåret %(year)s har ingen uppföljning för %(kind)s.")
            % {"year": fiscal_year.year, "kind": FollowUp.Kind(kind).label.lower()}
        )
    return follow_up


def summary_sentence(lines) -> str:
    """The lines as one sentence: "Fem av sju inriktningsmål …; 33 av 35 genomförda kontroller …"."""
    parts = [line.text.rstrip(".") for line in lines]
    parts = [part if index == 0 else part[:1].lower() + part[1:] for index, part in enumerate(parts)]
    return "; ".join(parts) + "."


def summary_section(*, fiscal_year: FiscalYear, follow_up: FollowUp | None) -> Section | None:
    """ "Sammanfattning": goal fulfilment and internal control in one table, the lines the apps registered
    (``register_summary``), each sentence in its status colour. None when no app registered any."""
    summaries = report_summaries()
    if not summaries:
        return None
    section = Section(title=_("Sammanfattning"), level=1, key="summary")
    lines = [line for summary in summaries for line in summary.lines(fiscal_year=fiscal_year, follow_up=follow_up)]
    if follow_up is not None:
        section.add(
            Paragraph(
                _("Läget %(as_of)s (%(follow_up)s).") % {"as_of": follow_up.as_of_label, "follow_up": follow_up},
                style="lead",
            )
        )
    if not lines:
        section.add(Paragraph(_("Inget underlag finns ännu för året.")))
        return section
    section.add(Paragraph(summary_sentence(lines)))
    section.add(
        Table(
            title=_("Sammanfattning %(year)s") % {"year": fiscal_year.year},
            header=[_("Område"), _("Läge")],
            rows=[
                [
                    Cell(line.topic, bold=True),
                    Cell(line.text, tone=line.tone, status=line.status or tone_word(line.tone)),
                ]
                for line in lines
            ],
            widths=[1, 3],
        )
    )
    return section


def _collect(fiscal_year: FiscalYear, units, progress=None, *, follow_up=None, changes=False) -> list[Section]:
    units = list(units) if units is not None else None
    summary = summary_section(fiscal_year=fiscal_year, follow_up=follow_up)
    sections: list[Section] = [summary] if summary is not None else []
    builders = report_section_builders()
    for done, builder in enumerate(builders, start=1):
        sections.extend(builder(fiscal_year=fiscal_year, units=units, follow_up=follow_up, changes=changes))
        if progress is not None:
            progress(done, len(builders))
    # Stable sort: builders keep their own order within a slot.
    return sorted(sections, key=lambda section: _order_position(section.key))


def available_sections(fiscal_year, follow_up=None) -> list[SectionChoice]:
    """The sections a report for ``fiscal_year`` (at ``follow_up``, default ``default_follow_up``) can
    have, in report order (for the chooser)."""
    year = resolve_fiscal_year(fiscal_year)
    follow_up = follow_up or default_follow_up(year)
    return [SectionChoice(section.key, section.title) for section in _collect(year, None, follow_up=follow_up)]


def report_title(*, fiscal_year: FiscalYear, follow_up: FollowUp | None) -> str:
    """ "Delårsrapport 2019 – per 2019-08-31" for a delår, "Årsredovisning 2019" for the helår."""
    if follow_up is not None and follow_up.kind == FollowUp.Kind.INTERIM:
        return _("Delårsrapport %(year)s – %(as_of)s") % {"year": fiscal_year.year, "as_of": follow_up.as_of_label}
    return _("Årsredovisning %(year)s") % {"year": fiscal_year.year}


def resolve_units(values) -> list[Unit]:
    """Units from pks, names or short names; Swedish error naming the unknown ones."""
    units, unknown = [], []
    all_units = list(Unit.objects.all())
    for value in values:
        text = str(value).strip()
        if isinstance(value, Unit):
            units.append(value)
            continue
        match = next(
            (
                unit
                for unit in all_units
                if text in {str(unit.pk), unit.name, unit.short_name, slugify(unit.name)} and text
            ),
            None,
        )
        if match is None:
            unknown.append(text)
        else:
            units.append(match)
    if unknown:
        raise ReportError(_("Okänd verksamhet: %(names)s") % {"names": ", ".join(unknown)})
    return units


def build_year_report(
    *, fiscal_year, sections=None, units=None, progress=None, follow_up=None, changes: bool = False
) -> Report:
    """The report for ``fiscal_year`` at ``follow_up`` (a FollowUp or "delår"/"helår"; default
    ``default_follow_up``): every section, or only the keys in ``sections``; unit sections only for
    ``units`` (Unit objects) when given; with ``changes``, what changed since the previous follow-up.
    ``progress(done, total)`` is called after each builder.

    Raises ReportError (Swedish) for an unknown year, follow-up or section key."""
    year = resolve_fiscal_year(fiscal_year)
    chosen = resolve_follow_up(year, follow_up)
    units = list(units) if units is not None else None
    # Numbered before any section is left out, so a heading or table keeps its number in a partial report.
    collected = number_report(
        Report(title="", sections=_collect(year, units, progress, follow_up=chosen, changes=changes))
    ).sections
    if sections is not None:
        wanted = list(sections)
        known = {section.key for section in collected}
        unknown = [key for key in wanted if key not in known]
        if unknown:
            raise ReportError(_("Okänt avsnitt: %(keys)s") % {"keys": ", ".join(unknown)})
        collected = [section for section in collected if section.key in wanted]
    if units is not None:
        allowed = set().union(*(unit_keys(unit) for unit in units)) if units else set()
        collected = [
            section for section in collected if not section.key.startswith(UNIT_PREFIX) or section.key in allowed
        ]
    subtitle = _("Förvaltningsberättelse: intern kontroll och måluppfyllelse, med bilagor")
    if chosen is not None:
        subtitle = f"{subtitle}. {_('Läget %(as_of)s.') % {'as_of': chosen.as_of_label}}"
    return Report(title=report_title(fiscal_year=year, follow_up=chosen), subtitle=subtitle, sections=collected)


def table_row_count(report: Report) -> int:
    """How big a report is, in table rows (decides between direct and background export)."""
    return sum(len(table.rows) for table in report.tables() if isinstance(table, Table))
