"""After logging in, each kind of user lands where their work is."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        ("direktor", "/"),
        ("adminchef", "/internkontroll/mina-kontroller/"),
        ("navet", "/mal/min-enhet/"),
        ("ekonomnavet", "/internkontroll/mina-kontroller/"),
        ("revisor", "/"),
        ("direktion", "/"),
    ],
)
def test_each_user_lands_where_their_work_is(client, demo_data, username, landing):
    response = client.post("/accounts/login/", {"username": username, "password": "demo"}, follow=True)
    assert response.redirect_chain[0][0] == "/start/"
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_a_next_parameter_still_wins(client, demo_data):
    response = client.post(
        "/accounts/login/?next=/rapporter/", {"username": "adminchef", "password": "demo", "next": "/rapporter/"}
    )
    assert response["Location"] == "/rapporter/"
