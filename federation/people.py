"""How the app names people and times: one place for pages, history, exports and mails.

People are shown by their full name (the username only when no name is recorded), never by the
login name alone; times are shown in the organisation's time zone (``TIME_ZONE``, Europe/Stockholm),
never in UTC. Templates use the filters in ``federation/templatetags/people.py``."""

import datetime

from django.utils import timezone

NOBODY = "–"


def person_name(user, *, default: str = "") -> str:
    """``user``'s full name, else their username; ``default`` for nobody."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()


def local_time(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime in the organisation's time zone (a naive one is returned as it is)."""
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def local_naive(value: datetime.datetime) -> datetime.datetime:
    """The local wall-clock time without a zone, for formats that hold no zone (spreadsheet cells)."""
    return local_time(value).replace(tzinfo=None)
