"""The named check queries pages and reminders ask."""

import datetime

import pytest

from federation.navigation import Viewer
from internalcontrol.models import Check
from internalcontrol.services import check_log_result
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def test_open_overdue_and_for_viewer():
    chef_role = RoleFactory(name="Administrativ chef")
    adopted_plan(role=chef_role, frequency="Kvartalsvis")
    chef = RoleAssignmentFactory(role=chef_role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    other = RoleAssignmentFactory(role=RoleFactory(name="Ekonom Navet"), user=UserFactory(username="other")).user
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True), user=UserFactory(username="dir")
    ).user
    first = Check.objects.order_by("due_date").first()
    check_log_result(check=first, user=chef, result="ok", performed_on=D(2019, 4, 1), today=D(2019, 4, 1))

    today = D(2019, 10, 15)
    assert Check.objects.open().count() == 3
    assert list(Check.objects.overdue(today).values_list("due_date", flat=True)) == [D(2019, 6, 30), D(2019, 9, 30)]
    assert Check.objects.for_viewer(Viewer.read(chef, on=today)).count() == 4
    assert Check.objects.for_viewer(Viewer.read(other, on=today)).count() == 0
    assert Check.objects.for_viewer(Viewer.read(director, on=today)).count() == 4
    row = Check.objects.with_related().first()
    assert row.control_point.area.plan.fiscal_year.year == 2019
