import datetime

import pytest

from federation.selectors import role_holders, role_holders_by_role
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def committee():
    """Skyddskommittén: one member until 2018-12-31, one from 2019-01-01, one throughout."""
    role = RoleFactory(name="Skyddskommittén")
    leaver = RoleAssignmentFactory(
        role=role, user=UserFactory(username="leaver"), valid_from=D(2015, 1, 1), valid_to=D(2018, 12, 31)
    )
    joiner = RoleAssignmentFactory(role=role, user=UserFactory(username="joiner"), valid_from=D(2019, 1, 1))
    stayer = RoleAssignmentFactory(role=role, user=UserFactory(username="stayer"), valid_from=D(2010, 1, 1))
    return role, leaver.user, joiner.user, stayer.user


def usernames(users):
    return sorted(u.username for u in users)


def test_holders_on_the_last_day_of_an_assignment_include_the_leaver(committee):
    role, *_ = committee
    assert usernames(role_holders(role=role, on=D(2018, 12, 31))) == ["leaver", "stayer"]


def test_holders_on_the_first_day_of_an_assignment_include_the_joiner_and_not_the_leaver(committee):
    role, *_ = committee
    assert usernames(role_holders(role=role, on=D(2019, 1, 1))) == ["joiner", "stayer"]


def test_nobody_holds_a_role_before_any_assignment_starts(committee):
    role, *_ = committee
    assert usernames(role_holders(role=role, on=D(2009, 12, 31))) == []


def test_an_inactive_user_holds_no_role(committee):
    role, _, joiner, _ = committee
    joiner.is_active = False
    joiner.save()
    assert usernames(role_holders(role=role, on=D(2019, 6, 1))) == ["stayer"]


def test_a_person_holding_two_roles_is_listed_once_per_role(committee):
    role, _, joiner, _ = committee
    other = RoleFactory(name="Administrativ chef")
    RoleAssignmentFactory(role=other, user=joiner, valid_from=D(2019, 1, 1))
    by_role = role_holders_by_role(roles=[role, other], on=D(2019, 6, 1))
    assert usernames(by_role[role.pk]) == ["joiner", "stayer"]
    assert usernames(by_role[other.pk]) == ["joiner"]


def test_holders_of_many_roles_are_fetched_in_one_query(committee, django_assert_num_queries):
    role, *_ = committee
    roles = [role, *RoleFactory.create_batch(5)]
    with django_assert_num_queries(1):
        role_holders_by_role(roles=roles, on=D(2019, 6, 1))


def test_is_director_is_whoever_holds_the_director_role_that_day_or_a_superuser():
    from django.contrib.auth.models import AnonymousUser

    from federation.selectors import director_role_id, is_director

    role = RoleFactory(name="Förbundsdirektör", is_director=True)
    former = RoleAssignmentFactory(
        role=role, user=UserFactory(username="former"), valid_from=D(2010, 1, 1), valid_to=D(2018, 12, 31)
    ).user
    current = RoleAssignmentFactory(role=role, user=UserFactory(username="current"), valid_from=D(2019, 1, 1)).user
    inactive = RoleAssignmentFactory(
        role=role, user=UserFactory(username="inactive", is_active=False), valid_from=D(2019, 1, 1)
    ).user
    assert director_role_id() == role.pk
    assert is_director(current, on=D(2019, 1, 1)) and not is_director(current, on=D(2018, 12, 31))
    assert is_director(former, on=D(2018, 12, 31)) and not is_director(former, on=D(2019, 1, 1))
    assert not is_director(inactive, on=D(2019, 6, 1))
    assert not is_director(AnonymousUser(), on=D(2019, 6, 1))
    assert is_director(UserFactory(username="root", is_superuser=True), on=D(2019, 6, 1))


def test_is_director_answers_from_the_viewer_read_for_the_same_day_without_a_query(django_assert_num_queries):
    from federation.navigation import Viewer
    from federation.selectors import is_director

    role = RoleFactory(name="Förbundsdirektör", is_director=True)
    director = RoleAssignmentFactory(role=role, user=UserFactory(username="director"), valid_from=D(2019, 1, 1)).user
    other = UserFactory(username="other")
    Viewer.read(director, on=D(2019, 6, 1))
    Viewer.read(other, on=D(2019, 6, 1))
    with django_assert_num_queries(0):
        assert is_director(director, on=D(2019, 6, 1))
        assert not is_director(other, on=D(2019, 6, 1))
    # another day is asked of the database: the viewer read holds only its own day
    with django_assert_num_queries(1):
        assert not is_director(director, on=D(2018, 6, 1))
