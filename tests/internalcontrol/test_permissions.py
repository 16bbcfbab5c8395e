"""Only holders of the responsible role today (and the förbundsdirektör) may log a check."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from internalcontrol.models import Check
from internalcontrol.permissions import can_log_check
from internalcontrol.services import check_log_result
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def setup():
    chef = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(role=chef)
    holder = RoleAssignmentFactory(role=chef, user=UserFactory(username="holder"), valid_from=D(2019, 1, 1)).user
    former = RoleAssignmentFactory(
        role=chef, user=UserFactory(username="former"), valid_from=D(2015, 1, 1), valid_to=D(2018, 12, 31)
    ).user
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True),
        user=UserFactory(username="dir"),
        valid_from=D(2010, 1, 1),
    ).user
    other = RoleAssignmentFactory(role=RoleFactory(name="Ekonom Navet"), user=UserFactory(username="other")).user
    return plan, Check.objects.order_by("due_date").first(), holder, former, director, other


def test_holder_of_the_role_and_the_director_may_log_and_no_one_else(setup):
    plan, check, holder, former, director, other = setup
    today = D(2019, 7, 1)
    assert can_log_check(holder, check, today)
    assert can_log_check(director, check, today)
    assert not can_log_check(former, check, today)
    assert not can_log_check(other, check, today)


def test_a_non_holder_is_refused_and_nothing_is_written(setup):
    plan, check, holder, former, director, other = setup
    with pytest.raises(PermissionDenied):
        check_log_result(check=check, user=other, result="ok", performed_on=D(2019, 7, 1), today=D(2019, 7, 1))
    check.refresh_from_db()
    assert check.result == "" and check.performed_on is None


def test_the_holder_logs_a_result_with_sample_and_comment(setup):
    plan, check, holder, *_ = setup
    check_log_result(
        check=check, user=holder, result="remark", severity="low", performed_on=D(2019, 7, 1),
        sample="10 fakturor", comment="En saknade attest", today=D(2019, 7, 2),
    )  # fmt: skip
    check.refresh_from_db()
    assert (check.result, check.severity, check.performed_by, check.sample) == ("remark", "low", holder, "10 fakturor")
