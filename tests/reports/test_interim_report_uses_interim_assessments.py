"""The delårsrapport and the årsredovisning come from the same model: the delår report shows the delår's
assessments and outcomes (not the helår's) and says "per 2019-08-31"."""

import pytest

from federation.reports.builder import build_year_report
from federation.reports.document import Paragraph, Section, Table

from ._goal_data import goal_plan

pytestmark = pytest.mark.django_db


def texts(blocks):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield block.title
            yield from block.header
            for row in block.cells():
                yield from (cell.text for cell in row)
        elif isinstance(block, Section):
            yield block.title
            yield from texts(block.blocks)


def goal_statuses(report):
    goals = next(section for section in report.sections if section.key == "goals")
    direction = next(block for block in goals.blocks if block.key == "goals-direction")
    table = next(block for block in direction.blocks if isinstance(block, Table))
    return {row[0].text: row[1].text for row in table.cells()}


def test_the_interim_report_shows_the_interim_assessments_and_says_per_31_august(registered_builders):
    goal_plan()
    report = build_year_report(fiscal_year=2019, follow_up="delår")
    assert report.title == "Delårsrapport 2019 – per 2019-08-31"
    assert goal_statuses(report) == {"Företagande": "Pågår", "Kompetens": "Uppfyllt"}
    text = "\n".join(texts(report.sections))
    assert "Måluppfyllelsen per 2019-08-31 (Delår 2019)." in text
    assert "utfall 40" in text and "utfall 95" not in text


def test_the_annual_report_shows_the_annual_assessments(registered_builders):
    goal_plan()
    report = build_year_report(fiscal_year=2019, follow_up="helar")
    assert report.title == "Årsredovisning 2019"
    assert goal_statuses(report) == {"Företagande": "Ej uppfyllt", "Kompetens": "Ej uppfyllt"}
    assert "utfall 95" in "\n".join(texts(report.sections))


def test_every_builder_gets_the_follow_up_and_whether_to_show_changes(year_2019):
    from federation.models import FollowUp
    from tests.registry import report_section_builders_replaced

    calls = []

    def builder(*, fiscal_year, units, follow_up, changes):
        calls.append((follow_up, changes))
        return []

    with report_section_builders_replaced(builder):
        build_year_report(fiscal_year=2019, follow_up="interim", changes=True)
    assert calls == [(FollowUp.objects.get(fiscal_year=year_2019, kind="interim"), True)]
