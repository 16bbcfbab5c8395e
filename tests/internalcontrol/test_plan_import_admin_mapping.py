"""The plan import in the admin has a mapping step: one row per column of the file with the field it is read
as, pre-selected from the header synonyms or the remembered layout; submitting it runs the dry run again with
that mapping, the preview lists every ignored column, and the confirmed import remembers the mapping."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from federation.models import ImportLayout
from internalcontrol.models import ControlPoint

from .test_plan_import_any_layout import workbook

pytestmark = pytest.mark.django_db
URL = "admin:internalcontrol_controlplan_import"
HEADERS = ["Vad vi granskar", "Vad gör vi", "Frekvens", "Vem", "Anteckning"]
CONTENT = workbook({"Plan": [HEADERS, ["Kassa", "Inventering", "Tertial", "Kassör", "Två personer"]]})
CHOSEN = [("Vad vi granskar", "area"), ("Vad gör vi", "description"), ("Frekvens", "frequency"),
          ("Vem", "responsible"), ("Anteckning", "ignorera")]  # fmt: skip


def mapping_step(columns) -> dict:
    data = {"kolumn-TOTAL_FORMS": len(columns), "kolumn-INITIAL_FORMS": len(columns)}
    for index, (header, key) in enumerate(columns):
        data[f"kolumn-{index}-header"], data[f"kolumn-{index}-field"] = header, key
    return data


def test_the_file_gets_a_select_per_column_then_a_preview_then_the_import_remembers_the_mapping(admin_client):
    url = reverse(URL)

    page = admin_client.post(url, {"year": 2021, "file": SimpleUploadedFile("plan.xlsx", CONTENT), "dry_run": "on"})

    text = page.content.decode()
    assert "Kolumner som behövs känns inte igen" in text and "Vilken kolumn är vilket fält?" in text
    formset = page.context["mapping"]
    assert [(form.initial["header"], form.initial["field"]) for form in formset] == [
        ("Vad vi granskar", "ignorera"), ("Vad gör vi", "ignorera"), ("Frekvens", "frequency"), ("Vem", "ignorera"),
        ("Anteckning", "ignorera"),
    ]  # fmt: skip
    assert '<select name="kolumn-2-field"' in text and '<option value="frequency" selected>' in text
    token = page.context["form"].initial["token"]

    page = admin_client.post(url, {"year": 2021, "token": token, "dry_run": "on", "create_roles": "on",
                                   **mapping_step(CHOSEN)})  # fmt: skip

    text = page.content.decode()
    assert "Provkörning: 1 kontrollmoment kan läsas in" in text
    assert "Ignoreras: ”Anteckning”." in text
    assert [form.initial["field"] for form in page.context["mapping"]] == [key for _header, key in CHOSEN]
    assert not ControlPoint.objects.exists() and not ImportLayout.objects.exists()

    response = admin_client.post(url, {"year": 2021, "token": token, "create_roles": "on", **mapping_step(CHOSEN)})

    assert response.status_code == 302
    point = ControlPoint.objects.get()
    assert (point.area.name, point.description, point.per_year, point.responsible_role.name) == (
        "Kassa", "Inventering", 3, "Kassör"
    )  # fmt: skip
    layout = ImportLayout.objects.get(kind="internkontrollplan")
    assert layout.mapping == {"vad vi granskar": "area", "vad gör vi": "description", "frekvens": "frequency",
                              "vem": "responsible", "anteckning": "ignorera"}  # fmt: skip

    # The next file with the same headers is read with the remembered mapping, pre-selected in the step.
    page = admin_client.post(url, {"year": 2022, "file": SimpleUploadedFile("plan.xlsx", CONTENT), "dry_run": "on"})
    text = page.content.decode()
    assert "Provkörning: 1 kontrollmoment kan läsas in" in text
    assert [form.initial["field"] for form in page.context["mapping"]] == [key for _header, key in CHOSEN]


def test_one_field_chosen_for_two_columns_is_refused_and_nothing_is_read(admin_client):
    url = reverse(URL)
    page = admin_client.post(url, {"year": 2021, "file": SimpleUploadedFile("plan.xlsx", CONTENT), "dry_run": "on"})
    token = page.context["form"].initial["token"]
    twice = [(header, "description" if header == "Anteckning" else key) for header, key in CHOSEN]

    page = admin_client.post(url, {"year": 2021, "token": token, "dry_run": "on", **mapping_step(twice)})

    text = page.content.decode()
    assert "Samma fält är valt för flera kolumner: Kontrollmoment." in text
    assert page.context["result"] is None


def test_a_step_without_the_kept_file_asks_for_the_file(admin_client):
    page = admin_client.post(reverse(URL), {"year": 2021, "token": "0" * 32, **mapping_step(CHOSEN)})
    assert "Välj filen att läsa in." in page.content.decode()
