import pytest
from django.urls import reverse

from goals.models import Status
from goals.services import assessment_record
from tests.factories import UnitFactory

from .factories import ActivityFactory, DirectionGoalFactory, IndicatorFactory, StrategyFactory, director, follow_up

pytestmark = pytest.mark.django_db


def grow(n, unit, boss):
    for _ in range(n):
        goal = DirectionGoalFactory()
        strategy = StrategyFactory(direction_goal=goal, units=[unit])
        IndicatorFactory(activity=None, strategy=strategy, fiscal_year=goal.fiscal_year)
        for _ in range(3):
            activity = ActivityFactory(strategy=strategy, unit=unit)
            IndicatorFactory(activity=activity)
            assessment_record(target=activity, follow_up=follow_up(), status=Status.MET, user=boss)


def test_goal_tree_page_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    boss = director()
    client.force_login(boss)
    unit = UnitFactory()
    grow(2, unit, boss)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("goals:index"), {"year": 2019})
    assert response.content.decode().count("tree-aktivitet") == 6
    grow(10, unit, boss)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("goals:index"), {"year": 2019})
    # 12 inriktningsmål, five per page (goals.views.GOALS_PER_PAGE), each with three activities
    assert response.content.decode().count("tree-aktivitet") == 15
    assert "Sida 1 av 3" in response.content.decode()
    response = client.get(reverse("goals:index"), {"year": 2019, "sida": 3})
    assert response.content.decode().count("tree-aktivitet") == 6


def test_min_enhet_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import unit_lead

    boss = director()
    unit = UnitFactory()
    client.force_login(unit_lead(unit))
    grow(1, unit, boss)
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("goals:my_unit"), {"year": 2019})
    assert response.content.decode().count('class="card unit-item') == 4  # one strategy, three activities
    grow(5, unit, boss)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("goals:my_unit"), {"year": 2019})
    # 24 items, twenty per page (goals.views.MY_UNIT_ITEMS_PER_PAGE)
    assert response.content.decode().count('class="card unit-item') == 20
    assert "Sida 1 av 2 (24 poster)" in response.content.decode()
    response = client.get(reverse("goals:my_unit"), {"year": 2019, "sida": 2})
    assert response.content.decode().count('class="card unit-item') == 4
