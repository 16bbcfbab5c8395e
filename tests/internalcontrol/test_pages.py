"""The pages: the plan grouped like Bilaga 2, Mina kontroller, a check, åtgärder, the year overview."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from internalcontrol.models import Check

pytestmark = pytest.mark.django_db
D = datetime.date


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_2019_plan_is_one_table_grouped_like_bilaga_2_with_risk_words(client, demo_data):
    page = login(client, "revisor").get(reverse("internalcontrol:index") + "?year=2019").content.decode()
    assert "arbets\u00admil\u00adjö\u00adar\u00adbete" in page  # long words break at their syllables
    page = page.replace("\u00ad", "")  # (soft hyphens)
    for text in (
        "Granskningsområde", "Kontrollmoment", "Kontrollmetod", "Frekvens", "Kontrollansvarig",
        "Resultat av granskning", "Ekonomi och administration", "Styrdokument", "1. Redovisning",
        "26. Systematiskt arbetsmiljöarbete", "Skyddskommittén", "Medel (6)", "Hög (12)", "Avrapporterad",
        "Färgerna hänvisar till resultatet av risk- och väsentlighetsanalysen.",
    ):  # fmt: skip
        assert text in page, text
    assert page.index("Ekonomi och administration") < page.index("1. Redovisning") < page.index("Styrdokument")
    assert page.index("Styrdokument") < page.index("16. Delegationsordning")
    assert page.count("1. Redovisning") == 1


def test_mina_kontroller_shows_the_role_holders_checks_and_nobody_elses(client, demo_data):
    page = login(client, "ekonomnavet").get(reverse("internalcontrol:my-checks") + "?year=2020").content.decode()
    assert "Handkassan ska vara korrekt" in page
    assert "Kontroll av bokförda poster" not in page
    assert "Registrera" in page


def test_a_holder_logs_a_remark_with_evidence_deviation_and_action_in_one_form(client, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = Check.objects.filter(
        control_point__area__plan__fiscal_year__year=2020, control_point__area__number=6
    ).earliest("due_date")
    response = login(client, "ekonomnavet").post(
        reverse("internalcontrol:check-log", args=[check.pk]),
        {
            "result": "remark", "performed_on": "2020-07-02", "severity": "medium", "sample": "Kassan räknad",
            "comment": "", "deviation": "Differens 120 kr", "action": "Stäm av kassan varje vecka",
            "period_start": "2020-01-01", "period_end": "2020-06-30",
            "evidence": SimpleUploadedFile("kassa.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.result == "remark" and check.performed_by.username == "ekonomnavet"
    action = check.deviations.get().actions.get()
    assert action.deadline == D(2021, 1, 2)
    evidence = check.evidence.get()
    assert evidence.period_end == D(2020, 6, 30)

    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert "Differens 120 kr" in page and "kassa.pdf" in page and "Historik" in page
    download = client.get(reverse("internalcontrol:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 demo"

    # a user without the role and without read access may not download it
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="utomstaende"))
    assert client.get(reverse("internalcontrol:evidence-download", args=[evidence.pk])).status_code == 403
    assert client.get(reverse("internalcontrol:check-detail", args=[check.pk])).status_code == 403


def test_a_non_holder_gets_403_on_the_log_form_and_nothing_is_written(client, demo_data):
    check = Check.objects.filter(
        control_point__area__plan__fiscal_year__year=2020, control_point__area__number=6
    ).earliest("due_date")
    client = login(client, "regionutv")
    assert client.get(reverse("internalcontrol:check-log", args=[check.pk])).status_code == 403
    response = client.post(
        reverse("internalcontrol:check-log", args=[check.pk]), {"result": "ok", "performed_on": "2020-07-01"}
    )
    assert response.status_code == 403
    check.refresh_from_db()
    assert check.performed_on is None


def test_bad_upload_type_and_size_are_refused_with_swedish_messages(client, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 10
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = Check.objects.filter(
        control_point__area__plan__fiscal_year__year=2020, control_point__area__number=6
    ).earliest("due_date")
    client = login(client, "ekonomnavet")
    url = reverse("internalcontrol:check-log", args=[check.pk])
    base = {"result": "ok", "performed_on": "2020-07-01", "period_start": "2020-01-01", "period_end": "2020-06-30"}
    page = client.post(url, {**base, "evidence": SimpleUploadedFile("x.exe", b"MZ")}).content.decode()
    assert "Filtypen .exe är inte tillåten" in page
    page = client.post(url, {**base, "evidence": SimpleUploadedFile("x.pdf", b"0123456789ABC")}).content.decode()
    assert "Filen är för stor" in page
    check.refresh_from_db()
    assert check.performed_on is None and not check.evidence.exists()


def test_open_actions_list_and_year_overview(client, demo_data):
    client = login(client, "direktor")
    page = client.get(reverse("internalcontrol:actions")).content.decode()
    assert "Ta fram en IT-policy" in page and "Revidera delegationsordningen" in page
    page = client.get(reverse("internalcontrol:overview") + "?year=2019").content.decode()
    assert "IT-policy" in page and "Anmärkning" in page and "Klart" in page


def test_the_loop_closes_in_the_pages_action_done_then_verified_by_the_next_check(client, demo_data):
    from internalcontrol.models import Action

    # the carried IT-policy åtgärd in 2020, responsible: adminchef
    action = Action.objects.get(control_point__area__plan__fiscal_year__year=2020, description__contains="IT-policy")
    client = login(client, "adminchef")
    deviation_check = action.deviation.check_item
    client.post(
        reverse("internalcontrol:action-done", args=[action.pk]), {"comment": "Policyn antagen", "confirm": "on"}
    )
    action.refresh_from_db()
    assert action.status == "done"
    follow_up = Check.objects.get(control_point=action.control_point)
    form = client.get(reverse("internalcontrol:check-log", args=[follow_up.pk])).content.decode()
    assert "Ta fram en IT-policy" in form
    response = client.post(
        reverse("internalcontrol:check-log", args=[follow_up.pk]),
        {"result": "ok", "performed_on": timezone_today().isoformat(), "verifies": [action.pk]},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "verified" and action.verified_by_check == follow_up
    assert deviation_check.control_point.area.plan.fiscal_year.year == 2019


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def test_the_risk_analysis_page_lists_values_with_words_and_uncovered_reasons(client, demo_data):
    page = login(client, "revisor").get(reverse("internalcontrol:risks") + "?year=2019").content.decode()
    assert "Hög (12)" in page and "Personuppgifter behandlas i strid med dataskyddsförordningen" in page
    assert "Ej kontrollmoment:" in page and "3 Stor" in page and "4 Allvarlig" in page
