"""Copying a plan to next year: structure and risks (for review), no results, open åtgärder carried."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from internalcontrol.models import Action, Check, ControlPlan, Risk
from internalcontrol.services import check_log_result, deviation_record, plan_copy_to_year
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def test_copy_carries_structure_and_risks_for_review_and_open_actions_but_no_checks():
    role = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(role=role, points=2)
    plan.areas.update(result_text="Utan anmärkning")
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    check = Check.objects.order_by("due_date", "pk").first()
    check_log_result(
        check=check, user=chef, result="remark", severity="high", performed_on=D(2019, 7, 1), today=D(2019, 7, 1)
    )
    deviation_record(check=check, user=chef, description="Avvikelse", action_description="Rätta rutinen")

    new = plan_copy_to_year(plan=plan, year=2020)

    assert (new.fiscal_year.year, new.status, new.copied_from) == (2020, "draft", plan)
    area = new.areas.get()
    assert (area.name, area.result_text) == ("Redovisning", "")
    assert area.points.count() == 2
    assert not Check.objects.filter(control_point__area__plan=new).exists()
    risk = Risk.objects.get(plan=new)
    assert risk.needs_review and (risk.likelihood, risk.consequence) == (2, 3)
    assert set(risk.control_points.all()) == set(area.points.all())
    old_action, new_action = Action.objects.order_by("pk")
    assert old_action.status == "open"  # the old year stays as it was (issue 20, point 6)
    assert new_action.carried_from == old_action and new_action.status == "open"
    assert new_action.control_point.area.plan == new


def test_copy_refuses_a_year_that_already_has_a_plan():
    plan = adopted_plan()
    plan_copy_to_year(plan=plan, year=2020)
    with pytest.raises(ValidationError, match="2020"):
        plan_copy_to_year(plan=plan, year=2020)
    assert ControlPlan.objects.filter(fiscal_year__year=2020).count() == 1


def test_the_management_command_copies_the_current_plan():
    adopted_plan()
    call_command("copy_control_plan", "--from-year", "2019", "--to-year", "2020", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ControlPlan.objects.get(fiscal_year__year=2020).status == "draft"
