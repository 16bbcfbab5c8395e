"""The pages of a logged check: "Ändra" with a reason and "Lägg till underlag" on a done check, a second
åtgärd, marking an åtgärd done with a comment and a confirmation; /registrera/ never logs a check twice."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from internalcontrol.models import Action, Check
from internalcontrol.services import check_log_result, deviation_record

pytestmark = pytest.mark.django_db
D = datetime.date


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))
    return client


def done_check(result="ok", year=2020):
    """The Administrativ chef's first check of ``year``, logged by them (2020: adopted; 2019: reported)."""
    check = (
        Check.objects.filter(
            control_point__responsible_role__name="Administrativ chef",
            control_point__area__plan__fiscal_year__year=year,
        )
        .order_by("due_date", "pk")
        .first()
    )
    if check.performed_on is None:
        severity = "low" if result == "remark" else ""
        check_log_result(check=check, user=user("adminchef"), result=result, severity=severity,
                         performed_on=D(2020, 6, 30), comment="Stickprov på tio fakturor")  # fmt: skip
    return Check.objects.get(pk=check.pk)


def test_a_done_check_offers_andra_and_lagg_till_underlag_to_its_holder_and_not_to_a_reader(client, demo_data):
    check = done_check()
    url = reverse("internalcontrol:check-detail", args=[check.pk])
    page = login(client, "adminchef").get(url).content.decode()
    assert reverse("internalcontrol:check-correct", args=[check.pk]) in page and ">Ändra</a>" in page
    assert reverse("internalcontrol:evidence-add", args=[check.pk]) in page and "Lägg till underlag" in page
    page = login(client, "revisor").get(url).content.decode()
    assert "Ändra" not in page and "Lägg till underlag" not in page


