"""Factories for the organisation (federation app). Each app's tests add their
own factories module beside their tests and build on these."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from federation import access
from federation.models import (
    Decision,
    DecisionBody,
    Federation,
    FiscalYear,
    FollowUp,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("demo")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """``UserFactory(groups=[access.UNIT_LEAD])`` puts the user in those groups."""
        if create and extracted:
            access.sync_groups()
            self.groups.set(Group.objects.filter(name__in=extracted))


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation
        django_get_or_create = ["name"]

    name = "Boråsregionen Sjuhärads kommunalförbund"
    short_name = "Boråsregionen"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"Kommun {n}")
    code = factory.Sequence(lambda n: f"{1000 + n:04d}")
    membership = Municipality.Membership.MEMBER
    member_from = datetime.date(1999, 1, 1)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Roll {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    lead_role = factory.SubFactory(RoleFactory, name=factory.LazyAttribute(lambda r: f"Chef {r.factory_parent.name}"))


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = factory.SubFactory(RoleFactory)
    valid_from = datetime.date(2018, 1, 1)
    valid_to = None


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]
        skip_postgeneration_save = True

    year = 2019
    start = factory.LazyAttribute(lambda y: datetime.date(y.year, 1, 1))
    end = factory.LazyAttribute(lambda y: datetime.date(y.year, 12, 31))

    @factory.post_generation
    def follow_ups(self, create, extracted, **kwargs):
        if create and extracted is not False:
            FollowUp.objects.get_or_create(
                fiscal_year=self,
                kind=FollowUp.Kind.INTERIM,
                defaults={"period_end": datetime.date(self.year, 8, 31), "due_date": datetime.date(self.year, 9, 30)},
            )
            FollowUp.objects.get_or_create(
                fiscal_year=self,
                kind=FollowUp.Kind.ANNUAL,
                defaults={"period_end": self.end, "due_date": datetime.date(self.year + 1, 2, 15)},
            )


class DecisionBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionBody
        django_get_or_create = ["name"]

    federation = factory.SubFactory(FederationFactory)
    name = "Direktionen"
    is_board = True


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    body = factory.SubFactory(DecisionBodyFactory)
    date = datetime.date(2018, 12, 7)
    kind = Decision.Kind.CONTROL_PLAN
    subject = factory.Sequence(lambda n: f"Ärende {n}")
