"""The goal table import remembers the column mapping it was given: the next file with the same headers is
read the same way without one (as the internkontrollplan import does). A dry run remembers nothing."""

import pytest

from federation.models import ImportLayout
from goals.models import Indicator
from goals.resources import goals_import
from tests.factories import FiscalYearFactory

from .test_goal_plan_import import xlsx

pytestmark = pytest.mark.django_db
MAPPING = "Vad vi vill=Inriktningsmål,Hur=Strategi,Mäts med=Mätetal,Mål=Målvärde,Not=ignorera"


def test_the_next_file_with_the_same_headers_needs_no_mapping():
    FiscalYearFactory(year=2027)
    FiscalYearFactory(year=2028)
    header = ["Vad vi vill", "Hur", "Mäts med", "Mål", "Not"]
    first = xlsx([header, ["Trygg region", "Samverka", "Antal nätverk", "5", "x"]])

    assert goals_import(year=2027, path="plan.xlsx", content=first, mapping=MAPPING, dry_run=True).ok
    assert not ImportLayout.objects.exists()
    assert goals_import(year=2027, path="plan.xlsx", content=first, mapping=MAPPING).ok

    layout = ImportLayout.objects.get(kind="måltabell")
    assert layout.headers == header
    assert layout.mapping["vad vi vill"] == "goal" and layout.mapping["not"] == "ignorera"
    second = xlsx([["  vad vi VILL", "Hur", "Mäts med", "Mål", "Not"], ["Hållbar region", "Ställ om", "Andel", "40"]])
    result = goals_import(year=2028, path="plan.xlsx", content=second)

    assert result.ok, result.preview()
    indicator = Indicator.objects.get(fiscal_year__year=2028)
    assert (indicator.name, indicator.strategy.direction_goal.title) == ("Andel", "Hållbar region")
    assert ("Not", "ignorera") in result.columns


def test_a_file_with_other_headers_is_not_read_with_the_remembered_mapping():
    FiscalYearFactory(year=2027)
    content = xlsx([["Vad vi vill", "Hur", "Mäts med", "Mål"], ["Trygg region", "Samverka", "Antal nätverk", "5"]])
    assert goals_import(year=2027, path="plan.xlsx", content=content, mapping=MAPPING).ok

    other = xlsx([["Vad vi vill", "Hur", "Mäts med"], ["Trygg region", "Samverka", "Antal nätverk"]])

    assert not goals_import(year=2027, path="plan.xlsx", content=other).ok
