"""Copying a model instance field by field: the one mechanism behind each app's ``<model>_copy`` services
(copy-to-next-year and the benchmark's scaled data both build their copies with those)."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def model_copy(source: M, *, fields: tuple[str, ...], **overrides) -> M:
    """A new, unsaved instance of ``source``'s model: ``fields`` taken over from ``source``, ``overrides`` on top.

    Fields are named as the model names them (``unit``); an override may give a foreign key as the object
    (``unit=...``) or as its id (``unit_id=...``). Many-to-many fields are the caller's, after saving."""
    values = {}
    for name in fields:
        field = source._meta.get_field(name)
        if field.name not in overrides and field.attname not in overrides:
            values[field.attname] = getattr(source, field.attname)
    return type(source)(**values, **overrides)
