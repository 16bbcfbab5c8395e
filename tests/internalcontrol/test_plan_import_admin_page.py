"""The admin's plan import page: its heading once, Swedish quotes, each ignored column named once, and the
preview showing every mapped column (Kontrollmetod too)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .test_plan_import_admin_mapping import mapping_step
from .test_plan_import_any_layout import workbook

pytestmark = pytest.mark.django_db
URL = "admin:internalcontrol_controlplan_import"
HEADERS = ["Vad vi granskar", "Vad gör vi", "Metod", "Frekvens", "Vem", "Anteckning"]
CONTENT = workbook({"Plan": [HEADERS, ["Kassa", "Inventering", "Stickprov", "Tertial", "Kassör", "Två personer"]]})
CHOSEN = [("Vad vi granskar", "area"), ("Vad gör vi", "description"), ("Metod", "method"), ("Frekvens", "frequency"),
          ("Vem", "responsible"), ("Anteckning", "ignorera")]  # fmt: skip


def test_the_dry_run_page_reads_cleanly_and_previews_the_kontrollmetod(admin_client):
    url = reverse(URL)
    first = admin_client.post(url, {"year": 2021, "file": SimpleUploadedFile("plan.xlsx", CONTENT), "dry_run": "on"})
    token = first.context["form"].initial["token"]

    page = admin_client.post(
        url, {"year": 2021, "token": token, "dry_run": "on", "create_roles": "on", **mapping_step(CHOSEN)}
    ).content.decode()

    assert page.count("<h1>Importera internkontrollplan</h1>") == 1
    assert page.count("”Anteckning”") == 1  # named once as ignored (the mapping step has its row)
    assert "Ignoreras: ”Anteckning”." in page and "läses inte in" not in page
    assert "“" not in page and "(eller välj ”Ignorera”)" in page
    assert '<option value="ignorera">Ignorera</option>' in page
    assert "<th>Kontrollmetod</th>" in page
    assert "<td>Inventering</td><td>Stickprov</td><td>Tertial</td>" in page
