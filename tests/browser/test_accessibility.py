"""Usable without a mouse, every field labelled, colour never the only signal, and phone width."""

import pytest

from internalcontrol.models import Check

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Form controls a person fills in that have no label (by <label for>, wrapping label, aria-label or aria-labelledby).
UNLABELLED_FIELDS_JS = """() => Array.from(document.querySelectorAll('main input, main select, main textarea'))
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length))
  .filter(el => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))"""

# Coloured status badges and heat-map cells that carry no words or numbers.
SILENT_COLOURS_JS = """() => Array.from(document.querySelectorAll('.status, td.heat, [class*="status-"]'))
  .filter(el => !el.textContent.trim() && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML.slice(0, 80))"""


def open_check():
    return Check.objects.filter(result="", control_point__area__plan__fiscal_year__year=2020).order_by("due_date")[0]


def test_logging_in_works_with_the_keyboard_alone(open_session):
    session = open_session()
    page = session.page
    session.goto("/accounts/login/")
    assert page.evaluate("document.activeElement.name") == "username"  # focus starts in the first field
    page.keyboard.type("adminchef")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Mina kontroller")
    session.shot("inloggad-med-tangentbord")

    # on every page the first Tab reaches "Hoppa till innehållet", which skips the menu
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_a_check_can_be_logged_with_the_keyboard_alone(open_session):
    check = open_check()
    session = open_session()
    session.login("adminchef")
    page = session.page
    session.goto(f"/internkontroll/kontroll/{check.pk}/registrera/")
    page.get_by_label("Utan anmärkning").focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Genomförd:", exact=True).input_value()  # today, or the year's last day
    # Tab onwards until the save button has focus, then press Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Spara":
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    session.shot("registrerad-med-tangentbord")
    check.refresh_from_db()
    assert check.result == "ok" and check.performed_on is not None and check.performed_by.username == "adminchef"


# Each role's main pages; CHECK_FORM stands for the form that logs an open check (its pk is known only in the test).
MAIN_PAGES = [
    ("direktor", "/"),
    ("adminchef", "/internkontroll/mina-kontroller/"),
    ("adminchef", "CHECK_FORM"),
    ("navet", "/mal/min-enhet/"),
    ("direktor", "/mal/"),
    ("direktor", "/internkontroll/"),
    ("direktor", "/internkontroll/risker/"),
    ("direktor", "/rapporter/"),
]
PHONE_PAGES = [page for page in MAIN_PAGES if page[1] not in ("/mal/", "/internkontroll/risker/")]


def page_path(path):
    return f"/internkontroll/kontroll/{open_check().pk}/registrera/" if path == "CHECK_FORM" else path


@pytest.mark.parametrize("username, path", MAIN_PAGES)
def test_every_field_is_labelled_and_every_colour_has_words(open_session, username, path):
    session = open_session()
    session.login(username)
    response = session.goto(page_path(path))
    assert response.status == 200
    assert session.page.evaluate(UNLABELLED_FIELDS_JS) == []
    assert session.page.evaluate(SILENT_COLOURS_JS) == []


@pytest.mark.parametrize("username, path", PHONE_PAGES)
def test_the_main_pages_fit_a_phone(open_session, username, path):
    session = open_session(width=375, height=740)
    session.login(username)
    session.goto(page_path(path))
    assert session.page.evaluate("document.documentElement.scrollWidth") <= 375, path
    session.shot("mobil-" + (path.strip("/").replace("/", "-").lower() or "oversikt"))
