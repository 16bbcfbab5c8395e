"""The admin is no side door: as the administrativ chef, every hole found in issue 20 is refused in
Swedish and nothing is written; the förbundsdirektör may change what is locked, with a reason kept
in the history; who uploaded or recorded is always the logged-in user."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from federation.access import LOCK_OVERRIDE_REASON
from internalcontrol import services
from internalcontrol.models import Action, Check, ControlPoint, Evidence, ReviewArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))
    return client


def point(role, year=2020):
    return (
        ControlPoint.objects.filter(responsible_role__name=role, area__plan__fiscal_year__year=year)
        .order_by("pk")
        .first()
    )


def open_check(role, year=2020):
    return (
        Check.objects.filter(
            control_point__responsible_role__name=role,
            control_point__area__plan__fiscal_year__year=year,
            performed_on__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def no_inlines(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def add_check(client, control_point, due_date, reason=""):
    data = {"control_point": control_point.pk, "due_date": due_date, "change_reason": reason, **no_inlines("evidence")}
    return client.post(reverse("admin:internalcontrol_check_add"), data)


def add_evidence(client, check, name="kassa.pdf", reason=""):
    data = {
        "check_item": check.pk,
        "file": SimpleUploadedFile(name, b"%PDF-1.4 underlag"),
        "description": "Kassarapport",
        "period_start": "2020-01-01",
        "period_end": "2020-06-30",
        "uploaded_by": user("direktor").pk,
        "change_reason": reason,
    }
    return client.post(reverse("admin:internalcontrol_evidence_add"), data)


def errors(response):
    return response.content.decode() if response.status_code == 200 else ""


def test_the_administrative_chief_cannot_add_a_check_to_a_role_they_do_not_hold(client, demo_data):
    login(client, "adminchef")
    before = Check.objects.count()
    response = add_check(client, point("Ekonom Navet"), "2020-12-20")
    assert response.status_code == 200
    assert "Du innehar inte den kontrollansvariga rollen" in errors(response)
    assert Check.objects.count() == before


def test_the_administrative_chief_adds_a_check_to_their_own_role(client, demo_data):
    login(client, "adminchef")
    response = add_check(client, point("Administrativ chef"), "2020-12-20")
    assert response.status_code == 302
    assert Check.objects.filter(control_point=point("Administrativ chef"), due_date="2020-12-20").exists()


def test_an_html_file_on_someone_elses_check_is_refused_and_nothing_stored(client, demo_data, media):
    login(client, "adminchef")
    response = add_evidence(client, open_check("Ekonom Navet"), name="sida.html")
    page = errors(response)
    assert "Filtypen .html är inte tillåten" in page
    assert Evidence.objects.count() == 0
    response = add_evidence(client, open_check("Ekonom Navet"))
    assert "Du får inte lägga till underlag för den här kontrollen" in errors(response)
    assert Evidence.objects.count() == 0


def test_evidence_added_in_the_admin_is_uploaded_by_the_logged_in_user_whatever_the_form_says(client, demo_data, media):
    login(client, "adminchef")
    response = add_evidence(client, open_check("Administrativ chef"))
    assert response.status_code == 302
    assert Evidence.objects.get().uploaded_by == user("adminchef")


def someone_elses_action():
    check = open_check("Ekonom Navet")
    services.check_log_result(
        check=check, user=user("ekonomnavet"), result="remark", severity="low", performed_on=timezone.localdate()
    )
    deviation = services.deviation_record(
        check=check, user=user("ekonomnavet"), description="Attest saknas.", action_description="Påminn."
    )
    return deviation.actions.get()


def test_another_persons_action_cannot_be_changed_or_reassigned(client, demo_data):
    action = someone_elses_action()
    login(client, "adminchef")
    url = reverse("admin:internalcontrol_action_change", args=[action.pk])
    data = {
        "deviation": action.deviation_id,
        "control_point": action.control_point_id,
        "description": action.description,
        "responsible": user("adminchef").pk,
        "deadline": action.deadline.isoformat(),
        "status": "done",
        "done_on": "2020-06-30",
    }
    assert client.post(url, data).status_code == 403
    action.refresh_from_db()
    assert (action.status, action.responsible.username) == ("open", "ekonomnavet")
    # … nor through the admin action that marks it done
    changelist = reverse("admin:internalcontrol_action_changelist")
    client.post(changelist, {"action": "mark_done", "_selected_action": [action.pk]})
    action.refresh_from_db()
    assert action.status == "open"


def test_the_responsible_person_marks_their_action_done_through_the_service(client, demo_data):
    action = (
        Action.objects.filter(
            status="open", responsible__username="adminchef", control_point__area__plan__status="adopted"
        )
        .order_by("pk")
        .first()
    )
    login(client, "adminchef")
    response = client.post(
        reverse("admin:internalcontrol_action_changelist"), {"action": "mark_done", "_selected_action": [action.pk]}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.done_on == timezone.localdate()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "1 åtgärd markerad som genomförd." in messages


def test_a_check_in_the_closed_year_2018_is_refused_for_the_administrative_chief(client, demo_data):
    login(client, "adminchef")
    before = Check.objects.count()
    response = add_check(client, point("Administrativ chef"), "2018-06-30", reason="Glömd")
    assert "Verksamhetsåret 2018 är stängt" in errors(response)
    assert Check.objects.count() == before


def test_the_director_adds_in_a_closed_year_only_with_a_reason_kept_in_the_history(client, demo_data):
    login(client, "direktor")
    target = point("Administrativ chef")
    response = add_check(client, target, "2018-06-30")
    assert "ange varför" in errors(response)
    assert not Check.objects.filter(due_date="2018-06-30").exists()
    response = add_check(client, target, "2018-06-30", reason="Kontrollen gjordes men registrerades aldrig.")
    assert response.status_code == 302
    check = Check.objects.get(due_date="2018-06-30")
    latest = check.history.latest()
    assert latest.history_change_reason == f"{LOCK_OVERRIDE_REASON}: Kontrollen gjordes men registrerades aldrig."
    assert latest.history_user == user("direktor")


def test_evidence_on_a_reported_plans_check_needs_the_director_and_a_reason(client, demo_data, media):
    check = (
        open_check("Administrativ chef", year=2019)
        or Check.objects.filter(
            control_point__responsible_role__name="Administrativ chef",
            control_point__area__plan__fiscal_year__year=2019,
        ).first()
    )
    login(client, "adminchef")
    assert "bara förbundsdirektören" in errors(add_evidence(client, check))
    login(client, "direktor")
    assert "ange varför" in errors(add_evidence(client, check))
    assert Evidence.objects.count() == 0
    assert add_evidence(client, check, reason="Underlaget kom in sent.").status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.uploaded_by == user("direktor")
    assert evidence.history.latest().history_change_reason.endswith("Underlaget kom in sent.")


def test_a_reported_plan_gets_no_new_area_from_the_administrative_chief(client, demo_data):
    area = ReviewArea.objects.filter(plan__status="reported").order_by("number").first()
    login(client, "adminchef")
    data = {"plan": area.plan_id, "number": 99, "name": "Bakvägen", **no_inlines("control_points")}
    response = client.post(reverse("admin:internalcontrol_reviewarea_add"), data)
    assert "låst" in errors(response)
    assert not ReviewArea.objects.filter(number=99).exists()


def test_the_uploader_and_recorder_are_not_form_fields(client, demo_data):
    login(client, "direktor")
    for model in ("evidence", "deviation", "check"):
        page = client.get(reverse(f"admin:internalcontrol_{model}_add")).content.decode()
        for field in ("uploaded_by", "recorded_by", "performed_by"):
            assert f'name="{field}"' not in page, (model, field)


def test_no_action_is_added_to_someone_elses_deviation_even_naming_oneself_responsible(client, demo_data):
    deviation = someone_elses_action().deviation
    login(client, "adminchef")
    before = Action.objects.count()
    data = {
        "deviation": deviation.pk,
        "description": "Egen åtgärd på annans avvikelse",
        "responsible": user("adminchef").pk,
        "deadline": "2020-12-31",
    }
    response = client.post(reverse("admin:internalcontrol_action_add"), data)
    assert "ändrar åtgärden" in errors(response)
    assert Action.objects.count() == before
    login(client, "ekonomnavet")  # the role holder has no admin access at all
    assert client.post(reverse("admin:internalcontrol_action_add"), data).status_code == 302
    assert Action.objects.count() == before
    login(client, "direktor")
    assert client.post(reverse("admin:internalcontrol_action_add"), data).status_code == 302
    added = Action.objects.get(description="Egen åtgärd på annans avvikelse")
    assert added.control_point_id == deviation.check_item.control_point_id
