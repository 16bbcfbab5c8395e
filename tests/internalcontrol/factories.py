"""Factories for the internal control app, built on tests/factories.py."""

import datetime

import factory

from internalcontrol.frequency import parse_frequency
from internalcontrol.models import Check, ControlGroup, ControlPlan, ControlPoint, ReviewArea, Risk
from tests.factories import DecisionFactory, FiscalYearFactory, RoleFactory


class ControlPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlPlan

    fiscal_year = factory.SubFactory(FiscalYearFactory)


class ControlGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlGroup

    plan = factory.SubFactory(ControlPlanFactory)
    name = factory.Sequence(lambda n: f"Grupp {n}")


class ReviewAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewArea

    plan = factory.SubFactory(ControlPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Område {n}")


class ControlPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ControlPoint

    area = factory.SubFactory(ReviewAreaFactory)
    order = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Kontrollmoment {n}")
    method = "Stickprov"
    frequency_text = "2 ggr/år"
    # Stored as ControlPoint.clean stores it when a kontrollmoment is written.
    per_year = factory.LazyAttribute(lambda point: parse_frequency(point.frequency_text).per_year)
    continuous = factory.LazyAttribute(lambda point: parse_frequency(point.frequency_text).continuous)
    event_driven = factory.LazyAttribute(lambda point: parse_frequency(point.frequency_text).event_driven)
    responsible_role = factory.SubFactory(RoleFactory, name="Administrativ chef")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk
        skip_postgeneration_save = True

    plan = factory.SubFactory(ControlPlanFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 2
    consequence = 3

    @factory.post_generation
    def points(self, create, extracted, **kwargs):
        if create and extracted:
            self.control_points.set(extracted)


class CheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Check

    control_point = factory.SubFactory(ControlPointFactory)
    due_date = datetime.date(2019, 6, 30)


def adopted_plan(*, year=2019, points=1, frequency="2 ggr/år", role=None, decision_date=None):
    """A plan of ``points`` kontrollmoment in one area, adopted, with its checks."""
    from internalcontrol.services import plan_adopt

    plan = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=year))
    area = ReviewAreaFactory(plan=plan, number=1, name="Redovisning")
    role = role or RoleFactory(name="Administrativ chef")
    created = [
        ControlPointFactory(area=area, order=i, frequency_text=frequency, responsible_role=role) for i in range(points)
    ]
    RiskFactory(plan=plan, points=created)
    decision = DecisionFactory(date=decision_date or datetime.date(year - 1, 12, 7), paragraph="§ 1")
    return plan_adopt(plan=plan, decision=decision)
