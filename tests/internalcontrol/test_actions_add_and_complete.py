"""An avvikelse can need more than one åtgärd; marking an åtgärd done takes a comment (and optionally a
file that shows it) and keeps who and when."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from internalcontrol.models import Action, Check, Evidence
from internalcontrol.services import action_add, action_mark_done, check_log_result, deviation_record
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2019, 8, 1)


@pytest.fixture
def deviation():
    role = RoleFactory(name="Administrativ chef")
    adopted_plan(role=role)
    chef = RoleAssignmentFactory(
        role=role, user=UserFactory(username="chef", first_name="Anna", last_name="Chef"), valid_from=D(2019, 1, 1)
    ).user
    check = Check.objects.order_by("due_date").first()
    check_log_result(check=check, user=chef, result="remark", severity="medium", performed_on=D(2019, 6, 28),
                     today=D(2019, 6, 28))  # fmt: skip
    return chef, deviation_record(
        check=check, user=chef, description="Två fakturor utan attest", action_description="Påminn attestanterna"
    )


def test_two_atgarder_on_one_avvikelse_each_with_its_own_responsible_and_deadline(deviation):
    chef, deviation = deviation
    colleague = UserFactory(username="kollega")

    second = action_add(deviation=deviation, user=chef, description="Inför spärr i ekonomisystemet",
                        responsible=colleague, deadline=D(2019, 9, 30), today=TODAY)  # fmt: skip

    actions = list(deviation.actions.order_by("pk").values_list("description", "responsible__username", "deadline"))
    assert actions == [
        ("Påminn attestanterna", "chef", D(2019, 12, 28)),
        ("Inför spärr i ekonomisystemet", "kollega", D(2019, 9, 30)),
    ]
    assert second.control_point_id == deviation.check_item.control_point_id


def test_a_second_atgard_defaults_to_six_months_after_the_check(deviation):
    chef, deviation = deviation
    action = action_add(deviation=deviation, user=chef, description="Utbilda", responsible=chef, today=TODAY)
    assert action.deadline == D(2019, 12, 28)


def test_only_those_who_may_change_the_check_add_an_atgard(deviation):
    chef, deviation = deviation
    stranger = UserFactory(username="annan")
    with pytest.raises(PermissionDenied):
        action_add(deviation=deviation, user=stranger, description="X", responsible=stranger, today=TODAY)
    assert deviation.actions.count() == 1


def test_an_empty_atgard_is_refused_in_swedish(deviation):
    chef, deviation = deviation
    with pytest.raises(ValidationError) as error:
        action_add(deviation=deviation, user=chef, description="  ", responsible=chef, today=TODAY)
    assert error.value.message_dict == {"description": ["Detta fält får inte vara tomt."]}
    assert deviation.actions.count() == 1


def test_marking_done_keeps_the_comment_who_and_when_and_the_evidence(deviation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chef, deviation = deviation
    action = deviation.actions.get()

    action_mark_done(action=action, user=chef, done_on=D(2019, 8, 1), comment="Påminnelse skickad till alla",
                     evidence=SimpleUploadedFile("paminnelse.pdf", b"%PDF"), today=TODAY)  # fmt: skip

    action.refresh_from_db()
    assert (action.status, action.done_on, action.done_by, action.done_comment) == (
        "done", D(2019, 8, 1), chef, "Påminnelse skickad till alla"
    )  # fmt: skip
    evidence = Evidence.objects.get()
    assert (evidence.action, evidence.check_item, evidence.uploaded_by) == (action, deviation.check_item, chef)
    assert evidence.period_start == evidence.period_end == D(2019, 8, 1)


def test_marking_done_without_a_comment_is_refused_and_nothing_changes(deviation):
    chef, deviation = deviation
    action = deviation.actions.get()
    with pytest.raises(ValidationError) as error:
        action_mark_done(action=action, user=chef, done_on=TODAY, comment=" ", today=TODAY)
    assert error.value.message_dict == {"comment": ["Beskriv vad som gjordes."]}
    assert Action.objects.get(pk=action.pk).status == "open"


def test_only_the_responsible_person_or_the_director_marks_it_done(deviation):
    chef, deviation = deviation
    action = deviation.actions.get()
    with pytest.raises(PermissionDenied):
        action_mark_done(action=action, user=UserFactory(username="annan"), done_on=TODAY, comment="X", today=TODAY)
    assert Action.objects.get(pk=action.pk).done_by is None
