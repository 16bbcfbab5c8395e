"""The menu fits the role: it holds exactly what the user may open, and a user with no role sees only a page
saying so."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

MENUS = {
    "direktor": [
        "Översikt",
        "Min enhet",
        "Mina kontroller",
        "Mål",
        "Att godkänna",
        "Internkontroll",
        "Rapporter",
        "Admin",
    ],
    "adminchef": ["Översikt", "Mina kontroller", "Mål", "Internkontroll", "Admin"],
    "navet": ["Översikt", "Min enhet", "Mål", "Internkontroll"],
    "ekonomnavet": ["Översikt", "Mina kontroller", "Mål", "Internkontroll"],
    "revisor": ["Översikt", "Mål", "Internkontroll", "Rapporter"],
    "direktion": ["Översikt", "Mål", "Internkontroll", "Rapporter"],
    "regionutv": ["Översikt", "Min enhet", "Mina kontroller", "Mål", "Internkontroll"],
}


def main_menu(html):
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1)) if nav else []


def current_entries(html):
    nav = re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', html, re.S)
    return re.findall(r'aria-current="page">([^<]+)</a>', nav.group(1))


@pytest.mark.parametrize(("username", "labels"), MENUS.items())
def test_the_menu_holds_what_the_role_works_with(client, demo_data, username, labels):
    client.login(username=username, password="demo")
    html = client.get("/oversikt/").content.decode()
    assert [label for _, label in main_menu(html)] == labels


@pytest.mark.parametrize("username", MENUS)
def test_every_menu_entry_opens_for_the_role(client, demo_data, username):
    client.login(username=username, password="demo")
    for url, label in main_menu(client.get("/oversikt/").content.decode()):
        assert client.get(url).status_code == 200, f"{username}: {label} ({url})"


@pytest.mark.parametrize("username", MENUS)
def test_rapporter_is_in_the_menu_exactly_when_the_page_opens(client, demo_data, username):
    client.login(username=username, password="demo")
    in_menu = "Rapporter" in [label for _, label in main_menu(client.get("/oversikt/").content.decode())]
    assert in_menu == (client.get("/rapporter/").status_code == 200)


def test_a_reader_without_a_control_role_has_no_mina_kontroller_tab(client, demo_data):
    client.login(username="revisor", password="demo")
    html = client.get("/internkontroll/").content.decode()
    assert "Riskanalys" in html
    assert "Mina kontroller" not in html


def test_a_control_role_holder_has_the_mina_kontroller_tab(client, demo_data):
    client.login(username="ekonomnavet", password="demo")
    assert "Mina kontroller" in client.get("/internkontroll/").content.decode()


@pytest.mark.parametrize(
    ("username", "url", "current"),
    [
        ("navet", "/mal/min-enhet/", ["Min enhet"]),
        ("navet", "/mal/", ["Mål"]),
        ("adminchef", "/internkontroll/mina-kontroller/", ["Mina kontroller"]),
        ("adminchef", "/internkontroll/atgarder/", ["Internkontroll"]),
        ("direktor", "/", ["Översikt"]),
        ("revisor", "/rapporter/", ["Rapporter"]),
    ],
)
def test_the_menu_marks_the_page_the_user_is_on(client, demo_data, username, url, current):
    client.login(username=username, password="demo")
    assert current_entries(client.get(url).content.decode()) == current


# --- A signed-in account with no role or group ------------------------------------------------


@pytest.fixture
def roleless(db):
    return get_user_model().objects.create_user(
        "nyanstalld", password="Nyanställd-2020!", first_name="Nora", last_name="Ny"
    )


def test_a_user_without_a_role_lands_on_a_page_saying_so(client, demo_data, roleless):
    response = client.post("/accounts/login/", {"username": "nyanstalld", "password": "Nyanställd-2020!"}, follow=True)
    assert response.redirect_chain[-1][0] == "/ingen-roll/"
    html = response.content.decode()
    assert "Du har ingen roll än" in html
    assert main_menu(html) == []


@pytest.mark.parametrize(
    "url", ["/", "/oversikt/", "/mal/", "/mal/min-enhet/", "/internkontroll/", "/internkontroll/risker/", "/rapporter/"]
)
def test_a_user_without_a_role_sees_no_page_but_that_one(client, demo_data, roleless, url):
    client.force_login(roleless)
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert response.status_code in (200, 403)
    assert "Du har ingen roll än" in html
    assert "Internkontrollplan" not in html and "Inriktningsmål" not in html


def test_a_user_without_a_role_may_still_log_out_and_change_the_password(client, demo_data, roleless):
    client.force_login(roleless)
    assert client.get("/accounts/losenord/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_the_no_role_page_sends_a_user_with_a_role_to_their_start_page(client, demo_data):
    client.login(username="navet", password="demo")
    response = client.get("/ingen-roll/")
    assert response.status_code == 302
    assert response["Location"] == "/"
