"""Adopting and reporting a plan by the Direktion's decision: the decision must be of the right kind and
year, else a Swedish error and nothing changes; the page confirms what is locked and the checks each
kontrollmoment gets before adopting; the admin action leads to the same page and service."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from federation.models import Decision
from internalcontrol.models import Check, ControlPlan
from internalcontrol.report import build_sections
from internalcontrol.services import plan_adopt, plan_report, plan_sign_off
from tests.factories import DecisionFactory, FiscalYearFactory, RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, RiskFactory, adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def draft_2021():
    """A draft plan for 2021: one area with a quarterly and a twice-yearly kontrollmoment."""
    plan = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=2021))
    area = ReviewAreaFactory(plan=plan, number=1, name="Redovisning")
    role = RoleFactory(name="Administrativ chef")
    quarterly = ControlPointFactory(area=area, order=1, frequency_text="Kvartalsvis", description="Attest")
    twice = ControlPointFactory(
        area=area, order=2, frequency_text="2 ggr/år", description="Avtal", responsible_role=role
    )
    RiskFactory(plan=plan, points=[quarterly, twice])
    return plan


def unchanged(plan):
    plan.refresh_from_db()
    return plan.status == "draft" and plan.decision_id is None and not Check.objects.exists()


def test_adopting_under_a_decision_of_another_subject_is_refused_and_nothing_changes():
    plan = draft_2021()
    pension = DecisionFactory(date=D(2020, 10, 26), kind=Decision.Kind.OTHER, subject="Försäkring av FAP")
    with pytest.raises(ValidationError, match="gäller inte internkontrollplanen 2021"):
        plan_adopt(plan=plan, decision=pension)
    assert unchanged(plan)


def test_adopting_under_a_decision_of_another_year_is_refused_and_nothing_changes():
    plan = draft_2021()
    old = DecisionFactory(date=D(2018, 10, 26), subject="Intern kontrollplan 2019")
    with pytest.raises(ValidationError, match="beslutas under 2020 eller 2021"):
        plan_adopt(plan=plan, decision=old)
    assert unchanged(plan)


def test_a_decision_from_the_year_before_adopts_and_is_kept_in_the_history():
    plan = draft_2021()
    decision = DecisionFactory(date=D(2020, 12, 4), paragraph="§ 77")
    plan_adopt(plan=plan, decision=decision)
    plan.refresh_from_db()
    assert (plan.status, plan.decision) == ("adopted", decision)
    assert Check.objects.filter(control_point__area__plan=plan).count() == 6
    latest = plan.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Antagen av Direktionen 2020-12-04, § 77"


def test_only_the_forbundsdirektor_adopts_when_a_user_is_given():
    plan = draft_2021()
    chef = RoleAssignmentFactory(role=RoleFactory(name="Administrativ chef"), user=UserFactory(username="c")).user
    with pytest.raises(PermissionDenied):
        plan_adopt(plan=plan, decision=DecisionFactory(date=D(2020, 12, 4)), user=chef)
    assert unchanged(plan)


def test_the_confirmation_shows_what_is_locked_and_the_check_counts_before_adopting(admin_client):
    plan = draft_2021()
    decision = DecisionFactory(date=D(2020, 12, 4), paragraph="§ 77", subject="Intern kontrollplan 2021")
    url = reverse("internalcontrol:plan-adopt", args=[plan.pk])
    assert "Intern kontrollplan 2021" in admin_client.get(url).content.decode()  # offered in the list

    page = admin_client.post(url, {"decision": decision.pk}).content.decode()
    assert "Bekräfta" in page and "Direktionen 2020-12-04, § 77" in page
    assert "1 granskningsområden" in page and "2 kontrollmoment" in page and "1 risker" in page
    assert "<strong>6 kontroller</strong>" in page
    rows = page.split('id="check-counts"')[1]
    assert (
        '<td>Attest</td><td>Kvartalsvis</td><td>Administrativ chef</td><td class="num">4</td><td>2021-03-31</td>'
        in rows
    )
    assert '<td>Avtal</td><td>2 ggr/år</td><td>Administrativ chef</td><td class="num">2</td><td>2021-06-30</td>' in rows
    assert unchanged(plan)  # the confirmation changes nothing

    response = admin_client.post(url, {"decision": decision.pk, "confirm": "1"}, follow=True)
    plan.refresh_from_db()
    assert (plan.status, plan.decision) == ("adopted", decision)
    assert Check.objects.filter(control_point__area__plan=plan).count() == 6
    assert "6 kontroller är skapade" in response.content.decode()
    assert "Antagen av Direktionen 2020-12-04, § 77." in response.content.decode()  # the plan page


def test_a_decision_registered_on_the_page_is_not_kept_when_it_cannot_adopt(admin_client):
    plan = draft_2021()
    url = reverse("internalcontrol:plan-adopt", args=[plan.pk])
    board = DecisionFactory(date=D(2020, 1, 1)).body
    before = Decision.objects.count()
    new = {"body": board.pk, "date": "2018-12-07", "paragraph": "§ 96", "subject": "Intern kontrollplan 2021"}
    page = admin_client.post(url, {**new, "confirm": "1"}).content.decode()
    assert "beslutas under 2020 eller 2021" in page
    assert Decision.objects.count() == before and unchanged(plan)

    admin_client.post(url, {**new, "date": "2020-12-04", "confirm": "1"})
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert (plan.decision.kind, plan.decision.paragraph, plan.decision.date) == ("control_plan", "§ 96", D(2020, 12, 4))


def test_the_admin_action_anta_plan_leads_to_the_same_page(admin_client):
    plan = draft_2021()
    response = admin_client.post(
        reverse("admin:internalcontrol_controlplan_changelist"), {"action": "adopt_plan", "_selected_action": [plan.pk]}
    )
    assert response.status_code == 302 and response["Location"] == reverse("internalcontrol:plan-adopt", args=[plan.pk])


def test_reporting_needs_a_report_decision_of_the_plans_year_or_the_next_and_shows_in_the_report():
    plan = adopted_plan(year=2019)
    plan.decision.paragraph = "§ 45"
    plan.decision.save()
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True), user=UserFactory(username="d")
    ).user
    plan_sign_off(plan=plan, user=director, now=timezone.now())
    with pytest.raises(ValidationError, match="gäller inte avrapporteringen"):
        plan_report(plan=plan, decision=DecisionFactory(date=D(2020, 3, 27)), user=director)
    too_late = DecisionFactory(date=D(2021, 3, 27), kind=Decision.Kind.CONTROL_REPORT)
    with pytest.raises(ValidationError, match="beslutas under 2019 eller 2020"):
        plan_report(plan=plan, decision=too_late, user=director)
    assert ControlPlan.objects.get(pk=plan.pk).status == "adopted"

    decision = DecisionFactory(date=D(2020, 3, 27), paragraph="§ 21", kind=Decision.Kind.CONTROL_REPORT)
    plan = plan_report(plan=plan, decision=decision, user=director)
    assert (plan.status, plan.reported_on) == ("reported", D(2020, 3, 27))
    appendix = build_sections(fiscal_year=2019)[1]
    assert appendix.blocks[0].text == (
        "Antagen av Direktionen 2018-12-07, § 45. Avrapporterad till Direktionen 2020-03-27, § 21."
    )
