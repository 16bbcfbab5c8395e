"""The internal control in a report is its state on the follow-up's date: what was performed later was
still open then (and overdue by the one rule of federation.dates), an åtgärd opened later is not counted."""

import datetime

import pytest

from federation.models import FollowUp
from federation.reports.builder import build_year_report
from internalcontrol.models import Action, Check, Deviation
from internalcontrol.report import state_on, summary_lines
from tests.factories import UserFactory
from tests.internalcontrol.factories import adopted_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2019(settings):
    settings.FIXED_TODAY = datetime.date(2020, 3, 1)
    plan = adopted_plan(year=2019, points=2, frequency="1 gång/år")
    first, second = Check.objects.filter(control_point__area__plan=plan).order_by("control_point__order")
    Check.objects.filter(pk=first.pk).update(
        due_date=datetime.date(2019, 6, 30), performed_on=datetime.date(2019, 6, 15), result="ok"
    )
    Check.objects.filter(pk=second.pk).update(
        due_date=datetime.date(2019, 6, 30),
        performed_on=datetime.date(2019, 10, 1),
        result="remark",
        severity="medium",
    )
    user = UserFactory()
    deviation = Deviation.objects.create(check_item=second, description="Två fakturor saknade attest", recorded_by=user)
    Action.objects.create(
        deviation=deviation,
        control_point=second.control_point,
        description="Påminn om attestordningen",
        responsible=user,
        deadline=datetime.date(2019, 12, 1),
    )
    return plan


def test_at_the_interim_date_the_later_check_is_open_and_overdue_and_no_action_is_open(plan_2019):
    state = state_on(2019, datetime.date(2019, 8, 31))
    checks = state["checks"]
    assert (checks["done"], checks["ok"], checks["remark"], checks["overdue"]) == (1, 1, 0, 1)
    assert state["actions"] == {"open": 0, "overdue": 0}


def test_at_the_year_end_the_remark_and_its_overdue_action_count(plan_2019):
    state = state_on(2019, datetime.date(2019, 12, 31))
    checks = state["checks"]
    assert (checks["done"], checks["ok"], checks["remark"], checks["overdue"]) == (2, 1, 1, 0)
    assert state["actions"] == {"open": 1, "overdue": 1}


def test_the_summary_and_section_2_7_speak_of_the_interim_date(plan_2019, registered_builders):
    interim = FollowUp.objects.get(fiscal_year__year=2019, kind="interim")
    lines = {line.topic: (line.text, line.tone) for line in summary_lines(fiscal_year=2019, follow_up=interim)}
    assert lines["Kontroller"] == (
        "1 av 1 genomförda kontroller utan anmärkning (1 av 2 planerade), 1 försenad.",
        "red",
    )
    assert lines["Åtgärder"] == ("Inga åtgärder öppna.", "green")
    report = build_year_report(fiscal_year=2019, follow_up="delår", sections=["internal-control"])
    section = report.sections[0]
    assert "läget per 2019-08-31 redovisas nedan" in section.blocks[0].text
    actions = section.blocks[1]
    assert [row[0].text for row in actions.cells()] == ["Inga öppna avvikelser eller åtgärder."]


def test_the_interim_report_knows_nothing_decided_or_reviewed_after_its_date(plan_2019, registered_builders):
    from internalcontrol.models import ReviewArea
    from internalcontrol.report import RESULTS_AT_YEAR_END
    from tests.factories import DecisionFactory

    adopted_plan(year=2020, decision_date=datetime.date(2019, 12, 6))
    plan_2019.report_decision = DecisionFactory(date=datetime.date(2020, 2, 20), paragraph="§ 9")
    plan_2019.save(update_fields=["report_decision"])
    ReviewArea.objects.filter(plan=plan_2019).update(result_text="Rutinen reviderad i december")

    interim = build_year_report(
        fiscal_year=2019, follow_up="delår", sections=["internal-control", "appendix-control-plan"]
    )
    annual = build_year_report(
        fiscal_year=2019, follow_up="helår", sections=["internal-control", "appendix-control-plan"]
    )

    def text(report):
        return " ".join(
            [block.text for section in report.sections for block in section.blocks if hasattr(block, "text")]
            + [cell.text for table in report.tables() for row in table.cells() for cell in row]
            + [note for table in report.tables() for note in table.footnotes]
        )

    assert "2019-12-06" not in text(interim) and "Intern kontrollplan 2020 är ännu inte beslutad" in text(interim)
    assert "Avrapporterad" not in text(interim) and "Rutinen reviderad" not in text(interim)
    assert RESULTS_AT_YEAR_END in text(interim)
    assert "2019-12-06" in text(annual) and "Avrapporterad" in text(annual) and "Rutinen reviderad" in text(annual)
