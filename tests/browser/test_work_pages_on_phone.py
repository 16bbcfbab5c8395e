"""Min enhet keeps the reader's place when a card is saved, and at 390 px every work page's primary action is on
screen without sideways scrolling, under a compact header (issue 16, points 5 and 7)."""

import pytest

from federation.models import FollowUp
from goals.models import Assessment, Indicator, Outcome

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def in_view(page, locator):
    """The element's box lies within the viewport, across and down."""
    box = locator.bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] < viewport["height"]
        and box["y"] + box["height"] > 0
    )


def on_screen_across(page, locator):
    """The element lies within the viewport's width (not off to the side in a scrolling table)."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def last_card(page):
    return page.locator("section.unit-item").last


@pytest.mark.parametrize("width", [1280, 390])
def test_saving_an_assessment_on_min_enhet_keeps_the_card_in_view(open_session, width):
    session = open_session(width=width, height=900 if width > 400 else 844)
    session.login("navet")
    page = session.page
    session.goto("/mal/min-enhet/?year=2019")
    card = last_card(page)
    anchor = card.get_attribute("id")
    card.scroll_into_view_if_needed()
    card.get_by_text("Uppdatera bedömning").click()
    card.get_by_label("Resultat").fill("Sparat längst ned på sidan")
    card.get_by_role("button", name="Spara bedömning").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"#{anchor}")
    card = page.locator(f"#{anchor}")
    assert page.evaluate("window.scrollY") > 500  # not back at the top
    assert in_view(page, card.get_by_role("heading").first)
    assert "är sparad." in card.inner_text()
    assert "Sparat längst ned på sidan" in card.inner_text()
    session.shot(f"sparad-kvar-{width}")


def test_saving_an_outcome_on_min_enhet_keeps_its_card_in_view(open_session):
    indicator = Indicator.objects.select_related("activity").get(
        fiscal_year__year=2019, name="Elever i teman om programmering"
    )
    Outcome.objects.filter(indicator=indicator).delete()
    session = open_session()
    session.login("navet")
    page = session.page
    session.goto("/mal/min-enhet/?year=2019")
    card = page.locator(f"#aktivitet-{indicator.activity_id}")
    card.scroll_into_view_if_needed()
    card.get_by_text("Registrera utfall").click()
    card.get_by_label("Period").select_option(label="Helår 2019")
    card.get_by_label("Utfall").fill("1300")
    card.get_by_role("button", name="Spara utfall").click()
    page.wait_for_load_state()

    card = page.locator(f"#aktivitet-{indicator.activity_id}")
    assert page.evaluate("window.scrollY") > 500
    assert in_view(page, card.get_by_role("heading").first)
    assert card.locator(".suggestion").count() == 1
    assert "Utfallet för Helår 2019 föreslår: Delvis uppfyllt" in card.locator(".suggestion").inner_text()


def test_min_enhet_filters_what_is_not_yet_assessed_and_counts_progress(open_session):
    annual = FollowUp.objects.get(fiscal_year__year=2019, kind=FollowUp.Kind.ANNUAL)
    indicator = Indicator.objects.get(fiscal_year__year=2019, name="Elever i teman om programmering")
    Assessment.objects.filter(activity=indicator.activity_id, follow_up=annual).delete()
    session = open_session()
    session.login("navet")
    page = session.page
    session.goto("/mal/min-enhet/?year=2019")
    assert "52 av 53 bedömda för Helår 2019" in page.locator(".progress-count").inner_text()
    page.get_by_label("Visa", exact=True).select_option(label="Utan bedömning för Helår 2019")
    page.get_by_role("button", name="Visa", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("section.unit-item").count() == 1
    assert page.locator(f"#aktivitet-{indicator.activity_id}").is_visible()
    session.shot("utan-bedomning")


def test_at_390_px_every_work_pages_primary_action_is_on_screen(open_session):
    session = open_session(**PHONE)
    page = session.page
    session.login("adminchef")
    session.goto("/internkontroll/mina-kontroller/")
    assert on_screen_across(page, page.get_by_role("link", name="Registrera", exact=True).first)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 110  # was about 200 px
    session.shot("390-mina-kontroller")

    session = open_session(**PHONE)
    page = session.page
    session.login("navet")
    session.goto("/mal/min-enhet/?year=2019")
    assert on_screen_across(page, page.get_by_role("button", name="Skicka in delår"))
    assert on_screen_across(page, page.get_by_role("button", name="Skicka in helår"))
    card = page.locator("section.unit-item").first
    card.get_by_text("Uppdatera bedömning").click()
    save = card.get_by_role("button", name="Spara bedömning")
    save.scroll_into_view_if_needed()
    assert on_screen_across(page, save)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    session.shot("390-min-enhet")

    session = open_session(**PHONE)
    page = session.page
    session.login("direktor")
    session.goto("/internkontroll/")
    assert on_screen_across(page, page.get_by_role("button", name="Filtrera"))
    first_row = page.locator(".ic-plan tbody tr:not(.group-row)").first
    cells = first_row.locator("td:visible").all()
    assert len(cells) >= 5
    assert all(on_screen_across(page, cell) for cell in cells)  # every column, without sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    session.shot("390-plan")
