"""Evidence files: limited in size and type (a Swedish error, nothing stored), outside the
fiscal year refused, and served only to users allowed to see the check."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from internalcontrol.models import Check, Evidence
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1000


def check():
    return (
        Check.objects.filter(
            control_point__responsible_role__name="Administrativ chef",
            control_point__area__plan__fiscal_year__year=2020,
            performed_on__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def post(client, target, name, content, **extra):
    data = {
        "result": "ok",
        "performed_on": "2020-06-30",
        "evidence": SimpleUploadedFile(name, content),
        "period_start": "2020-01-01",
        "period_end": "2020-06-30",
        **extra,
    }
    return client.post(reverse("internalcontrol:check-log", args=[target.pk]), data)


@pytest.mark.parametrize(
    ("name", "content", "message", "extra"),
    [
        ("stor.pdf", b"x" * 1001, "Filen är för stor", {}),
        ("virus.exe", b"MZ", "Filtypen .exe är inte tillåten", {}),
        (
            "kassa.pdf",
            b"%PDF",
            "Underlagets period ska ligga inom verksamhetsåret 2020",
            {"period_start": "2019-01-01"},
        ),
        ("kassa.pdf", b"%PDF", "Datumet ligger före verksamhetsåret 2020", {"performed_on": "2019-12-30"}),
    ],
)
def test_a_bad_upload_is_refused_in_swedish_and_nothing_is_stored(
    client, demo_data, media, name, content, message, extra
):
    target = check()
    client.force_login(get_user_model().objects.get(username="adminchef"))
    response = post(client, target, name, content, **extra)
    assert response.status_code == 200
    assert message in response.content.decode()
    target.refresh_from_db()
    assert target.performed_on is None and Evidence.objects.count() == 0


def test_evidence_is_served_only_to_those_who_may_see_the_check(client, demo_data, media):
    target = check()
    client.force_login(get_user_model().objects.get(username="adminchef"))
    assert post(client, target, "kassa.pdf", b"%PDF-1.4 kassa").status_code == 302
    evidence = Evidence.objects.get()
    url = reverse("internalcontrol:evidence-download", args=[evidence.pk])
    for username in ("adminchef", "direktor", "revisor"):
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 kassa"
    client.force_login(UserFactory(username="utan-roll"))
    assert client.get(url).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(url)["Location"]
