"""Avvikelser only on checks with a remark; an åtgärd's loop is closed by a follow-up check."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from internalcontrol.models import Action, Check, Deviation
from internalcontrol.services import (
    action_mark_done,
    action_verify,
    check_correct,
    check_log_result,
    deviation_record,
)
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def chef_and_checks():
    role = RoleFactory(name="Administrativ chef")
    adopted_plan(role=role, frequency="Kvartalsvis")
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    return chef, list(Check.objects.order_by("due_date"))


def test_a_deviation_on_a_check_without_remark_is_refused_by_service_and_database(chef_and_checks):
    chef, checks = chef_and_checks
    check_log_result(check=checks[0], user=chef, result="ok", performed_on=D(2019, 4, 1), today=D(2019, 4, 1))
    with pytest.raises(ValidationError, match="anmärkning"):
        deviation_record(check=checks[0], user=chef, description="Saknad attest")
    with pytest.raises(IntegrityError), transaction.atomic():
        Deviation.objects.create(check_item=checks[0], description="Saknad attest", recorded_by=chef)
    assert not Deviation.objects.exists()


def test_an_action_defaults_to_six_months_after_the_check_and_is_verified_by_a_later_check(chef_and_checks, settings):
    chef, checks = chef_and_checks
    check_log_result(
        check=checks[0], user=chef, result="remark", severity="medium", performed_on=D(2019, 4, 5), today=D(2019, 4, 5)
    )
    deviation = deviation_record(
        check=checks[0], user=chef, description="Två fakturor utan attest", action_description="Påminn attestanter"
    )
    action = deviation.actions.get()
    assert action.deadline == D(2019, 10, 5)
    assert action.control_point_id == checks[0].control_point_id

    # a check of the same point that is not yet performed cannot verify it
    action = action_mark_done(action=action, user=chef, done_on=D(2019, 5, 1), comment="Påmint", today=D(2019, 5, 1))
    with pytest.raises(ValidationError, match="inte genomförd"):
        action_verify(action=action, check=checks[1])
    check_log_result(check=checks[1], user=chef, result="ok", performed_on=D(2019, 7, 3), today=D(2019, 7, 3))
    action = action_verify(action=action, check=Check.objects.get(pk=checks[1].pk))
    assert (action.status, action.verified_on, action.verified_by_check_id) == ("verified", D(2019, 7, 3), checks[1].pk)


def test_the_follow_up_period_is_a_setting(chef_and_checks, settings):
    settings.DEVIATION_FOLLOW_UP_MONTHS = 3
    chef, checks = chef_and_checks
    check_log_result(
        check=checks[0], user=chef, result="remark", severity="low", performed_on=D(2019, 4, 5), today=D(2019, 4, 5)
    )
    deviation = deviation_record(check=checks[0], user=chef, description="X", action_description="Y")
    assert deviation.actions.get().deadline == D(2019, 7, 5)


def test_a_check_with_deviations_keeps_its_remark(chef_and_checks):
    chef, checks = chef_and_checks
    check_log_result(
        check=checks[0], user=chef, result="remark", severity="low", performed_on=D(2019, 4, 5), today=D(2019, 4, 5)
    )
    deviation_record(check=checks[0], user=chef, description="X")
    with pytest.raises(ValidationError, match="avvikelser"):
        check_correct(
            check=checks[0], user=chef, reason="Fel", result="ok", performed_on=D(2019, 4, 5), today=D(2019, 4, 5)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.filter(pk=checks[0].pk).update(result="ok", severity="")


def test_severity_and_scores_are_held_by_the_database(chef_and_checks):
    chef, checks = chef_and_checks
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.filter(pk=checks[0].pk).update(result="remark", performed_on=D(2019, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.create(control_point=checks[0].control_point, due_date=checks[0].due_date)
    assert Action.objects.count() == 0
