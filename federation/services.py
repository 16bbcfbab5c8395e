"""Writes of the organisation itself that pages outside the admin make (the admin writes the rest)."""

import datetime

from django.db import transaction

from .models import Decision, DecisionBody


@transaction.atomic
def decision_register(
    *,
    body: DecisionBody,
    date: datetime.date,
    subject: str,
    kind: str,
    paragraph: str = "",
    reference: str = "",
) -> Decision:
    """Record a decision of a body (e.g. the Direktion's decision adopting a plan), validated first."""
    decision = Decision(
        body=body,
        date=date,
        subject=subject.strip(),
        kind=kind,
        paragraph=paragraph.strip(),
        reference=reference.strip(),
    )
    decision.full_clean()
    decision.save()
    return decision
