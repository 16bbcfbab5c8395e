"""The follow-up tjänsteskrivelse counts an event-driven kontrollmoment as what it is ("Händelsestyrd", with
its registered checks), words its counts in Swedish singular and plural, colours no count, and lists the
open åtgärder of its own plan, those carried in from an earlier year marked so."""

import datetime

import pytest

from internalcontrol.drafts import REPORT, _follow_up_summary, _plan_summary, draft_report, follow_up_table
from internalcontrol.models import Check, ControlPoint
from internalcontrol.report import open_actions_table
from internalcontrol.services import (
    check_log_event,
    check_log_result,
    checks_generate,
    deviation_record,
    plan_copy_to_year,
)
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2019, 9, 2)


@pytest.fixture
def year_2019(settings):
    """A 2019 plan: "Vid varje nyanställning" with two registered events, and a quarterly kontrollmoment whose
    first check had a remark with one avvikelse and its åtgärd."""
    settings.FIXED_TODAY = TODAY
    role = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(role=role, frequency="Vid varje nyanställning")
    area = plan.areas.get()
    ControlPointFactory(area=area, order=10, description="Kvartalskontroll", frequency_text="Kvartalsvis",
                        responsible_role=role)  # fmt: skip
    checks_generate(plan=plan)
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    event = ControlPoint.objects.get(area=area, event_driven=True)
    for day in (D(2019, 3, 4), D(2019, 8, 19)):
        check_log_event(point=event, user=chef, result="ok", performed_on=day, today=TODAY)
    first = Check.objects.filter(control_point__event_driven=False).order_by("due_date").first()
    check_log_result(check=first, user=chef, result="remark", severity="high", performed_on=D(2019, 4, 1), today=TODAY)
    deviation_record(check=first, user=chef, description="Attest saknas", action_description="Rätta rutinen")
    return plan


def row_of(table, description):
    return next([getattr(cell, "text", cell) for cell in row] for row in table.rows if row[1] == description)


def test_an_event_driven_kontrollmoment_is_händelsestyrd_with_its_registered_checks(year_2019):
    table = follow_up_table(year_2019, TODAY)
    event = ControlPoint.objects.get(event_driven=True)
    assert row_of(table, event.description)[3:7] == ["Händelsestyrd", "2", "0", "–"]
    assert row_of(table, "Kvartalskontroll")[3:7] == ["4", "1", "1", "0"]


def test_no_count_is_coloured_so_the_colour_key_quotes_no_number(year_2019):
    assert follow_up_table(year_2019, TODAY).legend() == []


def test_the_summary_says_one_avvikelse_in_the_singular_and_counts_the_events(year_2019):
    text = _follow_up_summary(year_2019, TODAY)
    assert "1 avvikelse har registrerats" in text
    assert "Av 4 planerade kontroller har 1 genomförts" in text
    assert "Dessutom har 2 händelsestyrda kontroller registrerats." in text
    assert "avvikelser" not in text


def test_open_åtgärder_carried_into_the_next_plan_say_where_they_come_from(year_2019):
    later = plan_copy_to_year(plan=year_2019, year=2020)
    table = open_actions_table(2020, on=D(2020, 2, 1))
    assert [row[1] for row in table.rows] == ["Attest saknas (Överförd från 2019.)"]
    assert "Överförd från ett tidigare år" in table.footnotes[0]
    assert len(open_actions_table(2019, on=D(2020, 2, 1)).rows) == 1
    assert draft_report(plan=later, kind=REPORT, on=D(2020, 2, 1))  # builds with the carried rows


def test_the_adoption_draft_of_a_plan_without_risks_says_it_has_no_risk_analysis():
    plan = ControlPlanFactory(fiscal_year__year=2021)
    ControlPointFactory(area=ReviewAreaFactory(plan=plan, number=1, name="Redovisning"))
    text = _plan_summary(plan)
    assert "Planen omfattar 1 granskningsområde med 1 kontrollmoment. Planen har ännu ingen riskanalys." in text
    assert "0 risker" not in text and "väsentlighetsanalys" not in text


def test_the_adoption_draft_words_its_risks_in_singular_and_plural(year_2019):
    assert "analysen bedömer 1 risk, varav ingen hög." in _plan_summary(year_2019)
