"""The goals admin under the pages' rules for adding too: a unit lead with admin access adds only
what their own unit owns, nothing in a closed year; the förbundsdirektör only with a reason."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from federation.access import LOCK_OVERRIDE_REASON
from federation.models import FiscalYear, Unit
from goals.models import Activity

pytestmark = pytest.mark.django_db


def login(client, username, staff=False):
    person = get_user_model().objects.get(username=username)
    if staff:
        person.is_staff = True
        person.save()
    client.force_login(person)


def add_activity(client, unit, title, year=2019, reason=""):
    strategy = Activity.objects.filter(fiscal_year__year=year, unit__name="Navet science center").first().strategy
    data = {
        "fiscal_year": FiscalYear.objects.get(year=year).pk,
        "code": "tillagd-i-admin",
        "order": 99,
        "strategy": strategy.pk,
        "title": title,
        "unit": unit.pk,
        "change_reason": reason,
    }
    return client.post(reverse("admin:goals_activity_add"), data)


def test_a_unit_lead_cannot_add_an_activity_for_another_unit_in_the_admin(client, demo_data):
    login(client, "navet", staff=True)
    other = Unit.objects.exclude(name="Navet science center").filter(activities__isnull=False).first()
    response = add_activity(client, other, "Bakvägen")
    assert "Du kan bara ändra det som din egen verksamhet ansvarar för" in response.content.decode()
    assert not Activity.objects.filter(title="Bakvägen").exists()
    response = add_activity(client, Unit.objects.get(name="Navet science center"), "Egen aktivitet")
    assert response.status_code == 302
    assert Activity.objects.filter(title="Egen aktivitet").exists()


def test_a_closed_year_takes_an_addition_only_from_the_director_with_a_reason(client, demo_data):
    FiscalYear.objects.filter(year=2019).update(closed=True)
    navet = Unit.objects.get(name="Navet science center")
    login(client, "navet", staff=True)
    assert "är stängt" in add_activity(client, navet, "Sent tillägg").content.decode()
    login(client, "direktor")
    assert "ange varför" in add_activity(client, navet, "Sent tillägg").content.decode()
    assert not Activity.objects.filter(title="Sent tillägg").exists()
    assert add_activity(client, navet, "Sent tillägg", reason="Glömdes i årsredovisningen.").status_code == 302
    history = Activity.objects.get(title="Sent tillägg").history.latest()
    assert history.history_change_reason == f"{LOCK_OVERRIDE_REASON}: Glömdes i årsredovisningen."


def test_the_reason_for_changing_a_closed_year_is_asked_for_only_in_a_closed_year(client, demo_data):
    from goals.models import Indicator

    indicator = Indicator.objects.filter(fiscal_year__year=2019).first()
    login(client, "direktor")
    url = reverse("admin:goals_indicator_change", args=[indicator.pk])
    page = client.get(url).content.decode()
    assert 'name="change_reason"' not in page
    assert 'name="target_reason"' in page  # the målvärde's own reason stays

    FiscalYear.objects.filter(year=2019).update(closed=True)
    assert 'name="change_reason"' in client.get(url).content.decode()
