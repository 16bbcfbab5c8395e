"""Min enhet as the unit lead's work view: grouped cards, a filter for what is not yet assessed, a progress
count, one suggestion per card, saving comes back to the card, and the submit button follows the state."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from federation.models import FollowUp, Unit
from goals.models import Activity, Assessment, Status, Submission

pytestmark = pytest.mark.django_db

URL = reverse("goals:my_unit")


@pytest.fixture
def navet_lead(client, demo_data):
    user = get_user_model().objects.get(username="navet")
    client.force_login(user)
    return user


@pytest.fixture
def annual():
    return FollowUp.objects.get(fiscal_year__year=2019, kind=FollowUp.Kind.ANNUAL)


def navet_activities(count):
    return list(Activity.objects.filter(fiscal_year__year=2019, code__startswith="navet-").order_by("pk")[:count])


def cards(page):
    """Each card's id and its HTML."""
    return dict(re.findall(r'<section class="card unit-item[^"]*" id="([a-z]+-\d+)">(.*?)</section>', page, re.S))


def all_pages(client, params):
    html, number = "", 1
    while True:
        page = client.get(URL, {**params, "sida": number}).content.decode()
        html += page
        if "Nästa</a>" not in page:
            return html
        number += 1


def test_every_card_shows_at_most_one_suggestion(client, navet_lead):
    html = all_pages(client, {"year": 2019})
    found = cards(html)
    assert len(found) == 53
    assert all(card.count("föreslår") <= 1 for card in found.values())
    # the card that said "Ej uppfyllt – utfallet föreslår delvis uppfyllt" and below it another suggestion
    activity = Assessment.objects.get(activity__code="navet-samordning-5").activity
    card = found[f"aktivitet-{activity.pk}"]
    assert card.count("föreslår") == 1
    assert "Utfallet för Helår 2019 föreslår:" in card


def test_a_suggestion_that_differs_from_the_assessment_says_so(client, navet_lead):
    activity = Assessment.objects.get(activity__code="navet-samordning-5").activity
    card = cards(all_pages(client, {"year": 2019}))[f"aktivitet-{activity.pk}"]
    assert "bedömningen avviker" in card


def test_cards_are_grouped_under_their_inriktningsmal_and_strategy(client, navet_lead):
    page = client.get(URL, {"year": 2019}).content.decode()
    first_goal = re.search(r'<h2 class="group-heading[^"]*">(.*?)</h2>', page, re.S)
    assert first_goal and "Inriktningsmål" in first_goal.group(1)
    # the heading comes before the page's first card
    assert page.index(first_goal.group(0)) < page.index('class="card unit-item')


def test_progress_counts_what_is_assessed_for_the_follow_up(client, navet_lead, annual):
    unassessed = navet_activities(3)
    Assessment.objects.filter(activity__in=unassessed, follow_up=annual).delete()
    page = client.get(URL, {"year": 2019}).content.decode()
    assert "<strong>50 av 53 bedömda</strong> för Helår 2019." in page


def test_the_filter_shows_only_what_has_no_assessment_for_the_follow_up(client, navet_lead, annual):
    unassessed = navet_activities(3)
    Assessment.objects.filter(activity__in=unassessed, follow_up=annual).delete()
    page = client.get(URL, {"year": 2019, "utan": annual.pk}).content.decode()
    assert sorted(cards(page)) == sorted(f"aktivitet-{a.pk}" for a in unassessed)
    assert f'<option value="{annual.pk}" selected>Utan bedömning för Helår 2019</option>' in page
    assert "Visar 3 utan bedömning för Helår 2019." in page


def test_saving_an_assessment_returns_to_its_card_which_stays_in_the_filtered_list(client, navet_lead, annual):
    activity = navet_activities(1)[0]
    Assessment.objects.filter(activity=activity, follow_up=annual).delete()
    filtered = f"{URL}?year=2019&utan={annual.pk}"
    prefix = f"aktivitet-{activity.pk}"
    response = client.post(
        reverse("goals:assessment_update", args=["aktivitet", activity.pk]),
        {
            f"{prefix}-follow_up": annual.pk,
            f"{prefix}-status": Status.MET,
            f"{prefix}-text": "Klart",
            "next": f"{filtered}#{prefix}",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{filtered}#{prefix}"
    page = client.get(response.url).content.decode()
    # the card just saved is still there, with its message, though it is now assessed
    card = cards(page)[prefix]
    assert "är sparad." in card
    assert "<strong>53 av 53 bedömda</strong>" in page
    # and on the next visit the filter leaves it out
    assert prefix not in cards(client.get(filtered).content.decode())


def test_every_form_on_a_card_comes_back_to_that_card(client, navet_lead):
    page = client.get(URL, {"year": 2019}).content.decode()
    for anchor, card in cards(page).items():
        targets = re.findall(r'name="next" value="[^"#]*#([a-z]+-\d+)"', card)
        assert targets and set(targets) == {anchor}


def test_a_submitted_follow_up_shows_when_and_by_whom_and_is_not_offered_again(client, navet_lead, annual):
    page = client.get(URL, {"year": 2019}).content.decode()
    assert "Skicka in helår" in page
    navet = Unit.objects.get(name="Navet science center")
    client.post(reverse("goals:submit"), {"unit": navet.pk, "follow_up": annual.pk})
    submission = Submission.objects.get(unit=navet, follow_up=annual)
    page = client.get(URL, {"year": 2019}).content.decode()
    assert "Skicka in helår" not in page
    assert "Skicka in delår" in page
    stamp = timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M")
    assert f"Inskickad {stamp}" in page
    assert f"av {navet_lead.get_full_name()}" in page
