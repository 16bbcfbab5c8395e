"""The Rapporter page: who may use it, the chooser, the preview and the exports."""

import io

import docx
import pytest
from django.urls import reverse

from federation import access
from federation.models import ReportExport
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(db):
    user = UserFactory(username="karin")
    RoleAssignmentFactory(user=user, role=RoleFactory(name="Förbundsdirektör", is_director=True))
    return user


@pytest.fixture
def reader(db):
    return UserFactory(username="revisor", groups=[access.READ_ONLY])


def test_the_director_sees_the_chooser_with_every_section_and_unit(client, director, year_2019, units):
    client.force_login(director)
    response = client.get(reverse("federation:reports"), {"year": 2019})
    assert response.status_code == 200
    page = response.content.decode()
    for label in ["2.7 Intern kontroll", "4 Måluppfyllelse", "Bilaga 2 Internkontrollplan 2019"]:
        assert label in page
    assert "7 Navet science center" in page and "6 Medarbetarcentrum" in page
    assert "Förhandsgranska" in page and "Exportera PDF" in page


def test_the_rendered_form_posts_back_what_it_shows(client, director, year_2019, units, settings):
    """Years are written without a thousands separator (2019, not 2 019), so the form works as rendered."""
    import re

    settings.REPORT_DIRECT_EXPORT_MAX_ROWS = 10_000
    client.force_login(director)
    page = client.get(reverse("federation:reports"), {"year": 2019}).content.decode()
    assert '<option value="2019" selected>2019</option>' in page
    fields = re.findall(
        r'<input type="(?:hidden|checkbox)" name="(\w+)" value="([^"]*)"[^>]*checked|'
        r'<input type="hidden" name="(year)" value="([^"]*)"',
        page,
    )
    data = {}
    for name, value, hidden_name, hidden_value in fields:
        data.setdefault(name or hidden_name, []).append(value or hidden_value)
    assert data["year"] == ["2019"]
    assert len(data["sections"]) == 3 and len(data["units"]) == 2
    response = client.post(reverse("federation:report_export_create"), {**data, "action": "html"})
    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"
    assert "Bilaga 2 Internkontrollplan 2019" in response.content.decode()


@pytest.mark.parametrize("groups", [[access.UNIT_LEAD], [access.ROLE_HOLDER], [access.ADMIN_CHIEF], []])
def test_others_than_director_and_readers_are_refused(client, year_2019, groups):
    client.force_login(UserFactory(username="navet", groups=groups))
    assert client.get(reverse("federation:reports")).status_code == 403
    assert client.get(reverse("federation:report_preview"), {"year": 2019}).status_code == 403
    assert client.post(reverse("federation:report_export_create"), {"year": 2019, "action": "pdf"}).status_code == 403


