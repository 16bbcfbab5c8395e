"""Factories for the goals app, built on the organisation factories."""

import datetime

import factory

from federation.models import FollowUp, Role, RoleAssignment
from goals.models import Activity, Direction, DirectionGoal, Indicator, Strategy
from tests.factories import FiscalYearFactory, RoleAssignmentFactory, RoleFactory, UnitFactory, UserFactory


class DirectionGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectionGoal

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    code = factory.Sequence(lambda n: f"mal-{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Inriktningsmål {n}")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        skip_postgeneration_save = True

    direction_goal = factory.SubFactory(DirectionGoalFactory)
    fiscal_year = factory.SelfAttribute("direction_goal.fiscal_year")
    code = factory.Sequence(lambda n: f"strategi-{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Strategi {n}")

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    strategy = factory.SubFactory(StrategyFactory)
    fiscal_year = factory.SelfAttribute("strategy.fiscal_year")
    code = factory.Sequence(lambda n: f"aktivitet-{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    unit = factory.SubFactory(UnitFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    activity = factory.SubFactory(ActivityFactory)
    fiscal_year = factory.LazyAttribute(lambda i: (i.activity or i.strategy).fiscal_year)
    strategy = None
    series = factory.Sequence(lambda n: f"serie-{n}")
    name = factory.Sequence(lambda n: f"Mätetal {n}")
    unit_of_measure = "antal"
    direction = Direction.AT_LEAST
    target = 500


def follow_up(year=2019, kind=FollowUp.Kind.ANNUAL):
    return FollowUp.objects.get(fiscal_year=FiscalYearFactory(year=year), kind=kind)


def unit_lead(unit, username=None, on=datetime.date(2018, 1, 1)):
    """A user holding ``unit``'s lead role."""
    user = UserFactory(username=username) if username else UserFactory()
    RoleAssignmentFactory(user=user, role=unit.lead_role, valid_from=on)
    return user


def director(username="direktor"):
    role = Role.objects.filter(is_director=True).first() or RoleFactory(name="Förbundsdirektör", is_director=True)
    user = UserFactory(username=username)
    RoleAssignment.objects.get_or_create(user=user, role=role, valid_from=datetime.date(2010, 1, 1))
    return user
