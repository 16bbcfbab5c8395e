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


def test_summary_with_only_composes_just_the_counts_asked_and_open_when_it_can():
    chef_role = RoleFactory(name="Administrativ chef")
    adopted_plan(role=chef_role, frequency="Kvartalsvis")
    first = Check.objects.order_by("due_date").first()
    chef = RoleAssignmentFactory(role=chef_role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    check_log_result(check=first, user=chef, result="ok", performed_on=D(2019, 4, 1), today=D(2019, 4, 1))
    on = D(2019, 10, 15)
    full = Check.objects.summary(on=on)
    assert Check.objects.summary(on=on, only=("event_done",)) == {"event_done": 0}
    some = Check.objects.summary(on=on, only=("planned", "done", "overdue"))
    assert some == {key: full[key] for key in ("planned", "done", "overdue", "open", "percent_done")}
    assert (some["planned"], some["done"], some["open"], some["overdue"]) == (4, 1, 3, 2)
