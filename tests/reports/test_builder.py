"""The report builder: which builders run, what they get, and the report's order."""

import pytest

from federation.reports.builder import ReportError, available_sections, build_year_report

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


def test_a_builder_whose_module_does_not_exist_yet_is_skipped(settings, year_2019):
    settings.REPORT_SECTION_BUILDERS = ["no_such_app.report.build_sections", "tests.reports.fake_sections.build"]
    assert len(build_year_report(fiscal_year=2019).sections) == 5


def test_a_broken_import_inside_an_existing_builder_is_not_hidden(settings, year_2019, tmp_path, monkeypatch):
    (tmp_path / "broken_builder.py").write_text("import no_such_library\n\ndef build(*, fiscal_year):\n    return []\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.REPORT_SECTION_BUILDERS = ["broken_builder.build"]
    with pytest.raises(ModuleNotFoundError):
        build_year_report(fiscal_year=2019)


def test_each_builder_gets_only_the_arguments_it_accepts(settings, year_2019, units, monkeypatch):
    calls = {}

    def with_units(*, fiscal_year, follow_up=None, units=None):
        calls["with_units"] = (fiscal_year, units)
        return []

    def year_only(*, fiscal_year):
        calls["year_only"] = fiscal_year
        return []

    import tests.reports.fake_sections as fake

    monkeypatch.setattr(fake, "with_units", with_units, raising=False)
    monkeypatch.setattr(fake, "year_only", year_only, raising=False)
    settings.REPORT_SECTION_BUILDERS = [
        "tests.reports.fake_sections.with_units",
        "tests.reports.fake_sections.year_only",
    ]
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
