"""Reminder providers: which checks and åtgärder are due, at which stage, to whom, in few queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federation.models import ReminderSettings
from federation.reminders import Stage
from federation.selectors import director_role_id
from internalcontrol.models import Check
from internalcontrol.reminders import action_items, check_items
from internalcontrol.services import check_log_result, deviation_record
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.registry import reminder_providers_replaced

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def reminder_settings():
    return ReminderSettings.load()


def items(provider, today, settings):
    found = provider(today=today, settings=settings, director_role_id=director_role_id())
    return sorted((i.key, i.stage, i.due_date, i.role_id, i.user_ids) for i in found)


def test_a_quarterly_check_is_upcoming_28_days_before_and_a_monthly_one_7_days_before(reminder_settings):
    role = RoleFactory(name="Administrativ chef")
    quarterly = adopted_plan(role=role, frequency="Kvartalsvis")
    quarterly_march = Check.objects.get(control_point__area__plan=quarterly, due_date=D(2019, 3, 31))
    monthly = adopted_plan(year=2020, role=role, frequency="Månadsvis")
    monthly_jan = Check.objects.get(control_point__area__plan=monthly, due_date=D(2020, 1, 31))

    assert items(check_items, D(2019, 3, 2), reminder_settings) == []
    assert items(check_items, D(2019, 3, 3), reminder_settings) == [
        (f"check:{quarterly_march.pk}", Stage.UPCOMING, D(2019, 3, 31), role.pk, ())
    ]
    early = {key for key, *_ in items(check_items, D(2020, 1, 23), reminder_settings)}
    assert f"check:{monthly_jan.pk}" not in early
    keys = {key: stage for key, stage, *_ in items(check_items, D(2020, 1, 24), reminder_settings)}
    assert keys[f"check:{monthly_jan.pk}"] == Stage.UPCOMING


def test_overdue_checks_escalate_to_the_director_role_and_performed_checks_are_silent(reminder_settings):
    role = RoleFactory(name="Administrativ chef")
    director_role = RoleFactory(name="Förbundsdirektör", is_director=True)
    plan = adopted_plan(role=role, frequency="2 ggr/år")
    june, december = Check.objects.filter(control_point__area__plan=plan).order_by("due_date")
    got = items(check_items, D(2019, 8, 1), reminder_settings)
    assert (f"check:{june.pk}", Stage.OVERDUE, D(2019, 6, 30), role.pk, ()) in got
    assert (f"check:{june.pk}", Stage.ESCALATED, D(2019, 6, 30), director_role.pk, ()) in got
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    check_log_result(check=june, user=chef, result="ok", performed_on=D(2019, 8, 1), today=D(2019, 8, 1))
    assert items(check_items, D(2019, 8, 2), reminder_settings) == []


def test_open_actions_go_to_the_responsible_person(reminder_settings):
    role = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(role=role, frequency="2 ggr/år")
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    june = Check.objects.filter(control_point__area__plan=plan).earliest("due_date")
    check_log_result(
        check=june, user=chef, result="remark", severity="low", performed_on=D(2019, 7, 1), today=D(2019, 7, 1)
    )
    action = deviation_record(check=june, user=chef, description="X", action_description="Y").actions.get()
    assert action.deadline == D(2020, 1, 1)
    assert items(action_items, D(2019, 12, 17), reminder_settings) == []
    assert items(action_items, D(2019, 12, 18), reminder_settings) == [
        (f"action:{action.pk}", Stage.UPCOMING, D(2020, 1, 1), None, (chef.pk,))
    ]


def test_providers_use_a_constant_number_of_queries(reminder_settings):
    role = RoleFactory(name="Administrativ chef")
    adopted_plan(role=role, frequency="Månadsvis", points=1)
    director = RoleFactory(name="Förbundsdirektör", is_director=True).pk
    with CaptureQueriesContext(connection) as small:
        list(check_items(today=D(2019, 12, 31), settings=reminder_settings, director_role_id=director))
        list(action_items(today=D(2019, 12, 31), settings=reminder_settings, director_role_id=director))
    adopted_plan(year=2020, role=role, frequency="Månadsvis", points=20)
    with CaptureQueriesContext(connection) as large:
        found = list(check_items(today=D(2020, 12, 31), settings=reminder_settings, director_role_id=director))
        list(action_items(today=D(2020, 12, 31), settings=reminder_settings, director_role_id=director))
    assert len(found) > 200
    # open checks; open åtgärder and the chains of åtgärder copied forward (the sweep looks the director role
    # up once and passes it on)
    assert len(large) == len(small) == 3


def test_the_sweep_sends_each_check_reminder_once_to_the_role_holders():
    from federation.models import ReminderSent
    from federation.reminders.services import reminders_sweep

    role = RoleFactory(name="Administrativ chef")
    adopted_plan(role=role, frequency="2 ggr/år")
    RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1))
    with reminder_providers_replaced(check_items, action_items):
        reminders_sweep(today=D(2019, 6, 10))
        reminders_sweep(today=D(2019, 6, 10))
    assert list(ReminderSent.objects.values_list("stage", "recipient__username")) == [("upcoming", "chef")]
