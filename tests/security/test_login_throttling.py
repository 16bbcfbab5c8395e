"""Repeated failed logins lock the account out for a while (django-axes)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def attempt(client, password):
    return client.post("/accounts/login/", {"username": "anna", "password": password})


def test_repeated_wrong_passwords_lock_out_even_the_right_one(client, throttled):
    UserFactory(username="anna", password="rätt-lösenord-123")
    for _ in range(3):
        response = attempt(client, "fel")
    assert response.status_code == 429
    response = attempt(client, "rätt-lösenord-123")
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_then_the_right_one_logs_in(client, throttled):
    UserFactory(username="anna", password="rätt-lösenord-123")
    assert attempt(client, "fel").status_code == 200
    response = attempt(client, "rätt-lösenord-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
