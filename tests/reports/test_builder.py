"""The report builder: which builders run (those registered), what they get, and the report's order."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from federation.registry import register_report_sections, unregister_report_sections
from federation.reports.builder import ReportError, available_sections, build_year_report
from federation.reports.document import Section
from tests.registry import report_section_builders_replaced

from . import fake_sections

pytestmark = pytest.mark.django_db


def test_sections_come_in_the_order_of_the_annual_report(report):
    assert [section.key for section in report.sections] == [
        "internal-control",
        "goals",
        "unit-navet",
        "unit-medarbetarcentrum",
        "appendix-control-plan",
    ]
    assert report.title == "Årsredovisning 2019"


def test_a_registered_builder_adds_its_sections_until_it_is_unregistered(year_2019):
    def extra(*, fiscal_year, units, follow_up, changes):
        return [Section(title="9 Extra", level=1, key="unit-extra")]

    register_report_sections(extra)
    try:
        keys = [section.key for section in build_year_report(fiscal_year=2019).sections]
        assert keys[-2:] == ["unit-extra", "appendix-control-plan"]
    finally:
        unregister_report_sections(extra)
    assert "unit-extra" not in [section.key for section in build_year_report(fiscal_year=2019).sections]


def test_registering_a_builder_twice_is_an_error():
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_report_sections(fake_sections.build)


def test_an_error_inside_a_builder_is_not_hidden(year_2019):
    def broken(*, fiscal_year, units, follow_up, changes):
        import no_such_library  # noqa: F401

        return []

    with report_section_builders_replaced(broken), pytest.raises(ModuleNotFoundError):
        build_year_report(fiscal_year=2019)


def test_every_builder_gets_the_year_and_the_chosen_units(year_2019, units):
    calls = {}

    def with_units(*, fiscal_year, units, follow_up, changes):
        calls["with_units"] = (fiscal_year, units)
        return []

    def year_only(*, fiscal_year, units, follow_up, changes):
        calls["year_only"] = fiscal_year
        return []

    with report_section_builders_replaced(with_units, year_only):
        build_year_report(fiscal_year=2019, units=[units["navet"]])
    assert calls["with_units"] == (year_2019, [units["navet"]])
    assert calls["year_only"] == year_2019


def test_chosen_sections_and_units_filter_the_report(year_2019, units):
    report = build_year_report(
        fiscal_year=year_2019, sections=["goals", "unit-navet", "unit-medarbetarcentrum"], units=[units["navet"]]
    )
    assert [section.key for section in report.sections] == ["goals", "unit-navet"]


def test_unknown_year_and_section_get_swedish_errors(year_2019):
    with pytest.raises(ReportError, match="Verksamhetsåret 1999 finns inte"):
        build_year_report(fiscal_year=1999)
    with pytest.raises(ReportError, match="Okänt avsnitt: bilaga-9"):
        build_year_report(fiscal_year=2019, sections=["bilaga-9"])


def test_available_sections_lists_keys_and_titles_for_the_chooser(year_2019):
    choices = available_sections(2019)
    assert [(choice.key, choice.title) for choice in choices][0] == ("internal-control", "2.7 Intern kontroll")
    assert choices[-1].title == "Bilaga 2 Internkontrollplan 2019"
