"""The goal plan import in the admin: a dry-run preview, the mapping step for columns the synonyms do not know
(the file is kept, not chosen again), then the import; the förbundsdirektör's only."""

import io

import openpyxl
import pytest
from django.urls import reverse

from federation.models import ImportLayout
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


def mapping_step(columns) -> dict:
    data = {"kolumn-TOTAL_FORMS": len(columns), "kolumn-INITIAL_FORMS": len(columns)}
    for index, (header, key) in enumerate(columns):
        data[f"kolumn-{index}-header"], data[f"kolumn-{index}-field"] = header, key
    return data


def test_dry_run_then_mapping_step_then_import_that_remembers_the_mapping(client, admin_user):
    FiscalYearFactory(year=2027)
    client.force_login(admin_user)
    url = reverse("admin:goals_directiongoal_import_plan")
    rows = [["Fokus", "Hur", "KPI", "Målvärde", "Not"], ["Trygg region", "Samverka", "Nätverk", "5", "x"]]

    page = client.post(url, {"year": 2027, "file": upload(rows), "dry_run": "on"})

    text = page.content.decode()
    assert "Vilken kolumn är vilket fält?" in text and "Kolumner som behövs känns inte igen" in text
    assert [(f.initial["header"], f.initial["field"]) for f in page.context["mapping"]] == [
        ("Fokus", "ignorera"), ("Hur", "ignorera"), ("KPI", "ignorera"), ("Målvärde", "target"), ("Not", "ignorera")
    ]  # fmt: skip
    assert '<select name="kolumn-3-field"' in text and '<option value="target" selected>' in text
    token = page.context["form"].initial["token"]
    chosen = [("Fokus", "goal"), ("Hur", "strategy"), ("KPI", "indicator"), ("Målvärde", "target"), ("Not", "ignorera")]

    page = client.post(url, {"year": 2027, "token": token, "dry_run": "on", **mapping_step(chosen)})

    text = page.content.decode()
    assert "Provkörning: 1 nya inriktningsmål, 1 nya strategier, 0 nya aktiviteter, 1 nya mätetal" in text
    assert "Ignoreras: ”Not”." in text
    assert Indicator.objects.count() == 0 and not ImportLayout.objects.exists()

    page = client.post(url, {"year": 2027, "token": token, **mapping_step(chosen)})

    assert page.status_code == 302
    assert Indicator.objects.get().strategy.direction_goal.title == "Trygg region"
    assert ImportLayout.objects.get(kind="måltabell").mapping == {
        "fokus": "goal", "hur": "strategy", "kpi": "indicator", "målvärde": "target", "not": "ignorera"
    }  # fmt: skip


def test_a_unit_lead_with_admin_access_may_not_import_the_whole_plan(client):
    lead = UserFactory(is_staff=True, groups=["Enhetsledare"])
    client.force_login(lead)

    assert client.get(reverse("admin:goals_directiongoal_import_plan")).status_code == 403
