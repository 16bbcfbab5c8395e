"""The plan import reads the sheet; every row it writes (year, plan, groups, areas, kontrollmoment)
goes through a service that validates it first."""

import datetime

import pytest

from federation.models import FiscalYear
from internalcontrol.models import ControlPlan, ReviewArea
from internalcontrol.resources import plan_import
from internalcontrol.services import (
    DEFAULT_FOOTNOTES,
    control_group_get_or_create,
    plan_get_or_create_for_year,
    review_area_update_or_create,
)
from tests.factories import RoleFactory

from .factories import ControlPlanFactory, ReviewAreaFactory
from .test_import_export import GOOD, write_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_year_without_a_plan_gets_a_calendar_year_and_a_draft_with_the_usual_footnotes():
    plan, created = plan_get_or_create_for_year(year=2030)
    assert created and plan.status == "draft" and plan.footnotes == DEFAULT_FOOTNOTES
    assert (plan.fiscal_year.start, plan.fiscal_year.end) == (D(2030, 1, 1), D(2030, 12, 31))
    again, created_again = plan_get_or_create_for_year(year=2030)
    assert (again, created_again) == (plan, False)
    assert FiscalYear.objects.filter(year=2030).count() == 1 and ControlPlan.objects.count() == 1


def test_an_area_is_updated_in_place_and_a_group_is_found_by_its_name():
    plan = ControlPlanFactory()
    area = ReviewAreaFactory(plan=plan, number=3, name="Gammalt namn")
    group = control_group_get_or_create(plan=plan, name="Styrdokument", order=1)
    assert control_group_get_or_create(plan=plan, name="Styrdokument", order=9) == group

    updated = review_area_update_or_create(plan=plan, number=3, name="Nytt namn", group=group, result_text="Klart")

    assert updated.pk == area.pk
    assert (updated.name, updated.group, updated.result_text) == ("Nytt namn", group, "Klart")
    assert ReviewArea.objects.filter(plan=plan).count() == 1


def test_an_area_name_too_long_for_the_plan_is_a_swedish_row_error_and_nothing_is_stored(tmp_path):
    RoleFactory(name="Administrativ chef")
    RoleFactory(name="Ekonom Navet")
    rows = [r[:] for r in GOOD]
    rows[7][0] = "6. " + "Handkassa " * 30  # row 8: 300 characters

    result = plan_import(year=2021, path=write_xlsx(tmp_path / "plan.xlsx", rows))

    assert [number for number, _ in result.errors] == [8]
    assert result.errors[0][1].startswith("Granskningsområde: ")
    assert "200" in result.errors[0][1]
    assert not ControlPlan.objects.exists() and not ReviewArea.objects.exists()
