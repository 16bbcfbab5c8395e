"""A logged check is corrected only with a reason, kept in its history beside old → new; until the plan
is reported by the role holder, after that only by the förbundsdirektör, marked as a change after locking.
Logging it again is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from federation.access import LOCK_OVERRIDE_REASON
from federation.history import object_history
from internalcontrol.models import Check, CheckAlreadyLoggedError
from internalcontrol.services import check_correct, check_log_result, evidence_add, plan_report, plan_sign_off
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2019, 8, 1)


@pytest.fixture
def logged():
    """A plan of 2019 with its first check logged "utan anmärkning" by the Administrativ chef."""
    role = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(role=role)
    chef = RoleAssignmentFactory(
        role=role, user=UserFactory(username="chef", first_name="Anna", last_name="Chef"), valid_from=D(2019, 1, 1)
    ).user
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True),
        user=UserFactory(username="dir", first_name="Dora", last_name="Direktör"),
        valid_from=D(2010, 1, 1),
    ).user
    check = Check.objects.order_by("due_date").first()
    check_log_result(check=check, user=chef, result="ok", performed_on=D(2019, 6, 28), comment="Allt i ordning",
                     today=D(2019, 6, 28))  # fmt: skip
    return plan, Check.objects.get(pk=check.pk), chef, director


def test_the_role_holder_corrects_result_comment_and_date_and_history_shows_old_new_and_reason(logged):
    plan, check, chef, director = logged

    check_correct(
        check=check, user=chef, reason="Fel datum och en attest saknades", result="remark", severity="low",
        performed_on=D(2019, 6, 27), comment="En faktura saknade attest", today=TODAY,
    )  # fmt: skip

    check.refresh_from_db()
    assert (check.result, check.severity, check.performed_on, check.comment) == (
        "remark", "low", D(2019, 6, 27), "En faktura saknade attest"
    )  # fmt: skip
    assert check.performed_by == chef  # who performed it stays
    latest = check.history.latest()
    assert latest.history_change_reason == "Fel datum och en attest saknades"
    assert latest.history_user == chef
    row = object_history(check)[0]
    assert row.reason == "Fel datum och en attest saknades" and row.user == "Anna Chef"
    changes = {change.field: (change.old, change.new) for change in row.changes}
    assert changes["Resultat"] == ("Utan anmärkning", "Med anmärkning")
    assert changes["Kommentar"] == ("Allt i ordning", "En faktura saknade attest")
    assert changes["Genomförd"][1] != changes["Genomförd"][0]


def test_a_reason_longer_than_a_hundred_characters_is_kept_whole(logged):
    plan, check, chef, director = logged
    reason = "Protokollet från attestgenomgången visar att kontrollen gjordes dagen innan, och att urvalet var 25. " * 3
    check_correct(check=check, user=chef, reason=reason, result="ok", performed_on=D(2019, 6, 27), today=TODAY)
    assert check.history.latest().history_change_reason == reason.strip()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_correction_without_a_reason_is_refused_and_nothing_changes(logged, reason):
    plan, check, chef, director = logged
    with pytest.raises(ValidationError) as error:
        check_correct(
            check=check, user=chef, reason=reason, result="not_done", performed_on=D(2019, 6, 28), today=TODAY
        )
    assert error.value.message_dict == {"reason": ["Ange varför kontrollen ändras."]}
    check.refresh_from_db()
    assert check.result == "ok" and check.history.count() == 2


def test_a_correction_that_changes_nothing_is_refused(logged):
    plan, check, chef, director = logged
    with pytest.raises(ValidationError, match="Inget har ändrats"):
        check_correct(check=check, user=chef, reason="X", result="ok", performed_on=D(2019, 6, 28),
                      comment="Allt i ordning", today=TODAY)  # fmt: skip


def test_someone_without_the_role_cannot_correct(logged):
    plan, check, chef, director = logged
    other = RoleAssignmentFactory(role=RoleFactory(name="Ekonom"), user=UserFactory(username="ekonom")).user
    with pytest.raises(PermissionDenied):
        check_correct(check=check, user=other, reason="X", result="not_done", performed_on=D(2019, 6, 28), today=TODAY)
    check.refresh_from_db()
    assert check.result == "ok"


def test_an_open_check_is_logged_not_corrected(logged):
    plan, check, chef, director = logged
    open_check = Check.objects.filter(performed_on__isnull=True).first()
    with pytest.raises(ValidationError, match="inte registrerad"):
        check_correct(check=open_check, user=chef, reason="X", result="ok", performed_on=TODAY, today=TODAY)


def test_logging_a_logged_check_again_is_refused_and_nothing_changes(logged):
    plan, check, chef, director = logged
    for user in (chef, director):
        with pytest.raises(CheckAlreadyLoggedError):
            check_log_result(check=check, user=user, result="not_done", performed_on=TODAY, today=TODAY)
    check.refresh_from_db()
    assert (check.result, check.performed_on, check.comment) == ("ok", D(2019, 6, 28), "Allt i ordning")
    assert check.history.count() == 2


def reported(plan, director):
    plan_sign_off(plan=plan, user=director, comment="", now=timezone.now())
    return plan_report(plan=plan, reported_on=D(2020, 3, 27))


def test_after_the_plan_is_reported_only_the_director_corrects_marked_as_a_change_after_locking(logged):
    plan, check, chef, director = logged
    reported(plan, director)
    today = D(2020, 4, 1)

    with pytest.raises(ValidationError, match="avrapporterad och låst"):
        check_correct(check=check, user=chef, reason="Fel", result="not_done", performed_on=D(2019, 6, 28), today=today)
    check.refresh_from_db()
    assert check.result == "ok"

    check_correct(check=check, user=director, reason="Revisorernas påpekande", result="not_done",
                  performed_on=D(2019, 6, 28), today=today)  # fmt: skip
    latest = check.history.latest()
    assert latest.history_change_reason == f"{LOCK_OVERRIDE_REASON}: Revisorernas påpekande"
    assert latest.history_user == director and latest.result == "not_done"


def test_evidence_for_a_done_check_is_added_until_locked_then_only_by_the_director(logged, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan, check, chef, director = logged

    def add(user, today):
        return evidence_add(check=check, user=user, file=SimpleUploadedFile("attest.pdf", b"%PDF"),
                            period_start=D(2019, 1, 1), period_end=D(2019, 6, 30), today=today)  # fmt: skip

    add(chef, TODAY)
    reported(plan, director)
    with pytest.raises(ValidationError, match="avrapporterad och låst"):
        add(chef, D(2020, 4, 1))
    late = add(director, D(2020, 4, 1))
    assert check.evidence.count() == 2
    assert late.history.latest().history_change_reason == LOCK_OVERRIDE_REASON
