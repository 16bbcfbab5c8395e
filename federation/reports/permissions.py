"""Who may see and export the year-end report: the förbundsdirektör and the
read-only readers (Direktion, revisorer)."""

from federation import access
from federation.selectors import is_director

READERS = frozenset({access.DIRECTOR, access.READ_ONLY})


def reports_allowed(*, groups, director: bool) -> bool:
    """The rule, on what is known of the user (also the menu's, federation.navigation)."""
    return director or bool(READERS & set(groups))


def can_view_reports(user) -> bool:
    if not user.is_authenticated:
        return False
    return reports_allowed(groups=user.groups.values_list("name", flat=True), director=is_director(user))


def can_download_export(user, export) -> bool:
    return can_view_reports(user) and (export.requested_by_id == user.pk or is_director(user))
