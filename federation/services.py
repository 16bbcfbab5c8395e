"""Writes of the organisation's own data (fiscal years and their follow-ups)."""

from dateutil.relativedelta import relativedelta
from django.db import transaction

from .models import FiscalYear, FollowUp


@transaction.atomic
def fiscal_year_create(*, year: int, like: FiscalYear | None = None) -> FiscalYear:
    """The calendar fiscal year ``year``; its follow-ups (delår, helår) at the same points as ``like``'s,
    moved to ``year``. Returns the year as it is when it already exists."""
    existing = FiscalYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    fiscal_year = FiscalYear.calendar(year)
    fiscal_year.full_clean()
    fiscal_year.save()
    if like is not None:
        shift = relativedelta(years=year - like.year)
        for follow_up in like.follow_ups.all():
            copy = FollowUp(
                fiscal_year=fiscal_year,
                kind=follow_up.kind,
                period_end=follow_up.period_end + shift,
                due_date=follow_up.due_date + shift,
            )
            copy.full_clean()
            copy.save()
    return fiscal_year
