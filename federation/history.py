"""The audit trail as pages show it: who changed what, when, and from what to what.

Rows are built from django-simple-history records with ``diff_against`` between
each version and the one before it. Queries are constant: one per history
table read, plus one per kind of related object named in a changed foreign key.
Show them with ``{% include "includes/history.html" with rows=rows %}`` or
``{% load history %}{% object_history obj as rows %}``."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .people import local_time, person_name

KINDS = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}
EMPTY = "–"


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryRow:
    date: object
    user: str
    kind: str
    label: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _user_label(user):
    return person_name(user, default=EMPTY)


def _label(obj):
    """A related object as a history row names it: people by full name."""
    return person_name(obj) if isinstance(obj, AbstractBaseUser) else str(obj)


def _text(model_field, value, related_labels):
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return related_labels.get((model_field.related_model, value), f"#{value}")
    if isinstance(model_field, models.BooleanField):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(value, datetime.datetime):
        return str(formats.localize(local_time(value)))
    if isinstance(model_field, (models.DateField, models.DateTimeField, models.DecimalField)):
        return str(formats.localize(value))
    return str(value)


def _excluded(record):
    """Fields not shown: many-to-many (a query per version) and bookkeeping timestamps."""
    return {f.name for f in record.instance_type._meta.many_to_many}


def history_rows(*record_lists, labels=None) -> list[HistoryRow]:
    """Rows, newest first, for one or more iterables of historical records.

    Each record is compared with the previous version of the same object found
    in the same list, so pass each object's whole history."""
    records = [record for records in record_lists for record in records]
    previous = {}
    deltas = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = (type(record), record.id)
        before = previous.get(key)
        delta = record.diff_against(before, excluded_fields=_excluded(record)) if before is not None else None
        deltas.append((record, delta))
        previous[key] = record

    # Related objects named in changed foreign keys: one query per related model.
    wanted = defaultdict(set)
    for record, delta in deltas:
        for change in delta.changes if delta else []:
            model_field = record.instance_type._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                for value in (change.old, change.new):
                    if value not in (None, ""):
                        wanted[model_field.related_model].add(value)
    related_labels = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            related_labels[(model, obj.pk)] = _label(obj)

    rows = []
    for record, delta in deltas:
        meta = record.instance_type._meta
        changes = []
        for change in delta.changes if delta else []:
            model_field = meta.get_field(change.field)
            changes.append(
                Change(
                    field=str(model_field.verbose_name).capitalize(),
                    old=_text(model_field, change.old, related_labels),
                    new=_text(model_field, change.new, related_labels),
                )
            )
        rows.append(
            HistoryRow(
                date=record.history_date,
                user=_user_label(record.history_user),
                kind=str(KINDS.get(record.history_type, record.history_type)),
                label=(labels or {}).get(type(record), str(meta.verbose_name).capitalize()),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    rows.reverse()
    return rows


def object_history(obj) -> list[HistoryRow]:
    """Every version of one object, newest first (two queries at most)."""
    return history_rows(obj.history.select_related("history_user").order_by("history_date", "history_id"))


# --- Writing history in bulk ------------------------------------------------------------

_HISTORY_IDS_PER_STATEMENT = 900  # below SQLite's 999 parameters, with the date, type and user


def bulk_create_with_history(objs: list, model, *, batch_size: int | None = None, default_user=None) -> list:
    """``simple_history.utils.bulk_create_with_history`` for the imports of thousands of rows: the objects are
    written with ``bulk_create`` and their "created" history rows copied from the rows just written, inside the
    database (one ``INSERT … SELECT`` per 900 objects), instead of being built as Python objects and compiled
    into a second insert. The history rows are those simple-history writes: every tracked field's value, type
    "+", the time now, no change reason, and ``default_user`` or the request's user (as for a save). Objects
    that carry their own history user, date or reason go through simple-history itself."""
    from django.conf import settings
    from django.db import connections, router, transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history as simple_bulk_create_with_history

    objs = list(objs)
    history = model.history.model
    special = ("_history_user", "_history_date", "_change_reason")
    if (
        not objs
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        or hasattr(history, "history_relation")
        or not isinstance(history._meta.pk, models.AutoField)
        or any(hasattr(obj, name) for obj in objs for name in special)
    ):
        return simple_bulk_create_with_history(objs, model, batch_size=batch_size, default_user=default_user)
    database = router.db_for_write(model)
    connection = connections[database]
    with transaction.atomic(using=database, savepoint=False):
        created = model._default_manager.using(database).bulk_create(objs, batch_size=batch_size)
        ids = [obj.pk for obj in created]
        if None in ids:  # a database that does not return the new ids
            model.history.bulk_history_create(created, batch_size=batch_size, default_user=default_user)
            return created
        user = default_user or history.get_default_history_user(created[0])
        meta, quote = history._meta, connection.ops.quote_name
        pairs = [(meta.get_field(field.name).column, field.column) for field in history.tracked_fields]
        extra = [meta.get_field(name).column for name in ("history_date", "history_type", "history_user")]
        reason = meta.get_field("history_change_reason").column
        date = meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
        source_pk = quote(model._meta.pk.column)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), _HISTORY_IDS_PER_STATEMENT):
                chunk = ids[start : start + _HISTORY_IDS_PER_STATEMENT]
                cursor.execute(
                    f"INSERT INTO {quote(meta.db_table)} "
                    f"({', '.join(quote(column) for column, _ in pairs)}, {', '.join(map(quote, extra))}, "
                    f"{quote(reason)}) "
                    f"SELECT {', '.join(quote(column) for _, column in pairs)}, %s, %s, %s, NULL "
                    f"FROM {quote(model._meta.db_table)} WHERE {source_pk} IN ({', '.join(['%s'] * len(chunk))}) "
                    f"ORDER BY {source_pk}",
                    [date, "+", getattr(user, "pk", None), *chunk],
                )
    return created
