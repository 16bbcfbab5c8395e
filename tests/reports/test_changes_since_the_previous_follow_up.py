"""With changes, the report lists what changed since the previous follow-up (delår: last year's helår;
helår: the same year's delår): assessments that moved from → to, outcomes added, målvärden revised."""

import datetime

import pytest
from django.utils import timezone

from federation.reports.builder import build_year_report
from federation.reports.document import Section, Table
from goals.services import indicator_target_revise
from tests.goals.factories import director

from ._goal_data import goal_plan

pytestmark = pytest.mark.django_db


def changes(report, title_start):
    goals = next(section for section in report.sections if section.key == "goals")
    section = next(b for b in goals.blocks if isinstance(b, Section) and b.title.startswith(title_start))
    return {table.title: [[cell.text for cell in row] for row in table.cells()] for table in section.blocks}


def test_the_interim_report_compares_with_last_years_annual(registered_builders):
    goal_plan()
    report = build_year_report(fiscal_year=2019, follow_up="delår", changes=True)
    tables = changes(report, "4.4 Förändringar sedan helår 2018 (per 2018-12-31)")
    assert ["Företagande", "Uppfyllt", "Pågår"] in tables["Ändrade bedömningar"]
    assert ["Kompetens", "Ej bedömd", "Uppfyllt"] in tables["Ändrade bedömningar"]
    assert tables["Nya utfall"] == [["Nya företag", "40", "–"]]


def test_the_annual_report_compares_with_the_interim_and_lists_a_revised_target(registered_builders):
    data = goal_plan()
    revision = indicator_target_revise(
        data["indicator"], target=120, reason="Fler etableringar än väntat", user=director()
    )
    revision.changed_at = timezone.make_aware(datetime.datetime(2019, 10, 2, 10))
    revision.save()
    report = build_year_report(fiscal_year=2019, follow_up="helår", changes=True)
    tables = changes(report, "4.4 Förändringar sedan delår 2019 (per 2019-08-31)")
    assert ["Företagande", "Pågår", "Ej uppfyllt"] in tables["Ändrade bedömningar"]
    assert ["Kompetens", "Uppfyllt", "Ej uppfyllt"] in tables["Ändrade bedömningar"]
    assert tables["Nya utfall"] == [["Nya företag", "95", "40"]]
    [row] = tables["Ändrade målvärden"]
    assert row[:4] == ["Nya företag", "Minst 90 antal", "Minst 120 antal", "2019-10-02"]
    assert row[5] == "Fler etableringar än väntat"


def test_without_changes_there_is_no_changes_section(registered_builders):
    goal_plan()
    report = build_year_report(fiscal_year=2019, follow_up="helår")
    goals = next(section for section in report.sections if section.key == "goals")
    assert not [b for b in goals.blocks if isinstance(b, Section) and "Förändringar" in b.title]
    assert not any("Förändringar" in t.title for t in report.tables() if isinstance(t, Table))
