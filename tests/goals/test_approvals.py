"""Att godkänna: the förbundsdirektör approves a submitted follow-up (locked, in the history) or sends it back
with a comment (open again for the unit, in the history); the page shows what was submitted beside the unit's
previous follow-up; the översikt shows how many wait per follow-up."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from federation.models import FollowUp, Unit
from goals.models import Activity, Status, Submission
from goals.services import assessment_record, follow_up_approve, follow_up_send_back, follow_up_submit

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def navet_submitted(demo_data):
    """Navet's helår 2019, assessed (an activity moved from Pågår at delår to Uppfyllt) and submitted."""
    navet = Unit.objects.get(name="Navet science center")
    interim = FollowUp.objects.get(fiscal_year__year=2019, kind="interim")
    annual = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")
    activity = Activity.objects.filter(unit=navet, fiscal_year__year=2019).order_by("pk").first()
    lead = user("navet")
    day = annual.due_date
    assessment_record(
        target=activity, follow_up=interim, status=Status.IN_PROGRESS, text="Halvvägs", user=lead, today=day
    )
    assessment_record(
        target=activity, follow_up=annual, status=Status.MET, text="Genomfört – 402 pedagoger", user=lead, today=day
    )
    submission = follow_up_submit(unit=navet, follow_up=annual, user=lead, today=day)
    return submission, activity


def test_approving_locks_the_follow_up_for_the_unit_and_is_kept_in_the_history(navet_submitted):
    submission, activity = navet_submitted
    follow_up_approve(submission=submission, user=user("direktor"))
    submission.refresh_from_db()
    assert (submission.state, submission.approved_by.username) == ("approved", "direktor")
    assert [h.history_change_reason for h in submission.history.order_by("history_date")] == ["Inskickad", "Godkänd"]
    with pytest.raises(ValidationError, match="godkänd och låst"):
        assessment_record(target=activity, follow_up=submission.follow_up, status=Status.NOT_MET, user=user("navet"))


def test_sending_back_needs_a_comment_then_unlocks_for_the_unit_and_is_kept_in_the_history(navet_submitted):
    submission, activity = navet_submitted
    director = user("direktor")
    with pytest.raises(ValidationError, match="Skriv vad verksamheten ska rätta"):
        follow_up_send_back(submission=submission, user=director, comment="  ")
    with pytest.raises(PermissionDenied):
        follow_up_send_back(submission=submission, user=user("navet"), comment="Själv")
    assert Submission.objects.get(pk=submission.pk).state == "submitted"

    follow_up_send_back(submission=submission, user=director, comment="Ange antalet pedagoger mot målet 500.")
    submission.refresh_from_db()
    assert (submission.state, submission.return_comment) == ("returned", "Ange antalet pedagoger mot målet 500.")
    reasons = [h.history_change_reason for h in submission.history.order_by("history_date")]
    assert reasons == ["Inskickad", "Skickad tillbaka: Ange antalet pedagoger mot målet 500."]
    with pytest.raises(ValidationError, match="skickad tillbaka"):
        follow_up_approve(submission=submission, user=director)

    # the unit corrects (no longer locked) and submits again
    assessment_record(
        target=activity, follow_up=submission.follow_up, status=Status.PARTLY_MET, text="402 av 500", user=user("navet")
    )
    follow_up_submit(unit=submission.unit, follow_up=submission.follow_up, user=user("navet"))
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert submission.history.count() == 3


def test_att_godkanna_lists_what_waits_and_the_submission_page_shows_it_beside_the_previous_follow_up(
    client, navet_submitted
):
    submission, activity = navet_submitted
    client.force_login(user("direktor"))
    listing = client.get(reverse("goals:approvals")).content.decode()
    row = listing.split('id="waiting"')[1]
    navet = user("navet")
    assert "Navet science center" in row and "Helår 2019" in row and navet.get_full_name() in row

    page = client.get(reverse("goals:submission", args=[submission.pk])).content.decode()
    assert activity.title in page and "Genomfört – 402 pedagoger" in page
    assert "Delår 2019" in page and "Halvvägs" in page and "<strong>ändrad</strong>" in page
    assert "Skicka tillbaka" in page and "Godkänn" in page

    client.force_login(navet)
    assert client.get(reverse("goals:approvals")).status_code == 403
    assert client.get(reverse("goals:submission", args=[submission.pk])).status_code == 403


def test_sending_back_on_the_page_then_the_changes_since_are_marked(client, navet_submitted):
    submission, activity = navet_submitted
    client.force_login(user("direktor"))
    url = reverse("goals:send_back", args=[submission.pk])
    client.post(url, {"comment": ""})
    assert Submission.objects.get(pk=submission.pk).state == "submitted"  # a comment is required
    client.post(url, {"comment": "Komplettera."})
    assert Submission.objects.get(pk=submission.pk).state == "returned"

    assessment_record(target=activity, follow_up=submission.follow_up, status=Status.PARTLY_MET, user=user("navet"))
    follow_up_submit(unit=submission.unit, follow_up=submission.follow_up, user=user("navet"))
    page = client.get(reverse("goals:submission", args=[submission.pk])).content.decode()
    assert "Ändrad sedan återsändningen" in page and "Komplettera." in page


def test_approving_several_says_how_many_in_swedish_plurals(client, navet_submitted):
    submission, _activity = navet_submitted
    other = Submission.objects.create(
        unit=Unit.objects.get(name="Medarbetarcentrum"),
        follow_up=submission.follow_up,
        submitted_by=user("direktor"),
        submitted_at=submission.submitted_at,
    )
    client.force_login(user("direktor"))
    overview = client.get(reverse("federation:home") + "?year=2019").content.decode()
    assert "Helår 2019: 2 uppföljningar väntar" in overview
    response = client.post(reverse("goals:approve_many"), {"submission": [submission.pk, other.pk]}, follow=True)
    assert "2 uppföljningar godkända och låsta." in response.content.decode()
    third = Submission.objects.create(
        unit=Unit.objects.get(name="Dataskyddsombud"),
        follow_up=submission.follow_up,
        submitted_by=user("direktor"),
        submitted_at=submission.submitted_at,
    )
    response = client.post(reverse("goals:approve", args=[third.pk]), follow=True)
    assert "1 uppföljning godkänd och låst." in response.content.decode()
