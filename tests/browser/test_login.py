"""In a real browser: logging in, landing on the start page, and a read-only user refused the admin."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_revisor_logs_in_and_sees_the_overview_with_their_name(open_session):
    session = open_session()
    session.goto("/")
    assert "/accounts/login/" in session.page.url
    session.shot("inloggning")
    session.login("revisor")
    assert "/accounts/login/" not in session.page.url
    assert session.page.get_by_text("Per Gran").is_visible()
    assert session.page.get_by_role("link", name="Översikt").is_visible()
    session.shot("oversikt")


def test_a_wrong_password_shows_a_swedish_error(open_session):
    session = open_session()
    session.login("revisor", password="fel")
    assert session.page.get_by_role("alert").inner_text().startswith("Fel användarnamn eller lösenord")
    session.shot("fel-losenord")


def test_the_pages_work_at_phone_width(open_session):
    session = open_session(width=375, height=740)
    session.login("revisor")
    page_width = session.page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375
    session.shot("mobil")


def test_years_are_written_without_a_thousands_separator(open_session):
    session = open_session()
    session.login("revisor")
    heading = session.page.get_by_role("heading", level=1).inner_text()
    assert re.fullmatch(r"Översikt \d{4}", heading)  # the year in progress (the demo's living year)
    assert not re.search(r"\b2\xa0\d{3}\b", session.page.content())


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_directors_menu_fits_one_line_at_a_laptops_width(open_session, width):
    session = open_session(width=width, height=768)
    session.login("direktor")
    links = session.page.get_by_role("navigation", name="Huvudmeny").get_by_role("link").all()
    tops = {round(link.bounding_box()["y"]) for link in links}
    assert [link.inner_text() for link in links][-1] == "Admin"  # all eight entries, Admin last
    assert len(tops) == 1, tops
    session.shot(f"meny-{width}")
