"""The revisorer's evidence pack: every check and every evidence file of the year in one ZIP, with a PDF/A
summary and a workbook; built in the background; only for the förbundsdirektör and the revisorer."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from federation import access
from internalcontrol.evidence import evidence_name, evidence_pack_run, evidence_pack_write
from internalcontrol.models import Action, Check, Deviation, Evidence, EvidencePack
from internalcontrol.services import evidence_pack_request
from internalcontrol.tasks import build_evidence_pack
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.internalcontrol.factories import adopted_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def director():
    user = UserFactory(username="karin", first_name="Karin", last_name="Ek")
    RoleAssignmentFactory(user=user, role=RoleFactory(name="Förbundsdirektör", is_director=True))
    return user


@pytest.fixture
def revisor():
    return UserFactory(username="revisor", groups=[access.READ_ONLY, access.AUDITOR])


@pytest.fixture
def year_2019(director):
    """Plan 2019 (3 kontrollmoment, 2 checks each): four logged (one with a remark, its avvikelse and
    åtgärd), three evidence files (two with the same name), and a check of 2020 that must stay out."""
    plan = adopted_plan(year=2019, points=3)
    adopted_plan(year=2020, points=1)
    checks = list(Check.objects.filter(control_point__area__plan=plan).order_by("due_date", "pk"))
    for check in checks[:4]:
        check.performed_on, check.performed_by, check.result = check.due_date, director, Check.Result.OK
        check.sample, check.comment = "10 fakturor", "=inget att anmärka"
        check.save()
    remark = checks[3]
    remark.result, remark.severity = Check.Result.REMARK, Check.Severity.LOW
    remark.save()
    deviation = Deviation.objects.create(check_item=remark, description="Attest saknas", recorded_by=director)
    Action.objects.create(
        deviation=deviation,
        control_point=remark.control_point,
        description="Påminn om attestordningen",
        responsible=director,
        deadline=datetime.date(2019, 12, 31),
    )
    for check, name in [(checks[0], "faktura.pdf"), (checks[0], "faktura.pdf"), (checks[1], "utdrag: mars.xlsx")]:
        evidence = Evidence(
            check_item=check,
            uploaded_by=director,
            period_start=datetime.date(2019, 1, 1),
            period_end=check.due_date,
        )
        evidence.file.save(name, ContentFile(b"%PDF-1.4 bevis"), save=True)
    return plan


def write_pack(year=2019):
    buffer = io.BytesIO()
    evidence_pack_write(fiscal_year=year, target=buffer)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_the_workbook_holds_every_check_of_the_year_and_no_other(year_2019):
    archive = write_pack()
    workbook = openpyxl.load_workbook(io.BytesIO(archive.read("bevispaket-2019.xlsx")))
    assert workbook.sheetnames == [
        "Beslut",
        "Plan",
        "Riskanalys",
        "Kontroller",
        "Avvikelser och åtgärder",
        "Undertecknande",
        "Bevisfiler",
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    checks = workbook["Kontroller"]
    assert checks.max_row - 1 == Check.objects.filter(control_point__area__plan__fiscal_year__year=2019).count() == 6
    rows = [[cell.value for cell in row] for row in checks.iter_rows(min_row=2)]
    assert sum(1 for row in rows if row[7] == "Utan anmärkning") == 3
    # the comment stays text, never a formula
    assert rows[0][10] == "=inget att anmärka" and checks.cell(row=2, column=11).data_type == "s"
    decisions = [[cell.value for cell in row] for row in workbook["Beslut"].iter_rows(min_row=2)]
    assert [row[1] for row in decisions] == ["Antagande"] and decisions[0][4] == "§ 1"
    followed = [[cell.value for cell in row] for row in workbook["Avvikelser och åtgärder"].iter_rows(min_row=2)]
    assert [(row[3], row[6]) for row in followed] == [("Attest saknas", "Påminn om attestordningen")]


def test_the_zip_holds_every_evidence_file_named_by_its_check(year_2019):
    archive = write_pack()
    files = [name for name in archive.namelist() if name.startswith("bevis/")]
    assert len(files) == Evidence.objects.filter(check_item__control_point__area__plan__fiscal_year__year=2019).count()
    assert len(set(files)) == 3
    assert "bevis/1.1 Redovisning – 2019-06-30 – faktura.pdf" in files
    assert all(":" not in name.removeprefix("bevis/") for name in files)
    assert archive.read(files[0]) == b"%PDF-1.4 bevis"


def test_the_names_are_unique_and_safe():
    taken = set()
    first = evidence_name(number="3.2", area="Attest/ordning", due_date=datetime.date(2019, 3, 31),
                          filename="internkontroll/underlag/1/Faktura.pdf", taken=taken)  # fmt: skip
    second = evidence_name(number="3.2", area="Attest/ordning", due_date=datetime.date(2019, 3, 31),
                           filename="faktura.PDF", taken=taken)  # fmt: skip
    assert first == "bevis/3.2 Attest-ordning – 2019-03-31 – Faktura.pdf"
    assert second == "bevis/3.2 Attest-ordning – 2019-03-31 – faktura (2).PDF"


def test_the_summary_is_a_pdf_a_with_the_years_figures(year_2019):
    archive = write_pack()
    reader = PdfReader(io.BytesIO(archive.read("sammanfattning-2019.pdf")))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bevispaket intern kontroll 2019" in text
    assert "6 kontroller var planerade och 4 är genomförda" in text
    assert "pdfaid" in reader.xmp_metadata.rdf_root.toxml()  # PDF/A identification in the metadata


def test_the_background_run_stores_the_zip_and_reports_done(year_2019, director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack = evidence_pack_request(user=director, year=2019)
    assert len(callbacks) == 1 and pack.status == EvidencePack.Status.QUEUED
    assert build_evidence_pack(pack.pk) == "done"
    pack.refresh_from_db()
    assert pack.progress == 100 and pack.finished and pack.file.name.endswith("bevispaket-2019.zip")
    assert pack.message.startswith("Klart: 6 kontroller, 3 bevisfiler")
    with pack.file.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == 5
    # running it again changes nothing
    finished = pack.finished
    evidence_pack_run(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.finished == finished


def test_a_missing_evidence_file_is_listed_not_fatal(year_2019):
    evidence = Evidence.objects.order_by("pk").first()
    evidence.file.storage.delete(evidence.file.name)
    archive = write_pack()
    assert len([name for name in archive.namelist() if name.startswith("bevis/")]) == 2
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("bevispaket-2019.xlsx")))["Bevisfiler"]
    assert [row[-1].value for row in sheet.iter_rows(min_row=2)].count("nej, filen saknas") == 1


@pytest.mark.parametrize(
    "who,allowed",
    [("director", True), ("revisor", True), ("direktion", False), ("lead", False), ("chief", False)],
)
def test_only_the_director_and_the_revisorer_may_ask_for_and_download_the_pack(
    client, year_2019, director, revisor, who, allowed
):
    users = {
        "director": director,
        "revisor": revisor,
        "direktion": UserFactory(username="direktion", groups=[access.READ_ONLY]),
        "lead": UserFactory(username="navet", groups=[access.UNIT_LEAD]),
        "chief": UserFactory(username="adminchef", groups=[access.ADMIN_CHIEF]),
    }
    pack = evidence_pack_request(user=users[who] if allowed else director, year=2019)
    if allowed:  # a refused user is refused before any file is looked at
        evidence_pack_run(pack_id=pack.pk)
    client.force_login(users[who])
    page = client.get(reverse("internalcontrol:evidence-pack"))
    download = client.get(reverse("internalcontrol:evidence-pack-download", args=[pack.pk]))
    asked = client.post(reverse("internalcontrol:evidence-pack"), {"year": "2019"})
    if allowed:
        assert page.status_code == 200 and "Skapa bevispaket" in page.content.decode()
        assert download.status_code == 200 and download["Content-Type"] == "application/zip"
        assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None
        assert asked.status_code == 302 and EvidencePack.objects.filter(requested_by=users[who]).count() == 2
    else:
        assert (page.status_code, download.status_code, asked.status_code) == (403, 403, 403)
        assert EvidencePack.objects.count() == 1


def test_the_status_page_shows_the_progress_and_then_the_link(client, year_2019, revisor):
    pack = evidence_pack_request(user=revisor, year=2019)
    client.force_login(revisor)
    progress = client.get(reverse("internalcontrol:evidence-pack-progress", args=[pack.pk])).json()
    assert progress["status"] == "queued" and progress["download_url"] is None
    evidence_pack_run(pack_id=pack.pk)
    page = client.get(reverse("internalcontrol:evidence-pack-status", args=[pack.pk])).content.decode()
    assert "Ladda ner bevispaketet (ZIP)" in page and "Klart: 6 kontroller" in page


def test_the_command_writes_the_pack_and_refuses_an_unknown_year_in_swedish(year_2019, tmp_path):
    output = tmp_path / "bevispaket.zip"
    call_command("export_evidence_pack", "2019", "-o", str(output), stdout=io.StringIO())
    assert "sammanfattning-2019.pdf" in zipfile.ZipFile(output).namelist()
    with pytest.raises(CommandError, match="Okänt verksamhetsår: 1999."):
        call_command("export_evidence_pack", "1999", "-o", str(tmp_path / "x.zip"))
