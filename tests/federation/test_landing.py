"""After logging in, and on "/", each kind of user lands where their work is."""

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
        ("regionutv", "/mal/min-enhet/"),  # leads units and holds a control role: the unit comes first
    ],
)
def test_each_user_lands_where_their_work_is(client, demo_data, username, landing):
    response = client.post("/accounts/login/", {"username": username, "password": "demo"}, follow=True)
    assert response.redirect_chain[0][0] == "/"
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_a_next_parameter_still_wins(client, demo_data):
    response = client.post(
        "/accounts/login/?next=/rapporter/", {"username": "adminchef", "password": "demo", "next": "/rapporter/"}
    )
    assert response["Location"] == "/rapporter/"


@pytest.mark.parametrize(
    ("username", "landing"),
    [("direktor", None), ("adminchef", "/internkontroll/mina-kontroller/"), ("navet", "/mal/min-enhet/")],
)
def test_the_root_address_is_each_users_start_page(client, demo_data, username, landing):
    client.login(username=username, password="demo")
    response = client.get("/")
    if landing is None:  # the förbundsdirektör's work is the översikt itself
        assert response.status_code == 200
        assert response.context["fiscal_year"] is not None
    else:
        assert response.status_code == 302
        assert response["Location"] == landing


def test_the_oversikt_has_its_own_address_for_everyone(client, demo_data):
    client.login(username="navet", password="demo")
    response = client.get("/oversikt/")
    assert response.status_code == 200
    assert "Översikt" in response.content.decode()
