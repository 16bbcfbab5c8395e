"""In the admin, a granskningsområde's group is chosen among its own plan's groups only (every plan has groups
with the same names: the other plans' would be listed again and again, and refused on save)."""

import re

import pytest
from django.urls import reverse

from internalcontrol.models import ControlGroup
from tests.factories import FiscalYearFactory

from .factories import ControlPlanFactory, ReviewAreaFactory

pytestmark = pytest.mark.django_db


def group_options(html: str, select_name: str) -> list[str]:
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)]


def test_the_plan_page_and_the_area_page_offer_only_the_plans_own_groups(admin_client):
    plan = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=2027))
    other = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=2026))
    ControlGroup.objects.create(plan=plan, name="Ekonomi och administration", order=1)
    ControlGroup.objects.create(plan=other, name="Ekonomi och administration", order=1)
    ControlGroup.objects.create(plan=other, name="Styrdokument", order=2)
    area = ReviewAreaFactory(plan=plan)

    plan_page = admin_client.get(reverse("admin:internalcontrol_controlplan_change", args=[plan.pk])).content.decode()
    area_page = admin_client.get(reverse("admin:internalcontrol_reviewarea_change", args=[area.pk])).content.decode()

    assert group_options(plan_page, "areas-0-group") == ["Ekonomi och administration"]
    assert group_options(area_page, "group") == ["Ekonomi och administration"]
