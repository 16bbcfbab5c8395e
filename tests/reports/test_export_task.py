"""The background export: the task as a thin wrapper, and a real worker."""

import io

import docx
import pytest

from federation.models import ReportExport
from federation.reports.exports import report_export_run
from federation.reports.services import report_export_request
from federation.tasks import export_report
from tests.factories import UserFactory
from tests.services import celery_worker


@pytest.mark.django_db
def test_the_task_sets_status_done_and_stores_the_file(year_2019, units, django_capture_on_commit_callbacks):
    # given an export requested (the queueing waits for the commit)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = report_export_request(user=user, fiscal_year=2019, fmt="docx", sections=["goals"])
    assert len(callbacks) == 1 and export.status == ReportExport.Status.QUEUED
    # when the task runs
    assert export_report(export.pk) == "done"
    # then the file holds the chosen section
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE and export.progress == 100 and export.finished
    assert export.file.name.endswith(".docx")
    with export.file.open("rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["4 Måluppfyllelse"]


@pytest.mark.django_db
def test_running_a_finished_export_again_changes_nothing(year_2019, units):
    export = report_export_request(user=UserFactory(), fiscal_year=2019, fmt="xlsx")
    report_export_run(export_id=export.pk)
    export.refresh_from_db()
    first_file, first_finished = export.file.name, export.finished
    report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert (export.file.name, export.finished) == (first_file, first_finished)


@pytest.mark.django_db
def test_a_failing_export_is_marked_failed_with_a_swedish_message(year_2019, units):
    export = ReportExport.objects.create(
        requested_by=UserFactory(), fiscal_year=year_2019, format="pdf", options={"sections": ["bilaga-9"]}
    )
    report_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert export.message == "Exporten misslyckades: Okänt avsnitt: bilaga-9"
    assert not export.file


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_produces_the_file(year_2019, units, settings):
    # The worker is another process: it builds the report with the builders the
    # apps register there (goals and internalcontrol, on this year's empty data).
    export = ReportExport.objects.create(
        requested_by=UserFactory(), fiscal_year=year_2019, format="pdf", options={"sections": None, "units": None}
    )
    with celery_worker(extra_env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as queue:
        assert export_report.apply_async((export.pk,), queue=queue).get(timeout=120) == "done"
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    with export.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_progress_is_recorded_while_the_export_runs(year_2019, units, monkeypatch):
    from federation.reports.formats import Format

    seen = []
    original = Format.render

    def spy(self, report):
        seen.append(ReportExport.objects.values_list("status", "progress", "message").get())
        return original(self, report)

    monkeypatch.setattr(Format, "render", spy)
    export = report_export_request(user=UserFactory(), fiscal_year=2019, fmt="html")
    report_export_run(export_id=export.pk)
    assert seen == [("running", 40, "Skapar HTML …")]