def test_opening_registrera_on_a_done_check_leads_to_the_correction_or_to_the_check(client, demo_data):
    check = done_check()
    response = login(client, "adminchef").get(reverse("internalcontrol:check-log", args=[check.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "internalcontrol:check-correct", args=[check.pk]
    )
    reported = done_check(year=2019)  # the plan is reported: the Administrativ chef only reads it
    response = client.get(reverse("internalcontrol:check-log", args=[reported.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "internalcontrol:check-detail", args=[reported.pk]
    )


@pytest.mark.parametrize("username", ["adminchef", "direktor"])
def test_posting_a_result_to_a_done_check_is_refused_with_409_and_nothing_changes(client, demo_data, username):
    check = done_check()
    before = Check.objects.filter(pk=check.pk).values().get()
    response = login(client, username).post(
        reverse("internalcontrol:check-log", args=[check.pk]),
        {"result": "not_done", "performed_on": "2020-07-01", "comment": "Skrivs över?"},
    )
    assert response.status_code == 409
    assert "Kontrollen är redan registrerad" in response.content.decode()
    assert Check.objects.filter(pk=check.pk).values().get() == before
    assert check.history.count() == 2


def test_the_holder_corrects_a_check_with_a_reason_and_the_history_shows_it(client, demo_data):
    check = done_check()
    url = reverse("internalcontrol:check-correct", args=[check.pk])
    client = login(client, "adminchef")
    form = client.get(url).content.decode()
    assert "Stickprov på tio fakturor" in form and "Skäl till ändringen" in form

    data = {"result": "ok", "performed_on": "2020-06-29", "comment": "Stickprov på tolv fakturor"}
    page = client.post(url, data).content.decode()
    assert "Ange varför kontrollen ändras." in page
    assert Check.objects.get(pk=check.pk).comment == "Stickprov på tio fakturor"

    response = client.post(url, {**data, "reason": "Fel antal i stickprovet"})
    assert response.status_code == 302
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert "Fel antal i stickprovet" in page
    assert "<strong>Kommentar</strong>: Stickprov på tio fakturor → Stickprov på tolv fakturor" in page
    assert "Anders Lind" in page


def test_a_correction_to_a_remark_asks_for_the_avvikelse(client, demo_data):
    check = done_check()
    url = reverse("internalcontrol:check-correct", args=[check.pk])
    client = login(client, "adminchef")
    data = {"result": "remark", "severity": "medium", "performed_on": "2020-06-30", "reason": "Anmärkning missad"}
    assert "Beskriv avvikelsen" in client.post(url, data).content.decode()
    response = client.post(url, {**data, "deviation": "Attest saknas", "action": "Påminn attestanterna"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.result == "remark" and check.deviations.get().actions.get().description == "Påminn attestanterna"


def test_a_reported_plans_check_is_corrected_by_the_director_only(client, demo_data):
    check = done_check(year=2019)
    url = reverse("internalcontrol:check-correct", args=[check.pk])
    assert login(client, "adminchef").get(url).status_code == 403
    data = {"result": check.result, "severity": check.severity, "performed_on": check.performed_on.isoformat(),
            "sample": check.sample, "comment": "Kompletterad kommentar", "reason": "Revisorernas fråga"}  # fmt: skip
    assert client.post(url, data).status_code == 403
    page = login(client, "direktor").get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert "ändring efter låsning" in page
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert "Ändrad efter låsning av förbundsdirektören: Revisorernas fråga" in page


def test_evidence_is_added_to_a_done_check_by_the_same_file_rules(client, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    check = done_check()
    url = reverse("internalcontrol:evidence-add", args=[check.pk])
    client = login(client, "adminchef")
    period = {"period_start": "2020-01-01", "period_end": "2020-06-30"}
    page = client.post(url, {**period, "evidence": SimpleUploadedFile("x.exe", b"MZ")}).content.decode()
    assert "Filtypen .exe är inte tillåten" in page
    page = client.post(url, {"period_start": "2019-01-01", "period_end": "2019-06-30",
                             "evidence": SimpleUploadedFile("x.pdf", b"%PDF")}).content.decode()  # fmt: skip
    assert "Underlagets period ska ligga inom verksamhetsåret 2020" in page
    assert not check.evidence.exists()
    response = client.post(url, {**period, "evidence": SimpleUploadedFile("fakturor.pdf", b"%PDF"),
                                 "description": "Attestlista"})  # fmt: skip
    assert response.status_code == 302
    assert list(check.evidence.values_list("description", "uploaded_by__username")) == [("Attestlista", "adminchef")]


def test_a_second_atgard_is_added_and_one_is_marked_done_with_a_comment_and_confirmation(
    client, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    check = done_check(result="remark")
    deviation = deviation_record(check=check, user=user("adminchef"), description="Attest saknas",
                                 action_description="Påminn attestanterna")  # fmt: skip
    client = login(client, "adminchef")
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert reverse("internalcontrol:action-add", args=[deviation.pk]) in page

    response = client.post(reverse("internalcontrol:action-add", args=[deviation.pk]),
                           {"description": "Spärr i ekonomisystemet", "responsible": user("direktor").pk,
                            "deadline": "2020-12-31"})  # fmt: skip
    assert response.status_code == 302
    assert list(deviation.actions.order_by("pk").values_list("description", "responsible__username")) == [
        ("Påminn attestanterna", "adminchef"), ("Spärr i ekonomisystemet", "direktor"),
    ]  # fmt: skip

    first = deviation.actions.order_by("pk").first()
    url = reverse("internalcontrol:action-done", args=[first.pk])
    form = client.get(url).content.decode()
    assert "Vad gjordes?" in form and "Jag bekräftar att åtgärden är genomförd." in form
    page = client.post(url, {"comment": "Påminnelse skickad"}).content.decode()
    assert "Bekräfta att åtgärden är genomförd." in page
    assert Action.objects.get(pk=first.pk).status == "open"
    response = client.post(url, {"comment": "Påminnelse skickad", "confirm": "on",
                                 "evidence": SimpleUploadedFile("mejl.pdf", b"%PDF")})  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    today = timezone.localdate().isoformat()
    assert f"Åtgärdad {today} av Anders Lind: Påminnelse skickad" in page
    assert "mejl.pdf" in page


def test_someone_else_cannot_open_the_done_form_of_an_atgard(client, demo_data):
    action = Action.objects.filter(status="open", responsible__username="adminchef").order_by("pk").first()
    assert login(client, "ekonomnavet").get(reverse("internalcontrol:action-done", args=[action.pk])).status_code == 403
