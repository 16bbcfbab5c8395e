"""With the devtools on (DEBUG or BENCH), every response says how long it took on the server and how many
queries it ran; the bench reads that header."""

import re

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("devtools")]


def test_a_page_reports_its_server_time_and_query_count(client):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Läsbehörig")[0])  # a user with no role sees only that page
    client.force_login(user)
    response = client.get("/matning/golv/")
    assert response.content == b"ok"
    match = re.fullmatch(r'app;dur=([\d.]+), db;desc="queries";dur=(\d+)', response["Server-Timing"])
    assert match
    assert float(match[1]) > 0
    # The session and the user, and the user's roles and groups (a user without either sees only the page that
    # says so): the floor does no work of its own.
    assert int(match[2]) == 4


def test_the_floor_view_needs_a_login_like_every_page(client):
    response = client.get("/matning/golv/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
