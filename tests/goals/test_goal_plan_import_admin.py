"""The goal plan import in the admin: a dry-run preview, the mapping step for columns the synonyms do not know
(the file is kept, not chosen again), then the import; the förbundsdirektör's only."""

import io

import openpyxl
import pytest
from django.urls import reverse

from goals.models import Indicator
from tests.factories import FiscalYearFactory, UserFactory

pytestmark = pytest.mark.django_db


def upload(rows, name="plan.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_dry_run_then_mapping_step_then_import(client, admin_user):
    FiscalYearFactory(year=2027)
    client.force_login(admin_user)
    url = reverse("admin:goals_directiongoal_import_plan")
    rows = [["Fokus", "Hur", "KPI", "Målvärde"], ["Trygg region", "Samverka", "Nätverk", "5"]]

    page = client.post(url, {"year": 2027, "file": upload(rows), "dry_run": "on"})

    text = page.content.decode()
    assert "Vilken kolumn är vilket fält?" in text and "Kolumner som behövs känns inte igen" in text
    token = page.context["form"].initial["token"]
    choices = {"col_0": "goal", "col_1": "strategy", "col_2": "indicator", "col_3": ""}
    headers = {"header": ["Fokus", "Hur", "KPI", "Målvärde"], "headers_step": "1"}

    page = client.post(url, {"year": 2027, "token": token, "dry_run": "on", **choices, **headers})

    assert (
        "Provkörning: 1 nya inriktningsmål, 1 nya strategier, 0 nya aktiviteter, 1 nya mätetal" in page.content.decode()
    )
    assert Indicator.objects.count() == 0

    page = client.post(url, {"year": 2027, "token": token, **choices, **headers})

    assert page.status_code == 302
    assert Indicator.objects.get().strategy.direction_goal.title == "Trygg region"


def test_a_unit_lead_with_admin_access_may_not_import_the_whole_plan(client):
    lead = UserFactory(is_staff=True, groups=["Enhetsledare"])
    client.force_login(lead)

    assert client.get(reverse("admin:goals_directiongoal_import_plan")).status_code == 403
