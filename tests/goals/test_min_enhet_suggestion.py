"""Min enhet shows what a newly recorded outcome suggests, and starts the status there."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from federation.models import FollowUp
from goals.models import Assessment, Indicator, Outcome, Status

pytestmark = pytest.mark.django_db


def activity_section(page, activity):
    return page.split(f'id="aktivitet-{activity.pk}"')[1].split("</section>")[0]


def test_a_new_outcome_shows_its_suggested_status_and_preselects_it(client, demo_data):
    # given Navet's programming activity with no outcome and no assessment for helår 2019
    indicator = Indicator.objects.select_related("activity").get(
        fiscal_year__year=2019, name="Elever i teman om programmering"
    )
    activity = indicator.activity
    annual = FollowUp.objects.get(fiscal_year__year=2019, kind=FollowUp.Kind.ANNUAL)
    Assessment.objects.filter(activity=activity).delete()
    Outcome.objects.filter(indicator=indicator).delete()
    client.force_login(get_user_model().objects.get(username="navet"))

    # when the unit lead records 1 300 of the target 1 500 elever
    prefix = f"utfall-{indicator.pk}"
    response = client.post(
        reverse("goals:outcome_update", args=[indicator.pk]),
        {f"{prefix}-follow_up": annual.pk, f"{prefix}-value": "1300"},
    )
    assert response.status_code == 302

    # then Min enhet says what the numbers suggest, in words beside the colour
    page = client.get(reverse("goals:my_unit"), {"year": 2019}).content.decode()
    section = activity_section(page, activity)
    assert 'Utfallet för Helår 2019 föreslår: <span class="status status-yellow">Delvis uppfyllt</span>' in section
    # and the status to save starts at the suggestion
    assert f'<option value="{Status.PARTLY_MET}" selected>' in section


def test_an_assessment_already_made_is_not_replaced_by_the_suggestion(client, demo_data):
    assessment = Assessment.objects.select_related("activity").get(activity__code="navet-samordning-5")
    client.force_login(get_user_model().objects.get(username="navet"))
    page = client.get(reverse("goals:my_unit"), {"year": 2019}).content.decode()
    section = activity_section(page, assessment.activity)
    assert "föreslår" in section
    assert f'<option value="{assessment.status}" selected>' in section
