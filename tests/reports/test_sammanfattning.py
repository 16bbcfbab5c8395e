"""The report opens with a Sammanfattning: goal fulfilment and internal control in computed sentences,
in the status words and colours, for the chosen follow-up."""

import pytest

from federation.reports.builder import build_year_report
from federation.reports.document import Table

from ._goal_data import goal_plan

pytestmark = pytest.mark.django_db


def summary(report):
    section = report.sections[0]
    assert (section.key, section.title) == ("summary", "Sammanfattning")
    table = next(block for block in section.blocks if isinstance(block, Table))
    return section, {row[0].text: (row[1].text, row[1].tone) for row in table.cells()}


def test_the_interim_summary_is_computed_from_the_interim_assessments(registered_builders):
    goal_plan()
    section, lines = summary(build_year_report(fiscal_year=2019, follow_up="delår"))
    assert section.blocks[0].text == "Läget per 2019-08-31 (Delår 2019)."
    assert lines["Inriktningsmål"] == ("Ett av två inriktningsmål bedöms helt uppfyllt, ett pågående.", "yellow")
    assert lines["Strategier"] == ("1 strategi: delvis uppfyllt 1.", "yellow")
    assert lines["Intern kontroll"] == ("Det finns ingen intern kontrollplan för 2019.", "grey")
    assert section.blocks[1].text.startswith("Ett av två inriktningsmål bedöms helt uppfyllt, ett pågående; 1 strategi")


def test_the_annual_summary_says_red_when_goals_are_not_met(registered_builders):
    goal_plan()
    _section, lines = summary(build_year_report(fiscal_year=2019, follow_up="helår"))
    assert lines["Inriktningsmål"] == ("Alla två inriktningsmål bedöms ej uppfyllda.", "red")
    assert lines["Strategier"] == ("1 strategi: ej bedömd 1.", "grey")
