"""Import and export with django-import-export, in the layout of Bilaga 2.

A sheet laid out like Bilaga 2 (title or blank rows, then the header row
Granskningsområde | Kontrollmoment | Kontrollmetod | Frekvens | Kontrollansvarig
[| Resultat av granskning]; group headings on rows of their own; an area's name
given once for the kontrollmoment rows below it) is first read into a flat
dataset, one row per kontrollmoment, that ``ControlPointResource`` imports.
Every bad row is reported with its row number in the sheet, and nothing is
written unless every row is good."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from federation.models import Role
from federation.people import person_name

from . import services
from .models import Check, ControlPlan, ControlPoint, ReviewArea

COLUMNS = ["Granskningsområde", "Kontrollmoment", "Kontrollmetod", "Frekvens", "Kontrollansvarig"]
RESULT_COLUMN = "Resultat av granskning"
HEADER = [*COLUMNS, RESULT_COLUMN]
FORMULA_START = ("=", "+", "-", "@")
AREA_NUMBER = re.compile(r"^\s*(\d+)\s*[.)]?\s+(.+?)\s*$")
FLAT_HEADERS = ["row", "group", "area_number", "area_name", "area_result", "order", "description", "method",
                "frequency_text", "responsible_role"]  # fmt: skip


def neutralise(value):
    """A cell that would start a formula in a spreadsheet gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


# --- Reading a sheet ----------------------------------------------------------------


def read_rows(path, content: bytes | None = None) -> list[list[str]]:
    """All rows of the first sheet (XLSX) or the file (CSV) as strings; merged cells give
    their value in the first cell only, as a person reading the sheet sees it."""
    suffix = Path(str(path)).suffix.lower()
    if content is None:
        content = Path(path).read_bytes()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
            raise ValidationError(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from error
    elif suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")  # CSV saved by Excel in Swedish Windows
            except UnicodeDecodeError as error:
                raise ValidationError(
                    _("Filens teckenkodning känns inte igen. Spara CSV-filen som UTF-8 och försök igen.")
                ) from error
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
        except csv.Error as error:
            raise ValidationError(_("Filen kunde inte läsas som CSV.")) from error
    else:
        raise ValidationError(_("Filen måste vara .xlsx eller .csv."))
    return [[unneutralise(cell.strip()) for cell in row] for row in rows]


@dataclass
class ReadResult:
    dataset: tablib.Dataset
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number in the sheet, reason)


def _find_header(rows):
    for index, row in enumerate(rows):
        names = [cell.strip().lower() for cell in row]
        if "kontrollmoment" in names and "granskningsområde" in names:
            return index, {name: names.index(name.lower()) for name in HEADER if name.lower() in names}
    return None, None


