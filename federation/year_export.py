"""All data of one year as one XLSX workbook, so the organisation can leave with its data.

One sheet per registered model (the organisation from federation, then what the
apps register in their ``AppConfig.ready()``), the rows that belong to the year,
Swedish column headings (the fields' verbose names), choices as their labels,
foreign keys as the related object's name, and every text cell neutralised
against formulas."""

import datetime
import io
import json
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .people import local_naive, person_name
from .registry import year_exports

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def exported_models():
    """The registered models (see ``federation.registry.register_year_export``), in registration order."""
    return [export.model for export in year_exports()]


def year_queryset(model, year: int):
    lookup = next(export.year_lookup for export in year_exports() if export.model is model)
    queryset = model._default_manager.all()
    if lookup is not None:
        queryset = queryset.filter(**{lookup: year})
    return queryset.order_by("pk")


def sheet_title(model) -> str:
    title = str(model._meta.verbose_name_plural).capitalize()
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def safe(value):
    """A cell value openpyxl writes as data: text that would start a formula gets an apostrophe."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        if isinstance(value, datetime.datetime):
            return local_naive(value)  # the wall-clock time in Stockholm, as every page shows it
        return value
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _columns(model):
    fields = [f for f in model._meta.concrete_fields]
    many = [f for f in model._meta.many_to_many]
    return fields, many


def _row(obj, fields, many):
    row = []
    for field in fields:
        value = getattr(obj, field.name)
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.FileField):
            value = value.name if value else ""
        elif isinstance(field, models.ForeignKey) and value is not None:
            value = person_name(value) if isinstance(value, AbstractBaseUser) else str(value)
        row.append(safe(value))
    for field in many:
        row.append(safe(", ".join(str(item) for item in getattr(obj, field.name).all())))
    return row


def write_year_workbook(year: int) -> tuple[bytes, dict[str, int]]:
    """The workbook's bytes and {sheet title: rows} for the year."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    counts = {}
    for model in exported_models():
        fields, many = _columns(model)
        title = sheet_title(model)
        sheet = workbook.create_sheet(title)
        sheet.append([str(f.verbose_name).capitalize() for f in fields + many])
        related = [f.name for f in fields if isinstance(f, models.ForeignKey)]
        queryset = year_queryset(model, year).select_related(*related).prefetch_related(*[f.name for f in many])
        rows = 0
        for obj in queryset.iterator(chunk_size=500) if not many else queryset:
            sheet.append(_row(obj, fields, many))
            rows += 1
        for index, _field in enumerate(fields + many, 1):
            sheet.column_dimensions[get_column_letter(index)].width = 22
        sheet.freeze_panes = "A2"
        counts[title] = rows
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), counts
