"""People are named by their full name and times given in Stockholm everywhere: pages, history (the
app's and the admin's), exports and mails."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse

from federation.history import object_history
from federation.people import person_name
from federation.year_export import safe
from internalcontrol.models import Check

pytestmark = pytest.mark.django_db

# 12:50 UTC on a summer day is 14:50 in Stockholm (CEST, UTC+2).
LOGGED = datetime.datetime(2020, 6, 30, 12, 50, tzinfo=datetime.UTC)


def test_the_app_runs_in_stockholm_time():
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/Stockholm"


def test_a_person_is_named_by_full_name_and_by_username_only_without_one(db):
    named = get_user_model()(username="sbjork", first_name="Sara", last_name="Björk")
    unnamed = get_user_model()(username="konsult7")
    assert person_name(named) == "Sara Björk"
    assert person_name(unnamed) == "konsult7"
    assert person_name(None, default="–") == "–"
    html = Template("{% load people %}{{ a|person }}/{{ b|person }}/{{ c|person }}").render(
        Context({"a": named, "b": unnamed, "c": None})
    )
    assert html == "Sara Björk/konsult7/–"


@pytest.fixture
def logged_check(demo_data):
    """An open check of the Administrativ chef's, logged by adminchef at 12:50 UTC."""
    check = (
        Check.objects.filter(control_point__responsible_role__name="Administrativ chef", performed_on__isnull=True)
        .order_by("pk")
        .first()
    )
    check.performed_on = datetime.date(2020, 6, 30)
    check.performed_by = get_user_model().objects.get(username="adminchef")
    check.result = Check.Result.OK
    check.logged_at = LOGGED
    check.save()
    return check


def test_history_names_the_person_and_gives_the_time_in_stockholm(logged_check):
    changes = {change.field: change for change in object_history(logged_check)[0].changes}
    assert changes["Genomförd av"].new == "Anders Lind"
    assert "14:50" in changes["Registrerad"].new
    assert "12:50" not in changes["Registrerad"].new


def test_the_check_page_shows_names_not_usernames(client, logged_check):
    client.login(username="direktor", password="demo")
    html = client.get(reverse("internalcontrol:check-detail", args=[logged_check.pk])).content.decode()
    assert "Anders Lind" in html
    assert "adminchef" not in html


def test_the_admin_history_shows_names_and_stockholm_times(client, logged_check):
    client.login(username="direktor", password="demo")
    html = client.get(reverse("admin:internalcontrol_check_history", args=[logged_check.pk])).content.decode()
    assert "Anders Lind" in html
    assert "&rarr;&nbsp;&nbsp;adminchef" not in html and ">adminchef<" not in html
    assert "12:50" not in html


def test_the_year_export_writes_stockholm_wall_clock_times():
    assert safe(LOGGED) == datetime.datetime(2020, 6, 30, 14, 50)
    assert safe(datetime.datetime(2020, 1, 15, 12, 50, tzinfo=datetime.UTC)) == datetime.datetime(2020, 1, 15, 13, 50)
