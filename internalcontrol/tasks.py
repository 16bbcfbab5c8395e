"""Background tasks of the internal control app, thin: they call the service."""

from celery import shared_task

from .evidence import evidence_pack_run


@shared_task(name="internalcontrol.tasks.build_evidence_pack", acks_late=True)
def build_evidence_pack(pack_id: int) -> str:
    return evidence_pack_run(pack_id=pack_id).status
