"""A unit submits its follow-up, the förbundsdirektör sees it waiting and sends it back with a comment, the
unit corrects and submits again, the förbundsdirektör approves: end to end in a real browser."""

import pytest

from federation.models import FollowUp, Unit
from goals.models import Submission

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_follow_up_is_sent_back_corrected_resubmitted_and_approved(open_session):
    navet_unit = Unit.objects.get(name="Navet science center")
    annual = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")

    # Navet submits its helår from Min enhet
    navet = open_session()
    navet.login("navet")
    navet.goto("/mal/min-enhet/?year=2019")  # the demo's year in progress is today's; this flow is in 2019
    unit_page = navet.page
    assert unit_page.get_by_role("heading", level=1).inner_text().startswith("Min enhet")
    unit_page.get_by_role("button", name="Skicka in helår").click()
    unit_page.wait_for_load_state()
    assert "är inskickad" in unit_page.locator(".messages").inner_text()
    navet.shot("inskickad")
    submission = Submission.objects.get(unit=navet_unit, follow_up=annual)

    # the förbundsdirektör sees it waiting on the översikt and on Att godkänna
    director = open_session()
    director.login("direktor")
    page = director.page
    director.goto("/?year=2019")
    assert "Helår 2019: 1 uppföljning väntar" in page.locator("#waiting-counts").inner_text()
    page.get_by_role("link", name="Att godkänna", exact=True).first.click()
    page.wait_for_load_state()
    waiting = page.locator("#waiting").inner_text()
    assert "Navet science center" in waiting and "Helår 2019" in waiting
    director.shot("att-godkanna")

    # opens it and sends it back with a comment (a comment is required)
    page.locator("#waiting tr", has_text="Helår 2019").get_by_role("link", name="Navet science center").click()
    page.wait_for_load_state()
    assert "Det verksamheten skickade in" in page.content()
    director.shot("inskickad-uppfoljning")
    page.get_by_label("Kommentar till verksamheten").fill("Ange hur många pedagoger som nåddes mot målet 500.")
    page.get_by_role("button", name="Skicka tillbaka").click()
    page.wait_for_load_state()
    assert "skickad tillbaka till verksamheten" in page.locator(".messages").inner_text()
    submission.refresh_from_db()
    assert submission.state == Submission.State.RETURNED

    # Navet sees the comment, corrects an assessment and submits again
    navet.goto("/mal/min-enhet/?year=2019")
    assert "Ange hur många pedagoger som nåddes mot målet 500." in unit_page.content()
    navet.shot("tillbakaskickad")
    first = unit_page.locator(".unit-item").first
    first.locator("summary", has_text="Uppdatera bedömning").click()
    first.get_by_label("Uppföljning").select_option(label="Helår 2019")
    first.get_by_label("Resultat").fill("Genomfört – 402 pedagoger av målet 500.")
    first.get_by_role("button", name="Spara bedömning").click()
    unit_page.wait_for_load_state()
    unit_page.get_by_role("button", name="Skicka in helår").click()
    unit_page.wait_for_load_state()
    assert "är inskickad" in unit_page.locator(".messages").inner_text()
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED

    # the förbundsdirektör sees what changed since and approves
    director.goto(f"/mal/att-godkanna/{submission.pk}/")
    assert "Ändrad sedan återsändningen" in page.content()
    assert "Genomfört – 402 pedagoger av målet 500." in page.content()
    director.shot("andrad")
    page.get_by_role("button", name="Godkänn", exact=True).click()
    page.wait_for_load_state()
    assert "1 uppföljning godkänd och låst." in page.locator(".messages").inner_text()
    director.shot("godkand")
    submission.refresh_from_db()
    assert submission.state == Submission.State.APPROVED
    states = list(submission.history.order_by("history_date").values_list("state", flat=True))
    assert states == ["submitted", "returned", "submitted", "approved"]
