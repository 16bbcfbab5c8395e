"""Who may see and export the year-end report: the förbundsdirektör and the
read-only readers (Direktion, revisorer)."""

from federation import access
from federation.selectors import is_director


def can_view_reports(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.groups.filter(name__in=[access.DIRECTOR, access.READ_ONLY]).exists():
        return True
    return is_director(user)


def can_download_export(user, export) -> bool:
    return can_view_reports(user) and (export.requested_by_id == user.pk or is_director(user))
