"""Copying a plan to next year leaves the old year as it was, and an åtgärd carried forward is reminded once
(issue 20, point 6)."""

import datetime

import pytest
from django.core import mail

from federation.models import ReminderSent
from federation.reminders.services import reminder_mail_send, reminders_sweep
from internalcontrol.models import Action, Check
from internalcontrol.reminders import action_items
from internalcontrol.services import action_mark_done, check_log_result, deviation_record, plan_copy_to_year
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.registry import reminder_providers_replaced

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def open_action():
    """A 2020 plan with one open åtgärd (deadline 2020-12-01), responsible: chef."""
    role = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(year=2020, role=role)
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    june = Check.objects.get(control_point__area__plan=plan, due_date=D(2020, 6, 30))
    check_log_result(
        check=june, user=chef, result="remark", severity="low", performed_on=D(2020, 7, 1), today=D(2020, 7, 1)
    )
    deviation_record(check=june, user=chef, description="Fel", action_description="Rätta", deadline=D(2020, 12, 1))
    return plan, Action.objects.get()


def test_copying_keeps_the_old_years_open_action_open_and_links_the_copy(open_action):
    plan, action = open_action
    new = plan_copy_to_year(plan=plan, year=2021)
    action.refresh_from_db()
    copy = Action.objects.get(control_point__area__plan=new)
    assert action.status == "open" and action.history.count() == 1  # nothing written to the old year
    assert copy.carried_from == action and (copy.status, copy.deadline) == ("open", action.deadline)


def test_an_action_carried_to_next_year_is_reminded_once_not_again_under_a_new_key(open_action, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    plan, action = open_action
    with reminder_providers_replaced(action_items):
        # given the åtgärd was reminded as overdue
        for mail_id in reminders_sweep(today=D(2020, 12, 10)).mail_ids:
            reminder_mail_send(mail_id=mail_id)
        sent = ReminderSent.objects.count()
        # when the plan is copied to 2021 and the same day's sweep runs again
        plan_copy_to_year(plan=plan, year=2021)
        result = reminders_sweep(today=D(2020, 12, 10))
    # then nothing new is claimed or sent
    assert ReminderSent.objects.count() == sent == 1
    assert result.mail_ids == [] and len(mail.outbox) == 1
    assert ReminderSent.objects.get().item_key == f"action:{action.pk}"


def test_marking_the_copy_done_marks_the_same_action_done_in_the_old_year(open_action):
    plan, action = open_action
    plan_copy_to_year(plan=plan, year=2021)
    copy = action.carried_to
    action_mark_done(action=copy, user=action.responsible, done_on=D(2021, 1, 20), comment="Klar")
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", D(2021, 1, 20))
