"""The turn of the year: next year's plan adopted in December does not hide this year's work."""

import datetime

import pytest
from django.urls import reverse

from federation.models import ReminderSettings
from internalcontrol.models import Check
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def chef_client(client):
    role = RoleFactory(name="Administrativ chef")
    RoleFactory(name="Förbundsdirektör", is_director=True)
    adopted_plan(year=2020, role=role, frequency="Kvartalsvis")
    adopted_plan(year=2021, role=role, frequency="Kvartalsvis", decision_date=D(2020, 12, 4))
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    client.force_login(chef)
    return client


def test_in_december_mina_kontroller_still_lists_this_years_overdue_checks_after_next_years_plan_is_adopted(
    chef_client, settings
):
    settings.FIXED_TODAY = D(2020, 12, 15)
    response = chef_client.get(reverse("internalcontrol:my-checks"))
    rows = response.context["table"].page.object_list
    years = {row.record.control_point.area.plan.fiscal_year.year for row in rows}
    assert years == {2020, 2021}
    # 2020's March, June and September checks are overdue; its December check is upcoming
    assert response.context["counts"]["overdue"] == 3
    assert response.context["year_counts"][2020]["overdue"] == 3
    assert response.context["year_counts"][2021]["overdue"] == 0
    page = response.content.decode()
    assert page.index(">2020 <") < page.index(">2021 <")  # grouped by year, this year first


def test_in_december_the_oversikt_and_the_plan_stay_on_this_year(chef_client, settings):
    settings.FIXED_TODAY = D(2020, 12, 15)
    assert chef_client.get("/oversikt/").context["fiscal_year"].year == 2020
    assert chef_client.get(reverse("internalcontrol:index")).context["year"] == 2020


def test_on_1_january_the_new_year_is_in_progress_and_last_years_overdue_checks_stay_until_done(chef_client, settings):
    settings.FIXED_TODAY = D(2021, 1, 1)
    assert chef_client.get("/oversikt/").context["fiscal_year"].year == 2021
    assert chef_client.get(reverse("internalcontrol:index")).context["year"] == 2021
    response = chef_client.get(reverse("internalcontrol:my-checks") + "?state=open")
    assert response.context["year_counts"][2020]["open"] == 4


def test_a_year_filter_shows_one_year_and_garbage_is_a_form_error_not_a_500(chef_client, settings):
    settings.FIXED_TODAY = D(2020, 12, 15)
    response = chef_client.get(reverse("internalcontrol:my-checks") + "?year=2021")
    assert {row.record.due_date.year for row in response.context["table"].page.object_list} == {2021}
    for garbage in ["²", "①", "abc", "1999", "-1"]:
        assert chef_client.get(reverse("internalcontrol:my-checks") + f"?year={garbage}").status_code == 200
        assert chef_client.get(reverse("internalcontrol:actions") + f"?year={garbage}").status_code == 200


def test_a_reported_year_leaves_mina_kontroller_unless_chosen(chef_client, settings):
    from internalcontrol.models import ControlPlan

    settings.FIXED_TODAY = D(2021, 3, 1)
    ControlPlan.objects.filter(fiscal_year__year=2020).update(status="reported", reported_on=D(2021, 2, 20))
    response = chef_client.get(reverse("internalcontrol:my-checks"))
    assert set(response.context["year_counts"]) == {2021}
    chosen = chef_client.get(reverse("internalcontrol:my-checks") + "?year=2020")
    assert set(chosen.context["year_counts"]) == {2020}
    assert Check.objects.count() == 8 and ReminderSettings.load().overdue_after_days == 7
