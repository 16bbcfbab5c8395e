"""With the devtools on (DEBUG or BENCH), every response says how long it took on the server and how many
queries it ran; the bench reads that header."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("devtools")]


def test_a_page_reports_its_server_time_and_query_count(client):
    client.force_login(UserFactory())
    response = client.get("/matning/golv/")
    assert response.content == b"ok"
    match = re.fullmatch(r'app;dur=([\d.]+), db;desc="queries";dur=(\d+)', response["Server-Timing"])
    assert match
    assert float(match[1]) > 0
    # The session and the user: the floor does no work of its own.
    assert int(match[2]) == 2


def test_the_floor_view_needs_a_login_like_every_page(client):
    response = client.get("/matning/golv/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
