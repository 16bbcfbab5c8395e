"""Scaled goal data for the benchmark (see organisation.py).

Per year of the ten, ``factor`` copies of the 2019 goals (årsredovisning 2019,
sections 4–7): inriktningsmål, strategier, aktiviteter and mätetal, with the
responsible units mapped to the scaled units, the outcomes (per municipality
where the 2019 mätetal is broken down so) and the assessments, each with two
history rows (first "pågår" at the delår, then the final word at the helår).
Copy ``k`` is known by the suffix ``-k<k>`` on codes and series, the same
every year, so the mätetal form time series. A year that already has goals
from the demo gets ``factor - 1`` copies."""

import copy as copying
import datetime
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from federation.models import FiscalYear, FollowUp, Unit
from goals.models import Activity, Assessment, DirectionGoal, Indicator, Outcome, OverallGoal, Status, Strategy
from goals.services import activity_copy, direction_goal_copy, indicator_copy, overall_goal_copy, strategy_copy

from .organisation import YEARS

TEMPLATE_YEAR = 2019
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _suffix(value, copy, keep_first=True):
    return value if copy == 0 and keep_first else f"{value[:74]}-k{copy}"


def generate(*, factor: int, rng: random.Random, context: dict) -> dict:
    template = FiscalYear.objects.get(year=TEMPLATE_YEAR)
    t_goals = list(DirectionGoal.objects.filter(fiscal_year=template).order_by("order", "pk"))
    template_codes = [goal.code for goal in t_goals]
    t_strategies = list(Strategy.objects.filter(fiscal_year=template).prefetch_related("units").order_by("pk"))
    t_activities = list(Activity.objects.filter(fiscal_year=template).order_by("pk"))
    t_indicators = list(Indicator.objects.filter(fiscal_year=template).order_by("pk"))
    t_outcomes = list(Outcome.objects.filter(indicator__fiscal_year=template).select_related("follow_up"))
    t_assessments = list(
        Assessment.objects.filter(follow_up__fiscal_year=template, overall_goal__isnull=True).select_related(
            "follow_up"
        )
    )
    t_overall = OverallGoal.objects.filter(fiscal_year=template).first()
    users = [user.pk for user in context["users"]] or list(get_user_model().objects.values_list("pk", flat=True))

    # Copy k of a unit is the scaled unit named "<name> k" (scaled/organisation.py); copy 0 the unit itself.
    by_name = {unit.name: unit.pk for unit in Unit.objects.all()}
    unit_names = dict(Unit.objects.values_list("pk", "name"))

    def unit_copy(unit_id, copy):
        if unit_id is None or copy == 0:
            return unit_id
        return by_name.get(f"{unit_names[unit_id]} {copy}", unit_id)

    counts = dict.fromkeys(
        ["inriktningsmål", "strategier", "aktiviteter", "mätetal", "utfall", "bedömningar", "historikrader"], 0
    )
    for year in YEARS:
        fiscal_year = FiscalYear.objects.get(year=year)
        follow_ups = {f.kind: f for f in FollowUp.objects.filter(fiscal_year=fiscal_year)}
        if t_overall and not OverallGoal.objects.filter(fiscal_year=fiscal_year).exists():
            bulk_create_with_history(
                [overall_goal_copy(source=t_overall, fiscal_year=fiscal_year)],
                OverallGoal,
            )
        # Copy 0 keeps the 2019 codes: skipped where the demo already has them (2019 itself),
        # suffixed "-k0" where some of them are taken (Navet's 2013 mätetal share series).
        has_template = DirectionGoal.objects.filter(fiscal_year=fiscal_year, code__in=template_codes).exists()
        copies = range(1, factor) if has_template else range(factor)
        taken = (
            Strategy.objects.filter(fiscal_year=fiscal_year, code__in=[s.code for s in t_strategies]).exists()
            or Activity.objects.filter(fiscal_year=fiscal_year, code__in=[a.code for a in t_activities]).exists()
            or Indicator.objects.filter(fiscal_year=fiscal_year, series__in=[i.series for i in t_indicators]).exists()
        )
        keep = not taken
        if not copies:
            continue

        goals = bulk_create_with_history(
            [
                direction_goal_copy(
                    source=goal,
                    fiscal_year=fiscal_year,
                    code=_suffix(goal.code, k, keep),
                    unit_id=unit_copy(goal.unit_id, k),
                )
                for k in copies
                for goal in t_goals
            ],
            DirectionGoal,
        )
        goal_of = dict(zip([(k, g.pk) for k in copies for g in t_goals], goals, strict=True))
        strategies = bulk_create_with_history(
            [
                strategy_copy(
                    source=strategy,
                    fiscal_year=fiscal_year,
                    code=_suffix(strategy.code, k, keep),
                    direction_goal=goal_of[(k, strategy.direction_goal_id)],
                    plan_unit_id=unit_copy(strategy.plan_unit_id, k),
                )
                for k in copies
                for strategy in t_strategies
            ],
            Strategy,
        )
        strategy_of = dict(zip([(k, s.pk) for k in copies for s in t_strategies], strategies, strict=True))
        Strategy.units.through.objects.bulk_create(
            [
                Strategy.units.through(strategy=strategy_of[(k, strategy.pk)], unit_id=unit_copy(unit.pk, k))
                for k in copies
                for strategy in t_strategies
                for unit in strategy.units.all()
            ],
            ignore_conflicts=True,
        )
        activities = bulk_create_with_history(
            [
                activity_copy(
                    source=activity,
                    fiscal_year=fiscal_year,
                    code=_suffix(activity.code, k, keep),
                    strategy=strategy_of[(k, activity.strategy_id)],
                    unit_id=unit_copy(activity.unit_id, k),
                )
                for k in copies
                for activity in t_activities
            ],
            Activity,
        )
        activity_of = dict(zip([(k, a.pk) for k in copies for a in t_activities], activities, strict=True))
        indicators = bulk_create_with_history(
            [
                indicator_copy(
                    source=indicator,
                    fiscal_year=fiscal_year,
                    series=_suffix(indicator.series, k, keep),
                    strategy=strategy_of.get((k, indicator.strategy_id)),
                    activity=activity_of.get((k, indicator.activity_id)),
                )
                for k in copies
                for indicator in t_indicators
            ],
            Indicator,
        )
        indicator_of = dict(zip([(k, i.pk) for k in copies for i in t_indicators], indicators, strict=True))

        outcomes, seen = [], set()
        for k in copies:
            for outcome in t_outcomes:
                follow_up = follow_ups[outcome.follow_up.kind]
                indicator = indicator_of[(k, outcome.indicator_id)]
                key = (indicator.pk, follow_up.pk, outcome.municipality_id, outcome.delregion)
                if key in seen:
                    continue
                seen.add(key)
                value = outcome.value
                if value is not None:
                    value = round(value * rng.choice([8, 9, 10, 11, 12]) / 10)
                outcomes.append(
                    Outcome(
                        indicator=indicator,
                        follow_up=follow_up,
                        municipality_id=outcome.municipality_id,
                        delregion=outcome.delregion,
                        value=value,
                        numerator=outcome.numerator,
                        denominator=outcome.denominator,
                        text=outcome.text,
                        recorded_by_id=rng.choice(users),
                    )
                )
        outcomes = bulk_create_with_history(outcomes, Outcome, batch_size=2000)

        assessments = []
        for k in copies:
            for assessment in t_assessments:
                target = {
                    "direction_goal": goal_of.get((k, assessment.direction_goal_id)),
                    "strategy": strategy_of.get((k, assessment.strategy_id)),
                    "activity": activity_of.get((k, assessment.activity_id)),
                }
                assessments.append(
                    Assessment(
                        follow_up=follow_ups[assessment.follow_up.kind],
                        status=rng.choice([assessment.status] * 3 + [c.value for c in Status]),
                        suggested_status=assessment.suggested_status,
                        text=assessment.text,
                        author_id=rng.choice(users),
                        **target,
                    )
                )
        assessments = Assessment.objects.bulk_create(assessments, batch_size=2000)
        # History: first "pågår" at the delår, then the final assessment at the helår.
        interim = datetime.datetime.combine(follow_ups[FollowUp.Kind.INTERIM].due_date, datetime.time(9), STOCKHOLM)
        annual = datetime.datetime.combine(follow_ups[FollowUp.Kind.ANNUAL].due_date, datetime.time(9), STOCKHOLM)
        first_versions = []
        for assessment in assessments:
            first = copying.copy(assessment)
            first.status = Status.IN_PROGRESS
            first_versions.append(first)
        Assessment.history.bulk_history_create(first_versions, batch_size=2000, default_date=interim)
        Assessment.history.bulk_history_create(assessments, batch_size=2000, update=True, default_date=annual)

        counts["inriktningsmål"] += len(goals)
        counts["strategier"] += len(strategies)
        counts["aktiviteter"] += len(activities)
        counts["mätetal"] += len(indicators)
        counts["utfall"] += len(outcomes)
        counts["bedömningar"] += len(assessments)
        counts["historikrader"] += 2 * len(assessments)
    return counts
