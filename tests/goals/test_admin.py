import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import Submission
from goals.services import follow_up_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def director_client(client, demo_data):
    client.force_login(get_user_model().objects.get(username="direktor"))
    return client


@pytest.mark.parametrize(
    "name",
    ["overallgoal", "directiongoal", "strategy", "activity", "indicator", "outcome", "assessment", "submission"],
)
def test_every_goals_model_has_a_working_admin_list(director_client, name):
    assert director_client.get(reverse(f"admin:goals_{name}_changelist")).status_code == 200


def test_admin_offers_import_for_activities_and_outcomes(director_client):
    for name in ["activity", "outcome"]:
        page = director_client.get(reverse(f"admin:goals_{name}_import")).content.decode()
        assert "xlsx" in page and "csv" in page


def test_director_approves_a_submission_in_the_admin(director_client):
    from federation.models import FollowUp, Unit

    navet = Unit.objects.get(name="Navet science center")
    follow_up = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")
    submission = follow_up_submit(unit=navet, follow_up=follow_up, user=get_user_model().objects.get(username="navet"))
    director_client.post(
        reverse("admin:goals_submission_changelist"), {"action": "approve", "_selected_action": [submission.pk]}
    )
    submission.refresh_from_db()
    assert submission.state == Submission.State.APPROVED
