"""The plan and Mina kontroller pages use the same number of queries however many rows there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from internalcontrol.services import plan_adopt
from tests.factories import DecisionFactory, FiscalYearFactory, RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import ControlGroupFactory, ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, RiskFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def build_plan(year, areas):
    role = RoleFactory(name="Administrativ chef")
    plan = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=year))
    group = ControlGroupFactory(plan=plan, name="Ekonomi och administration")
    for number in range(1, areas + 1):
        area = ReviewAreaFactory(plan=plan, group=group, number=number)
        points = [ControlPointFactory(area=area, order=i, responsible_role=role) for i in range(2)]
        RiskFactory(plan=plan, points=points)
    plan_adopt(plan=plan, decision=DecisionFactory())
    return role


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["internalcontrol:index", "internalcontrol:my-checks", "internalcontrol:overview", "internalcontrol:risks"],
)
def test_query_count_is_constant_as_rows_grow(client, url_name, settings):
    role = build_plan(2019, 2)
    user = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2018, 1, 1)).user
    client.force_login(user)
    url = reverse(url_name) + "?year=2019"
    small, page = count(client, url)
    assert "Område" in page or "Kontrollmoment" in page or "Risk" in page

    # many more areas in the same (adopted) plan, written directly
    from internalcontrol.models import ControlPlan, Risk
    from internalcontrol.services import checks_generate

    plan = ControlPlan.objects.get()
    group = plan.groups.get()
    for number in range(3, 23):
        area = ReviewAreaFactory(plan=plan, group=group, number=number)
        points = [ControlPointFactory(area=area, order=i, responsible_role=role) for i in range(2)]
        risk = Risk.objects.create(plan=plan, title=f"Extra {number}", likelihood=3, consequence=3)
        risk.control_points.set(points)
    checks_generate(plan=plan)
    large, page = count(client, url)
    assert "Område" in page or "Kontrollmoment" in page or "Risk" in page
    assert large == small, (small, large)
