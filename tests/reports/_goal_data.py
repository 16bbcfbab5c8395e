"""A small goal plan for 2018 and 2019 with assessments at helår 2018, delår 2019 and helår 2019 (factories),
for the report tests that use the registered builders."""

import datetime

from goals.models import Assessment, Outcome, Status
from tests.goals.factories import DirectionGoalFactory, IndicatorFactory, StrategyFactory, follow_up


def assess(target, follow_up, status):
    field = {"DirectionGoal": "direction_goal", "Strategy": "strategy"}[type(target).__name__]
    return Assessment.objects.create(**{field: target}, follow_up=follow_up, status=status)


def goal_plan():
    """Two inriktningsmål in 2019 (and the first one, same code, in 2018); a strategy with a mätetal."""
    annual_2018 = follow_up(2018)
    interim, annual = follow_up(2019, "interim"), follow_up(2019)
    old_goal = DirectionGoalFactory(fiscal_year=annual_2018.fiscal_year, code="foretag", title="Företagande")
    first = DirectionGoalFactory(fiscal_year=interim.fiscal_year, code="foretag", title="Företagande")
    second = DirectionGoalFactory(fiscal_year=interim.fiscal_year, code="kompetens", title="Kompetens")
    strategy = StrategyFactory(direction_goal=first, code="klimat", title="Förbättra företagsklimatet")
    indicator = IndicatorFactory(strategy=strategy, activity=None, name="Nya företag", target=90, series="nya")
    assess(old_goal, annual_2018, Status.MET)
    assess(first, interim, Status.IN_PROGRESS)  # moved from Uppfyllt (helår 2018) to Pågår
    assess(second, interim, Status.MET)
    assess(first, annual, Status.NOT_MET)
    assess(second, annual, Status.NOT_MET)
    assess(strategy, interim, Status.PARTLY_MET)
    Outcome.objects.create(indicator=indicator, follow_up=interim, value=40)
    Outcome.objects.create(indicator=indicator, follow_up=annual, value=95)
    return {
        "interim": interim,
        "annual": annual,
        "first": first,
        "second": second,
        "strategy": strategy,
        "indicator": indicator,
        "day": datetime.date(2019, 8, 31),
    }