def test_the_preview_shows_the_content_with_tone_words(client, reader, year_2019, units):
    client.force_login(reader)
    response = client.get(
        reverse("federation:report_preview"),
        {"year": 2019, "sections": ["internal-control", "goals", "appendix-control-plan"]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Uppföljning av intern kontrollplan för 2019 är genomförd och redovisas i bilaga 2." in page
    assert '<td class="tone tone-red" title="Röd">' in page
    assert "Avvikelse: två fakturor saknade attest" in page and "Delvis uppfyllt" in page
    assert "7 Navet science center" not in page  # no unit chosen
    assert '<input type="hidden" name="sections" value="goals">' in page


def test_choosing_one_unit_leaves_the_others_out(client, reader, year_2019, units):
    client.force_login(reader)
    response = client.get(reverse("federation:report_preview"), {"year": 2019, "units": [units["navet"].pk]})
    page = response.content.decode()
    assert "7 Navet science center" in page and "Medarbetarcentrum har genomfört" not in page
    assert "Bilaga 2 Internkontrollplan" not in page


def test_choosing_nothing_gets_a_swedish_error(client, reader, year_2019, units):
    client.force_login(reader)
    response = client.post(reverse("federation:report_export_create"), {"year": 2019, "action": "pdf"})
    assert response.status_code == 200
    assert "Välj minst ett avsnitt eller en verksamhet." in response.content.decode()


def test_the_preview_button_redirects_to_the_preview(client, reader, year_2019, units):
    client.force_login(reader)
    response = client.post(
        reverse("federation:report_export_create"), {"year": 2019, "sections": ["goals"], "action": "preview"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('federation:report_preview')}?year=2019&sections=goals"


def test_a_small_export_is_downloaded_directly(client, director, year_2019, units, settings):
    settings.REPORT_DIRECT_EXPORT_MAX_ROWS = 10_000
    client.force_login(director)
    response = client.post(
        reverse("federation:report_export_create"), {"year": 2019, "sections": ["goals"], "action": "docx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="arsredovisning-2019.docx"'
    document = docx.Document(io.BytesIO(response.content))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["4 Måluppfyllelse"]
    assert not ReportExport.objects.exists()


def test_a_large_export_runs_in_the_background_and_can_be_downloaded(
    client, director, year_2019, units, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_DIRECT_EXPORT_MAX_ROWS = 10
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    client.force_login(director)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("federation:report_export_create"),
                {"year": 2019, "sections": ["appendix-control-plan"], "action": "xlsx"},
            )
    finally:
        app.conf.task_always_eager = False
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("federation:report_export", args=[export.pk])
    assert export.status == ReportExport.Status.DONE and export.progress == 100
    assert export.options == {
        "sections": ["appendix-control-plan"],
        "units": None,
        "follow_up": "annual",
        "changes": False,
    }

    status_page = client.get(response["Location"]).content.decode()
    assert "Ladda ner filen" in status_page and "Klar" in status_page
    progress = client.get(reverse("federation:report_export_progress", args=[export.pk])).json()
    assert progress["status"] == "done" and progress["download_url"]
    download = client.get(progress["download_url"])
    assert download["Content-Disposition"] == 'attachment; filename="arsredovisning-2019.xlsx"'
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_only_the_requester_or_the_director_may_download(client, director, reader, year_2019, tmp_path):
    from django.core.files.base import ContentFile

    export = ReportExport(requested_by=director, fiscal_year=year_2019, format="pdf", status="done", progress=100)
    export.file.save("arsredovisning-2019.pdf", ContentFile(b"%PDF-1.7"), save=True)
    client.force_login(reader)
    assert client.get(reverse("federation:report_download", args=[export.pk])).status_code == 403
    assert client.get(reverse("federation:report_export", args=[export.pk])).status_code == 403

    mine = ReportExport(requested_by=reader, fiscal_year=year_2019, format="pdf", status="done", progress=100)
    mine.file.save("arsredovisning-2019.pdf", ContentFile(b"%PDF-1.7"), save=True)
    assert client.get(reverse("federation:report_download", args=[mine.pk])).status_code == 200
    client.force_login(director)
    assert client.get(reverse("federation:report_download", args=[mine.pk])).status_code == 200


def test_the_status_page_refreshes_itself_without_javascript_while_running(client, director, year_2019):
    export = ReportExport.objects.create(
        requested_by=director, fiscal_year=year_2019, format="pdf", status="running", progress=40
    )
    client.force_login(director)
    page = client.get(reverse("federation:report_export", args=[export.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'value="40"' in page and "Pågår" in page
    assert "Ladda ner filen" in page  # present but hidden until done
    assert "hidden" in page.split('id="report-export-download"')[1][:20]


def test_the_page_asks_the_same_number_of_queries_for_one_or_ten_exports(client, director, year_2019, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(director)

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("federation:reports"), {"year": 2019}).status_code == 200
        return [query["sql"] for query in queries]

    ReportExport.objects.create(requested_by=director, fiscal_year=year_2019, format="pdf")
    with_one = page_queries()
    for _ in range(9):
        ReportExport.objects.create(requested_by=director, fiscal_year=year_2019, format="docx")
    with_ten = page_queries()
    # Session, user, the viewer's roles and groups (read once for the access check, the director's role
    # and the header), years (chosen, choices), the year's follow-ups (delår, helår), units, then the
    # exports with their year in one query: 9 either way.
    assert len(with_ten) == len(with_one) == 9


def test_a_pdf_goes_to_the_background_sooner_than_a_word_file(client, director, year_2019, units, settings):
    # given a limit the plan table (64 rows) fits as Word but not as PDF (6 per row)
    settings.REPORT_DIRECT_EXPORT_MAX_ROWS = 100
    client.force_login(director)
    data = {"year": 2019, "sections": ["appendix-control-plan"]}
    word = client.post(reverse("federation:report_export_create"), {**data, "action": "docx"})
    assert word.status_code == 200 and not ReportExport.objects.exists()
    pdf = client.post(reverse("federation:report_export_create"), {**data, "action": "pdf"})
    export = ReportExport.objects.get()
    assert pdf.status_code == 302 and export.format == "pdf" and export.options["sections"] == ["appendix-control-plan"]


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: UserFactory(username="admin", is_superuser=True),
        lambda: UserFactory(username="kansli", groups=[access.DIRECTOR]),
        lambda: UserFactory(username="direktion", groups=[access.READ_ONLY]),
    ],
    ids=["superuser", "director-group", "read-only"],
)
def test_superuser_director_group_and_readers_may_use_the_page(client, year_2019, make_user):
    client.force_login(make_user())
    assert client.get(reverse("federation:reports")).status_code == 200


def test_the_list_of_exports_shows_why_one_failed(client, director, year_2019):
    ReportExport.objects.create(
        requested_by=director,
        fiscal_year=year_2019,
        format="pdf",
        status="failed",
        message="Exporten misslyckades: Okänt avsnitt: bilaga-9",
    )
    client.force_login(director)
    page = client.get(reverse("federation:reports")).content.decode()
    assert "Misslyckades" in page and "Exporten misslyckades: Okänt avsnitt: bilaga-9" in page
