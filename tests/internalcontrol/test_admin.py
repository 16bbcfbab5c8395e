"""Admin: adopt a plan with a decision, import with a dry-run preview, export plan and checks, copy."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from internalcontrol.models import Check, ControlPlan
from tests.factories import DecisionFactory, RoleFactory

from .factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_anta_plan_action_adopts_with_the_chosen_decision_and_generates_checks(admin_client):
    plan = ControlPlanFactory()
    ControlPointFactory(area=ReviewAreaFactory(plan=plan), frequency_text="Kvartalsvis")
    decision = DecisionFactory(paragraph="§ 96")
    url = reverse("admin:internalcontrol_controlplan_changelist")
    page = admin_client.post(url, {"action": "adopt_plan", "_selected_action": [plan.pk]}, follow=True)
    assert "Direktionens beslut" in page.content.decode()
    admin_client.post(page.redirect_chain[-1][0], {"decision": decision.pk, "confirm": "1"})
    plan.refresh_from_db()
    assert (plan.status, plan.decision) == ("adopted", decision)
    assert Check.objects.count() == 4


def test_admin_import_previews_then_imports(admin_client):
    RoleFactory(name="Administrativ chef")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Granskningsområde", "Kontrollmoment", "Kontrollmetod", "Frekvens", "Kontrollansvarig"])
    sheet.append(["1. Redovisning", "Kontroll av bokförda poster", "Stickprov", "2 ggr/år", "Administrativ chef"])
    sheet.append([None, "Kontroll av fakturor", "Stickprov", "ibland", "Administrativ chef"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    url = reverse("admin:internalcontrol_controlplan_import")
    upload = SimpleUploadedFile("plan.xlsx", buffer.getvalue())
    page = admin_client.post(url, {"year": 2021, "file": upload, "dry_run": "on"}).content.decode()
    assert "Rad 3" in page and "Okänd frekvens" in page and "inget har sparats" in page
    assert not ControlPlan.objects.exists()


def test_admin_exports_the_plan_and_the_checks_as_xlsx(admin_client, demo_data):
    plan = ControlPlan.objects.get(fiscal_year__year=2019)
    url = reverse("admin:internalcontrol_controlplan_changelist")
    response = admin_client.post(url, {"action": "export_xlsx", "_selected_action": [plan.pk]})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Internkontrollplan 2019" and rows[2][1] == "Kontrollmoment"
    response = admin_client.post(url, {"action": "export_checks_xlsx", "_selected_action": [plan.pk]})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][1] == "Kontrollmoment" and len(rows) > 50


def test_admin_pages_for_every_model_render(admin_client, demo_data):
    for model in ["controlplan", "controlgroup", "reviewarea", "controlpoint", "risk", "check", "evidence",
                  "deviation", "action", "plansignoff"]:  # fmt: skip
        assert admin_client.get(reverse(f"admin:internalcontrol_{model}_changelist")).status_code == 200, model
    plan = ControlPlan.objects.get(fiscal_year__year=2019)
    assert admin_client.get(reverse("admin:internalcontrol_controlplan_change", args=[plan.pk])).status_code == 200
    assert admin_client.get(reverse("admin:internalcontrol_check_export")).status_code == 200


def test_copied_risks_are_marked_reviewed_in_a_draft_only(admin_client):
    from internalcontrol.models import Risk

    from .factories import RiskFactory

    draft = RiskFactory(needs_review=True)
    url = reverse("admin:internalcontrol_risk_changelist")
    admin_client.post(url, {"action": "mark_reviewed", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert not draft.needs_review and draft.history.count() == 2
    assert Risk.objects.count() == 1
