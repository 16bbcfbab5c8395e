"""The real 2019 plan as demo data: 26 areas, a finished and reported year, and 2020 adopted and open."""

import datetime

import pytest
from django.core.management import call_command

from internalcontrol.models import Action, Check, ControlPlan, ControlPoint, Deviation, ReviewArea, Risk

D = datetime.date


def counts():
    return [m.objects.count() for m in (ControlPlan, ReviewArea, ControlPoint, Risk, Check, Deviation, Action)]


@pytest.mark.django_db
def test_2019_has_all_26_areas_and_reads_as_a_finished_year(demo_data):
    plan = ControlPlan.objects.get(fiscal_year__year=2019)
    assert plan.status == "reported" and plan.decision.date == D(2018, 12, 7)
    areas = list(plan.areas.order_by("number"))
    assert [a.number for a in areas] == list(range(1, 27))
    assert areas[20].name == "IT-policy" and areas[20].result_text == "Saknas"
    assert areas[22].points.get(order=2).responsible_role.name == "Förbundsdirektör"
    assert plan.areas.get(number=12).points.get().per_year == 12
    assert ControlPoint.objects.filter(area__plan=plan).count() == 35
    assert not Check.objects.filter(control_point__area__plan=plan, performed_on__isnull=True).exists()
    assert Check.objects.filter(control_point__area__plan=plan, result="remark").count() == 5
    assert plan.sign_off.signed_by.username == "direktor"
    assert plan.sign_off.snapshot["checks"]["remark"] == 5


@pytest.mark.django_db
def test_2020_is_a_copy_adopted_on_2019_12_06_with_open_checks_and_carried_actions(demo_data):
    plan = ControlPlan.objects.get(fiscal_year__year=2020)
    assert plan.status == "adopted" and plan.decision.date == D(2019, 12, 6)
    assert plan.areas.count() == 26
    checks = Check.objects.filter(control_point__area__plan=plan)
    assert checks.exists() and not checks.filter(performed_on__isnull=False).exists()
    assert Risk.objects.filter(plan=plan, needs_review=True).count() == Risk.objects.filter(plan=plan).count()
    carried = Action.objects.filter(control_point__area__plan=plan)
    assert carried.count() == 5 and all(a.carried_from_id for a in carried)


@pytest.mark.django_db
def test_loading_the_demo_twice_duplicates_nothing(demo_data):
    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert ControlPlan.objects.get(fiscal_year__year=2019).status == "reported"
