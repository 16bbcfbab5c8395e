"""The admin's change lists: the action checkboxes in Django's own markup, and the direktör's roles read once
per request however many models the side bar asks about."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from internalcontrol.models import Check

pytestmark = pytest.mark.django_db


def test_a_checks_action_checkbox_is_the_markup_django_renders(demo_data):
    check_admin = admin.site._registry[Check]
    check = Check.objects.select_related("control_point").first()
    with translation.override("sv"):
        ours = check_admin.action_checkbox(check)
        djangos = admin.ModelAdmin.action_checkbox(check_admin, check)
    assert str(ours) == str(djangos)
    assert 'aria-label="Välj detta objekt för en åtgärd - ' in ours


def test_the_check_list_shows_a_checkbox_for_every_check_on_the_page(client, demo_data):
    client.force_login(get_user_model().objects.get(username="direktor"))
    page = client.get(reverse("admin:internalcontrol_check_changelist")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="_selected_action" value="(\d+)" class="action-select"', page)
    assert len(boxes) == min(Check.objects.count(), admin.site._registry[Check].list_per_page)
    assert len(set(boxes)) == len(boxes)


def test_the_directors_roles_are_read_once_for_an_admin_page(client, demo_data):
    client.force_login(get_user_model().objects.get(username="direktor"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:internalcontrol_check_changelist"))
    assert response.status_code == 200
    role_reads = [q["sql"] for q in queries if 'FROM "federation_role"' in q["sql"] and "roleassignment" in q["sql"]]
    assert len(role_reads) == 1, role_reads
