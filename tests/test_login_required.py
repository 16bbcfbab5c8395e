"""Every page needs a login, except the login page: walk the whole URL conf."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PUBLIC = {"/accounts/login/", "/admin/login/"}


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def concrete(route: str) -> str:
    """Turn a route or regex into a URL, with 1 for every parameter."""
    route = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "x" if m.group(1) in ("str", "slug", "path") else "1", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"\(\?:[^)]*\)\??", "", route)
    return "/" + route.lstrip("/")


def all_urls():
    return sorted({concrete(route) for route in walk(get_resolver().url_patterns)})


def test_the_url_walk_finds_the_pages_of_every_app():
    urls = all_urls()
    for expected in ["/", "/mal/", "/internkontroll/", "/rapporter/", "/admin/", "/accounts/logout/"]:
        assert expected in urls


@pytest.mark.parametrize("url", all_urls())
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):
    if url in PUBLIC:
        assert client.get(url).status_code == 200
        return
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (301, 302), f"{method.__name__.upper()} {url} gav {response.status_code}"
        assert "/login/" in response["Location"], f"{url} skickade till {response['Location']}"


def test_login_page_is_in_swedish(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Logga in" in page and "Lösenord" in page


def test_a_signed_in_user_sees_the_navigation_and_their_roles(client, demo_data):
    client.login(username="adminchef", password="demo")
    page = client.get("/oversikt/").content.decode()
    for item in ["Översikt", "Mål", "Internkontroll", "Mina kontroller", "Admin", "Anders Lind", "Administrativ chef"]:
        assert item in page
