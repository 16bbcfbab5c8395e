"""Assemble the year-end report from the section builders the apps register.

Each builder is registered with ``federation.registry.register_report_sections`` and
called as ``builder(fiscal_year=…, units=…) -> list[Section]`` (``units`` None for
every unit). This module puts the sections in the order of the annual report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _

from federation.models import FiscalYear, Unit
from federation.registry import report_section_builders

from .document import Report, Section, Table, number_report

# The order of the årsredovisning: 2.7 Intern kontroll, 4 Måluppfyllelse,
# the units' own sections, Bilaga 2 Internkontrollplan.
SECTION_ORDER = ["internal-control", "goals", "unit-*", "appendix-control-plan"]
UNIT_PREFIX = "unit-"


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


def _collect(fiscal_year: FiscalYear, units, progress=None) -> list[Section]:
    units = list(units) if units is not None else None
    sections: list[Section] = []
    builders = report_section_builders()
    for done, builder in enumerate(builders, start=1):
        sections.extend(builder(fiscal_year=fiscal_year, units=units))
        if progress is not None:
            progress(done, len(builders))
    # Stable sort: builders keep their own order within a slot.
    return sorted(sections, key=lambda section: _order_position(section.key))


def available_sections(fiscal_year) -> list[SectionChoice]:
    """The sections a report for ``fiscal_year`` can have, in report order (for the chooser)."""
    year = resolve_fiscal_year(fiscal_year)
    return [SectionChoice(section.key, section.title) for section in _collect(year, None)]


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


def build_year_report(*, fiscal_year, sections=None, units=None, progress=None) -> Report:
    """The report for ``fiscal_year``: every section, or only the keys in
    ``sections``; unit sections only for ``units`` (Unit objects) when given.
    ``progress(done, total)`` is called after each builder.

    Raises ReportError (Swedish) for an unknown year or section key."""
    year = resolve_fiscal_year(fiscal_year)
    units = list(units) if units is not None else None
    # Numbered before any section is left out, so a heading or table keeps its number in a partial report.
    collected = number_report(Report(title="", sections=_collect(year, units, progress))).sections
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
    return Report(
        title=_("Årsredovisning %(year)s") % {"year": year.year},
        subtitle=_("Förvaltningsberättelse: intern kontroll och måluppfyllelse, med bilagor"),
        sections=collected,
    )


def table_row_count(report: Report) -> int:
    """How big a report is, in table rows (decides between direct and background export)."""
    return sum(len(table.rows) for table in report.tables() if isinstance(table, Table))
