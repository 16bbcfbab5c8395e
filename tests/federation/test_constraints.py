import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from federation.models import FollowUp, Municipality, RoleAssignment
from tests.factories import (
    FiscalYearFactory,
    MunicipalityFactory,
    RoleAssignmentFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_kommunkod_is_unique():
    MunicipalityFactory(code="1490", name="Borås")
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(code="1490", name="Borås igen")


def test_kommunkod_must_be_four_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(code="149")
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(code="14a0")


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(member_from=D(2000, 1, 1), member_to=D(1999, 1, 1))


def test_membership_kind_must_be_medlem_or_adjungerad():
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityFactory(membership="observer")
    assert not Municipality.objects.filter(membership="observer").exists()


def test_overlapping_assignment_of_the_same_person_to_the_same_role_is_rejected_by_the_database():
    assignment = RoleAssignmentFactory(valid_from=D(2019, 1, 1), valid_to=D(2019, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=assignment.user, role=assignment.role, valid_from=D(2019, 6, 1))
    assert RoleAssignment.objects.count() == 1


def test_an_open_ended_assignment_overlaps_every_later_one():
    assignment = RoleAssignmentFactory(valid_from=D(2019, 1, 1), valid_to=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=assignment.user, role=assignment.role, valid_from=D(2030, 1, 1), valid_to=D(2030, 2, 1)
        )


def test_moving_an_assignment_onto_another_is_rejected_by_the_database():
    first = RoleAssignmentFactory(valid_from=D(2018, 1, 1), valid_to=D(2018, 12, 31))
    second = RoleAssignmentFactory(user=first.user, role=first.role, valid_from=D(2019, 1, 1))
    second.valid_from = D(2018, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_consecutive_assignments_and_other_people_in_the_same_role_are_allowed():
    first = RoleAssignmentFactory(valid_from=D(2018, 1, 1), valid_to=D(2018, 12, 31))
    RoleAssignmentFactory(user=first.user, role=first.role, valid_from=D(2019, 1, 1))
    RoleAssignmentFactory(user=UserFactory(), role=first.role, valid_from=D(2018, 6, 1))
    assert RoleAssignment.objects.filter(role=first.role).count() == 3


def test_overlap_is_explained_in_swedish_by_clean():
    first = RoleAssignmentFactory(valid_from=D(2019, 1, 1))
    duplicate = RoleAssignment(user=first.user, role=first.role, valid_from=D(2019, 3, 1))
    with pytest.raises(ValidationError, match="innehar redan rollen"):
        duplicate.full_clean()


def test_assignment_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignmentFactory(valid_from=D(2019, 1, 1), valid_to=D(2018, 1, 1))


def test_only_one_role_is_the_director():
    RoleFactory(name="Förbundsdirektör", is_director=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(name="Tillförordnad förbundsdirektör", is_director=True)


def test_unit_cannot_be_its_own_parent():
    unit = UnitFactory()
    unit.parent_id = unit.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_fiscal_year_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        FiscalYearFactory(year=2019, start=D(2019, 12, 31), end=D(2019, 1, 1), follow_ups=False)


def test_one_follow_up_of_each_kind_per_year():
    year = FiscalYearFactory(year=2019)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(fiscal_year=year, kind="interim", period_end=D(2019, 4, 30), due_date=D(2019, 5, 15))


def test_follow_up_cannot_be_due_before_its_period_ends():
    year = FiscalYearFactory(year=2019, follow_ups=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(fiscal_year=year, kind="interim", period_end=D(2019, 8, 31), due_date=D(2019, 8, 1))