def read_bilaga2(rows: list[list[str]]) -> ReadResult:
    """The flat dataset (one row per kontrollmoment) of a sheet in the Bilaga 2 layout."""
    dataset = tablib.Dataset(headers=FLAT_HEADERS)
    result = ReadResult(dataset=dataset)
    header_index, columns = _find_header(rows)
    if header_index is None:
        result.errors.append((0, _("Hittar ingen rubrikrad med ”Granskningsområde” och ”Kontrollmoment”.")))
        return result
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        result.errors.append((header_index + 1, _("Kolumner saknas: %(cols)s.") % {"cols": ", ".join(missing)}))
        return result

    def cell(row, name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    group, area_number, area_name, area_result, order = "", None, "", "", 0
    pending_result_for = None
    seen_areas = set()
    for index in range(header_index + 1, len(rows)):
        row, number = rows[index], index + 1
        values = {name: cell(row, name) for name in HEADER}
        filled = [v for v in values.values() if v]
        if not filled:
            continue
        area_text = values["Granskningsområde"]
        if len(filled) == 1 and area_text and not AREA_NUMBER.match(area_text):
            group = area_text  # a group heading on a row of its own
            continue
        if area_text:
            match = AREA_NUMBER.match(area_text)
            if match:
                area_number, area_name = int(match.group(1)), match.group(2)
            else:
                area_number, area_name = (area_number or 0) + 1, area_text
            if area_number in seen_areas:
                result.errors.append(
                    (number, _("Granskningsområde nummer %(n)s förekommer mer än en gång.") % {"n": area_number})
                )
                area_number = None
                continue
            seen_areas.add(area_number)
            area_result, order = values[RESULT_COLUMN], 0
            pending_result_for = len(dataset)
        elif area_number is None:
            result.errors.append((number, _("Granskningsområde saknas ovanför kontrollmomentet.")))
            continue
        elif values[RESULT_COLUMN] and pending_result_for is not None:
            # the area's result continues on a row below its name
            area_result = "\n".join(filter(None, [area_result, values[RESULT_COLUMN]]))
            for i in range(pending_result_for, len(dataset)):
                dataset[i] = (*dataset[i][:4], area_result, *dataset[i][5:])
        if not values["Kontrollmoment"]:
            result.errors.append((number, _("Kontrollmoment saknas.")))
            continue
        order += 1
        dataset.append(
            [
                number,
                group,
                area_number,
                area_name,
                area_result,
                order,
                values["Kontrollmoment"],
                values["Kontrollmetod"],
                values["Frekvens"],
                values["Kontrollansvarig"],
            ]
        )
    if not len(dataset) and not result.errors:
        result.errors.append((header_index + 1, _("Filen innehåller inga kontrollmoment.")))
    return result


# --- Importing -----------------------------------------------------------------------


class RoleWidget(widgets.ForeignKeyWidget):
    """Kontrollansvarig by the role's name (any case), with a Swedish error naming the value. The roles are read
    once per import (each resource has its own copy of its fields), not once per row."""

    def __init__(self):
        super().__init__(Role, "name")
        self._by_name = None

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            raise ValueError(_("Kontrollansvarig saknas."))
        if self._by_name is None:
            self._by_name = {role.name.casefold(): role for role in Role.objects.all()}
        role = self._by_name.get(value.casefold())
        if role is None:
            raise ValueError(_("Okänd roll: %(value)s") % {"value": value})
        return role


class AreaWidget(widgets.ForeignKeyWidget):
    """The granskningsområde the resource created or updated for the row (``before_import_row``), by its pk."""

    def __init__(self):
        super().__init__(ReviewArea)
        self.by_pk = {}

    def clean(self, value, row=None, **kwargs):
        return self.by_pk.get(value) or super().clean(value, row, **kwargs)


class ControlPointResource(resources.ModelResource):
    """One kontrollmoment per row of the flat dataset; the plan's groups, areas and kontrollmoment
    are written by the services."""

    area = fields.Field(attribute="area", column_name="area", widget=AreaWidget())
    order = fields.Field(attribute="order", column_name="order", widget=widgets.IntegerWidget())
    description = fields.Field(attribute="description", column_name="description")
    method = fields.Field(attribute="method", column_name="method")
    frequency_text = fields.Field(attribute="frequency_text", column_name="frequency_text")
    responsible_role = fields.Field(attribute="responsible_role", column_name="responsible_role", widget=RoleWidget())

    class Meta:
        model = ControlPoint
        fields = ("area", "order", "description", "method", "frequency_text", "responsible_role")
        import_id_fields = ("area", "order")
        clean_model_instances = True
        skip_diff = True

    def __init__(self, *, plan=None):
        super().__init__()
        self.plan = plan
        self._groups = {}
        self._areas = {}

    def before_import_row(self, row, **kwargs):
        group = None
        if row.get("group"):
            group = self._groups.get(row["group"])
            if group is None:
                group = services.control_group_get_or_create(
                    plan=self.plan, name=row["group"], order=len(self._groups) + 1
                )
                self._groups[row["group"]] = group
        number = int(row["area_number"])
        area = self._areas.get(number)
        if area is None:
            area = services.review_area_update_or_create(
                plan=self.plan,
                number=number,
                name=row["area_name"],
                group=group,
                result_text=row["area_result"] or "",
            )
            self._areas[number] = area
            self.fields["area"].widget.by_pk[area.pk] = area
        row["area"] = area.pk

    def do_instance_save(self, instance, is_create):
        services.control_point_save(point=instance)

    def dehydrate_description(self, point):
        return point.description


@dataclass
class ImportResult:
    plan: ControlPlan | None
    rows: int
    errors: list[tuple[int, str]]
    dry_run: bool
    created_plan: bool = False
    preview_rows: list[tuple] = field(default_factory=list)  # (row, area, kontrollmoment, frekvens, roll)

    @property
    def ok(self):
        return not self.errors

    def preview(self) -> list[str]:
        return [f"Rad {number}: {reason}" for number, reason in self.errors]


def plan_import(*, year: int, path, content: bytes | None = None, dry_run: bool = False) -> ImportResult:
    """Import a Bilaga 2 sheet into ``year``'s plan (a draft, created if missing). All or nothing."""
    rows = read_rows(path, content)
    read = read_bilaga2(rows)
    errors = list(read.errors)
    with transaction.atomic():
        plan, created = services.plan_get_or_create_for_year(year=year)
        if plan.is_locked:
            raise ValidationError(
                _("Planen för %(year)s är antagen och låst; importera till en ny version.") % {"year": year}
            )
        source_rows = [row[0] for row in read.dataset]
        dataset = tablib.Dataset(*[row for row in read.dataset], headers=FLAT_HEADERS)
        resource = ControlPointResource(plan=plan)
        result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
        for number, row_errors in result.row_errors():
            for error in row_errors:
                errors.append((source_rows[number - 1], str(error.error)))
        for invalid in result.invalid_rows:
            for key, messages in invalid.error_dict.items():
                label = "" if key == NON_FIELD_ERRORS else f"{_column_label(key)}: "
                errors.extend((source_rows[invalid.number - 1], f"{label}{m}") for m in messages)
        errors.sort()
        if errors or dry_run:
            transaction.set_rollback(True)
    return ImportResult(
        plan=None if (errors or dry_run) and created else plan,
        rows=len(read.dataset),
        errors=errors,
        dry_run=dry_run,
        created_plan=created,
        preview_rows=[(r[0], f"{r[2]}. {r[3]}", r[6], r[8], r[9]) for r in read.dataset],
    )


def _column_label(key):
    return {
        "frequency_text": "Frekvens",
        "responsible_role": "Kontrollansvarig",
        "description": "Kontrollmoment",
        "method": "Kontrollmetod",
        "area": "Granskningsområde",
        "name": "Granskningsområde",
        "result_text": RESULT_COLUMN,
    }.get(key, key)


# --- Exporting -----------------------------------------------------------------------


def plan_rows(plan) -> list[list[str]]:
    """The plan in the Bilaga 2 layout the import reads: title, blank, header, groups, areas."""
    rows = [[f"Internkontrollplan {plan.year}", "", "", "", "", ""], ["", "", "", "", "", ""], list(HEADER)]
    points = (
        ControlPoint.objects.filter(area__plan=plan)
        .select_related("area__group", "responsible_role")
        .order_by("area__group__order", "area__number", "order")
    )
    group, area = None, None
    for point in points:
        group_name = point.area.group.name if point.area.group else ""
        if group_name and group_name != group:
            rows.append([group_name, "", "", "", "", ""])
        first = point.area_id != area
        rows.append(
            [
                str(point.area) if first else "",
                point.description,
                point.method,
                point.frequency_text,
                point.responsible_role.name,
                point.area.result_text if first else "",
            ]
        )
        group, area = group_name, point.area_id
    return [[neutralise(value) for value in row] for row in rows]


def render(rows, *, fmt: str, title: str) -> bytes:
    """Rows as an XLSX or CSV file's bytes (CSV in UTF-8 with BOM so Excel reads å, ä, ö)."""
    dataset = tablib.Dataset(title=title[:31])
    for row in rows:
        dataset.append(row)
    if fmt == "xlsx":
        return dataset.export("xlsx")
    if fmt == "csv":
        return dataset.export("csv").encode("utf-8-sig")
    raise ValidationError(_("Filen måste vara .xlsx eller .csv."))


def _write(rows, path, title):
    Path(path).write_bytes(render(rows, fmt=Path(str(path)).suffix.lower().lstrip("."), title=title))


def plan_export(*, plan, path):
    _write(plan_rows(plan), path, f"Internkontrollplan {plan.year}")


class CheckResource(resources.ModelResource):
    """The year's checks, one row each, for XLSX/CSV (formula-neutralised by the settings)."""

    area = fields.Field(column_name="Granskningsområde", attribute="control_point__area")
    control_point = fields.Field(column_name="Kontrollmoment", attribute="control_point__description")
    role = fields.Field(column_name="Kontrollansvarig", attribute="control_point__responsible_role__name")
    due_date = fields.Field(column_name="Förfallodag", attribute="due_date", widget=widgets.DateWidget("%Y-%m-%d"))
    performed_on = fields.Field(
        column_name="Genomförd", attribute="performed_on", widget=widgets.DateWidget("%Y-%m-%d")
    )
    performed_by = fields.Field(column_name="Genomförd av", attribute="performed_by")
    result = fields.Field(column_name="Resultat", attribute="get_result_display")
    severity = fields.Field(column_name="Allvarlighetsgrad", attribute="get_severity_display")
    sample = fields.Field(column_name="Urval", attribute="sample")
    comment = fields.Field(column_name="Kommentar", attribute="comment")

    class Meta:
        model = Check
        fields = export_order = (
            "area", "control_point", "role", "due_date", "performed_on", "performed_by", "result", "severity",
            "sample", "comment",
        )  # fmt: skip

    def dehydrate_performed_by(self, check):
        user = check.performed_by
        return person_name(user)

    def dehydrate_severity(self, check):
        return check.get_severity_display() if check.severity else ""

    def dehydrate_result(self, check):
        return check.get_result_display() if check.result else ""


def check_rows(plan) -> list[list[str]]:
    queryset = (
        Check.objects.filter(control_point__area__plan=plan)
        .with_related()
        .order_by("due_date", "control_point__area__number", "control_point__order")
    )
    dataset = CheckResource().export(queryset)
    rows = [list(dataset.headers)] + [list(row) for row in dataset]
    return [[neutralise("" if v is None else str(v)) for v in row] for row in rows]


def checks_export(*, plan, path):
    _write(check_rows(plan), path, f"Kontroller {plan.year}")
