"""The background export of the year-end report, thin: it calls the service. Its name is fixed
(queued messages name it), so moving the code does not change it."""

from celery import shared_task

from .exports import report_export_run


@shared_task(name="federation.tasks.export_report", acks_late=True)
def export_report(export_id: int) -> str:
    return report_export_run(export_id=export_id).status
