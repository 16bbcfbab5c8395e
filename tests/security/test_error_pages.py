"""Refusals and missing pages are explained in Swedish, on the app's own page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from internalcontrol.models import Check

pytestmark = pytest.mark.django_db


def test_a_revisor_refused_a_check_sees_why_in_swedish(client, demo_data):
    client.force_login(get_user_model().objects.get(username="revisor"))
    check = Check.objects.filter(result="").order_by("due_date").first()
    response = client.post(reverse("internalcontrol:check-log", args=[check.pk]), {"result": "ok"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Åtkomst nekad</h1>" in page
    assert "Bara den som innehar den kontrollansvariga rollen kan registrera kontrollen." in page
    check.refresh_from_db()
    assert check.result == "" and check.performed_on is None


def test_a_missing_page_says_so_in_swedish(client, demo_data):
    client.force_login(get_user_model().objects.get(username="revisor"))
    response = client.get("/internkontroll/kontroll/999999/")
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in response.content.decode()
