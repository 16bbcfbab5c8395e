import pytest

from goals.models import Status
from goals.selectors import goal_tree, items_without_assessment
from goals.services import assessment_record
from tests.factories import UnitFactory

from .factories import ActivityFactory, DirectionGoalFactory, IndicatorFactory, StrategyFactory, director, follow_up

pytestmark = pytest.mark.django_db


def build(n, unit):
    for _ in range(n):
        goal = DirectionGoalFactory()
        strategy = StrategyFactory(direction_goal=goal, units=[unit])
        for _ in range(2):
            IndicatorFactory(activity=ActivityFactory(strategy=strategy, unit=unit))
        assessment_record(target=goal, follow_up=follow_up(), status=Status.MET, user=director())
    return goal.fiscal_year


def test_goal_tree_uses_the_same_number_of_queries_as_rows_grow(django_assert_num_queries):
    unit = UnitFactory()
    year = build(2, unit)
    # goals, strategies, their units, activities (with unit), the mätetal of strategies and activities at once,
    # their outcomes, and the assessments of all three levels at once: 7 queries.
    with django_assert_num_queries(7) as small:
        tree = goal_tree(year)
    assert len(tree) == 2
    build(6, unit)
    with django_assert_num_queries(len(small.captured_queries)):
        tree = goal_tree(year)
        assert len(tree) == 8
        assert sum(len(s.activity_list) for g in tree for s in g.strategy_list) == 16


def test_goal_tree_filters_by_unit_and_status():
    kultur, navet = UnitFactory(name="Kultur"), UnitFactory(name="Navet")
    strategy = StrategyFactory(units=[kultur])
    mine = ActivityFactory(strategy=strategy, unit=kultur)
    ActivityFactory(strategy=StrategyFactory(direction_goal=strategy.direction_goal, units=[navet]), unit=navet)
    assessment_record(target=mine, follow_up=follow_up(), status=Status.NOT_MET, user=director())
    year = strategy.fiscal_year

    by_unit = goal_tree(year, unit=kultur)
    assert [s.title for g in by_unit for s in g.strategy_list] == [strategy.title]

    by_status = goal_tree(year, status=Status.NOT_MET)
    assert [a.pk for g in by_status for s in g.strategy_list for a in s.activity_list] == [mine.pk]
    assert goal_tree(year, status=Status.MET) == []


def test_items_without_assessment_lists_what_the_unit_owns_and_has_not_assessed():
    navet = UnitFactory(name="Navet")
    strategy = StrategyFactory(units=[navet])
    done = ActivityFactory(strategy=strategy, unit=navet)
    open_activity = ActivityFactory(strategy=strategy, unit=navet)
    ActivityFactory(strategy=strategy, unit=UnitFactory(name="Kultur"))
    assessment_record(target=done, follow_up=follow_up(), status=Status.MET, user=director())

    items = items_without_assessment(follow_up=follow_up(), unit=navet)
    assert items == [strategy, open_activity]
