"""Import and export with django-import-export: a plan as any organisation writes it, and Bilaga 2.

A plan sheet — our own Bilaga 2 layout or another organisation's (own column names, title rows, a
cover sheet, merged cells, group headings on rows of their own, an area's name given once for the
rows below it or repeated on every row, risk columns) — is read (federation/sheets.py) into a flat
dataset, one row per kontrollmoment, that ``ControlPointResource`` imports. The columns are
recognised through ``SYNONYMS`` (the one table of the headers plans use) or a mapping the user gives
("Kolumn=fält"), which is remembered for the next file with the same headers. Every bad row is reported
with its row number in the sheet, every column no field takes is listed, and nothing is written unless
every row is good."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from federation import services as federation_services
from federation.models import Role
from federation.people import person_name
from federation.selectors import import_layout_mapping
from federation.sheets import (
    Header,
    Unsaved,
    column_fields,
    find_header,
    ignored_headers,
    normalise_header,
    parse_mapping,
    read_sheets,
)

from . import services
from .models import RISK_SCALES, Check, ControlPlan, ControlPoint, ReviewArea

COLUMNS = ["Granskningsområde", "Kontrollmoment", "Kontrollmetod", "Frekvens", "Kontrollansvarig"]
RESULT_COLUMN = "Resultat av granskning"
HEADER = [*COLUMNS, RESULT_COLUMN]
FORMULA_START = ("=", "+", "-", "@")
AREA_NUMBER = re.compile(r"^\s*(\d+)\s*[.)]?\s+(.+?)\s*$")
FLAT_HEADERS = ["row", "group", "area_number", "area_name", "area_result", "order", "description", "method",
                "frequency_text", "responsible_role", "reported_to"]  # fmt: skip

# The fields of a plan row: the name the user writes in a mapping ("Kolumn=fält") → key.
FIELDS = {
    "Granskningsområde": "area",
    "Kontrollmoment": "description",
    "Kontrollmetod": "method",
    "Frekvens": "frequency",
    "Kontrollansvarig": "responsible",
    "Rapporteras till": "reported_to",
    "Sannolikhet": "likelihood",
    "Konsekvens": "consequence",
    "Riskvärde": "risk_value",
    "Risk": "risk",
    RESULT_COLUMN: "result",
}
FIELD_NAMES = {key: name for name, key in FIELDS.items()}
REQUIRED = ("area", "description", "frequency", "responsible")
# The headers plans are written with, each → its field: the one table (documented in the user guide).
SYNONYMS = {
    normalise_header(header): key
    for key, headers in {
        "area": ["Granskningsområde", "Område", "Kontrollområde", "Process", "Rutin", "Process/rutin",
                 "Rutin/process", "Processområde", "Verksamhetsområde", "Granskningsområde/process"],
        "description": ["Kontrollmoment", "Kontrollaktivitet", "Kontrollpunkt", "Vad kontrolleras",
                        "Vad ska kontrolleras", "Vad kontrolleras?", "Kontroll", "Kontrollmoment/aktivitet"],
        "method": ["Kontrollmetod", "Metod", "Hur", "Hur kontrolleras", "Hur sker kontrollen", "Kontrollsätt"],
        "frequency": ["Frekvens", "Periodicitet", "När", "Tidpunkt", "Frekvens/tidpunkt", "När sker kontrollen",
                      "Kontrollfrekvens"],
        "responsible": ["Kontrollansvarig", "Ansvarig", "Utförs av", "Ansvarig för kontroll", "Kontrollant",
                        "Ansvar", "Ansvarig för kontrollen"],
        "reported_to": ["Rapporteras till", "Rapport till", "Återrapportering", "Återrapporteras till",
                        "Rapporteras", "Rapportering till"],
        "likelihood": ["Sannolikhet", "S", "Sannolikhet (S)", "Sannolikhet (1-4)", "Sannolikhet (1-5)",
                       "Sannolikhet (1–4)", "Sannolikhet (1–5)", "Sannolikhet (1-3)", "Sannolikhet (1–3)"],
        "consequence": ["Konsekvens", "K", "Konsekvens (K)", "Konsekvens (1-4)", "Konsekvens (1-5)",
                        "Konsekvens (1–4)", "Konsekvens (1–5)", "Konsekvens (1-3)", "Konsekvens (1–3)"],
        "risk_value": ["Riskvärde", "Riskvärde (S×K)", "Riskvärde S×K", "S×K", "S*K", "SxK", "Riskvärde (SxK)",
                       "Riskvärde (S*K)", "Riskpoäng"],
        "risk": ["Risk", "Riskbeskrivning", "Identifierad risk", "Beskrivning av risk", "Risker"],
        "result": [RESULT_COLUMN, "Resultat", "Resultat av kontroll", "Utfall"],
    }.items()
    for header in headers
}  # fmt: skip
LAYOUT_KIND = "internkontrollplan"


def neutralise(value):
    """A cell that would start a formula in a spreadsheet gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# --- Reading a sheet ----------------------------------------------------------------


@dataclass
class ReadResult:
    dataset: tablib.Dataset
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number in the sheet, reason)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    risks: list[dict] = field(default_factory=list)  # {row, title, likelihood, consequence}
    header: Header | None = None
    sheets: list[str] = field(default_factory=list)  # several sheets hold a plan: the user chooses
    unmapped: list[str] = field(default_factory=list)  # the headers of the file, for a mapping step
    header_cells: list[str] = field(default_factory=list)
    mapping: dict = field(default_factory=dict)  # the mapping read with: given, or remembered for these headers
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, field key or "ignorera"), in file order


def _number(text: str) -> int | None:
    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else None


def _choose_header(sheets, *, mapping, sheet_name, result):
    if not mapping:
        mapping = import_layout_mapping(sheets, kind=LAYOUT_KIND)
    found, near = find_header(sheets, synonyms=SYNONYMS, required=REQUIRED, mapping=mapping, sheet_name=sheet_name)
    if len(found) > 1:
        result.sheets = [header.sheet for header in found]
        result.errors.append(
            (0, _("Flera blad innehåller en plan: %(names)s. Välj vilket blad som ska läsas in.")
             % {"names": ", ".join(f"”{name}”" for name in result.sheets)})
        )  # fmt: skip
        return None, mapping
    if not found:
        if near:
            sheet, headers = near[0]
            result.unmapped = headers
            result.columns = column_fields(headers, synonyms=SYNONYMS, mapping=mapping)
            recognised = [h for h in headers if SYNONYMS.get(normalise_header(h)) or mapping.get(normalise_header(h))]
            keys = {mapping.get(normalise_header(h)) or SYNONYMS.get(normalise_header(h)) for h in recognised}
            missing = [FIELD_NAMES[key] for key in REQUIRED if key not in keys]
            result.errors.append(
                (0, _("Kolumner som behövs känns inte igen: %(missing)s (bladet ”%(sheet)s”, rubriker: %(headers)s). "
                      "Ange vilken kolumn som är vilket fält, t.ex. ”%(example)s=%(field)s”.")
                 % {"missing": ", ".join(missing), "sheet": sheet, "headers": ", ".join(f"”{h}”" for h in headers),
                    "example": headers[0], "field": missing[0] if missing else "ignorera"})
            )  # fmt: skip
        else:
            result.errors.append(
                (0, _("Hittar ingen rubrikrad bland de första 20 raderna i något blad. En plan behöver kolumner för "
                      "Granskningsområde, Kontrollmoment, Frekvens och Kontrollansvarig."))
            )  # fmt: skip
        return None, mapping
    return found[0], mapping


def read_plan(sheets, *, mapping: dict | None = None, sheet_name: str | None = None) -> ReadResult:
    """The flat dataset (one row per kontrollmoment) of a plan sheet, with its risks."""
    dataset = tablib.Dataset(headers=FLAT_HEADERS)
    result = ReadResult(dataset=dataset)
    header, mapping = _choose_header(sheets, mapping=mapping or {}, sheet_name=sheet_name, result=result)
    result.mapping = mapping
    if header is None:
        return result
    result.header = header
    rows = next(sheet.rows for sheet in sheets if sheet.name == header.sheet)
    result.header_cells = [str(cell) for cell in rows[header.index]]
    result.columns = column_fields(result.header_cells, synonyms=SYNONYMS, mapping=mapping)
    body = rows[header.index + 1 :]
    # "Risk" holding numbers only is the risk value, not its description.
    if "risk" in header.columns and "risk_value" not in header.columns:
        values = [header.cell(row, "risk") for row in body if header.cell(row, "risk")]
        if values and all(_number(v) is not None for v in values):
            header.columns["risk_value"] = header.columns.pop("risk")
            header.labels["risk_value"] = header.labels.pop("risk")

    group, area_number, area_name, area_result, order = "", None, "", "", 0
    pending_result_for = None
    numbers_by_name, seen_numbers = {}, set()
    for offset, row in enumerate(body):
        number = header.index + 2 + offset
        values = {key: header.cell(row, key) for key in FIELD_NAMES}
        unsaved = [FIELD_NAMES[key] for key, value in values.items() if isinstance(value, Unsaved)]
        if unsaved:
            result.errors.append(
                (number, _("%(cols)s: cellen innehåller en formel utan sparat värde. Öppna filen i Excel, spara den "
                           "och läs in den igen.") % {"cols": ", ".join(unsaved)})
            )  # fmt: skip
            continue
        values = {key: value.strip() for key, value in values.items()}
        filled = [v for v in values.values() if v]
        if not filled:
            continue
        area_text = values["area"]
        if len(filled) == 1 and area_text and not AREA_NUMBER.match(area_text):
            group = area_text  # a group heading on a row of its own
            continue
        if area_text:
            match = AREA_NUMBER.match(area_text)
            name = match.group(2) if match else area_text
            if match:
                new_number = int(match.group(1))
            else:
                new_number = numbers_by_name.get(name.casefold()) or max(seen_numbers, default=0) + 1
            if new_number < 1:
                result.errors.append(
                    (
                        number,
                        _("Granskningsområdets nummer måste vara 1 eller högre (”%(text)s”).") % {"text": area_text},
                    )
                )
                area_number = None
                continue
            if new_number != area_number or name.casefold() != area_name.casefold():
                if match and new_number in seen_numbers:
                    result.errors.append(
                        (number, _("Granskningsområde nummer %(n)s förekommer mer än en gång.") % {"n": new_number})
                    )
                    area_number = None
                    continue
                area_number, area_name, area_result, order = new_number, name, values["result"], 0
                seen_numbers.add(area_number)
                numbers_by_name[name.casefold()] = area_number
                pending_result_for = len(dataset)
        elif area_number is None:
            result.errors.append((number, _("Granskningsområde saknas ovanför kontrollmomentet.")))
            continue
        if not area_text and values["result"] and pending_result_for is not None:
            # the area's result continues on a row below its name
            area_result = "\n".join(filter(None, [area_result, values["result"]]))
            for i in range(pending_result_for, len(dataset)):
                dataset[i] = (*dataset[i][:4], area_result, *dataset[i][5:])
        if not values["description"]:
            result.errors.append((number, _("Kontrollmoment saknas.")))
            continue
        order += 1
        dataset.append(
            [number, group, area_number, area_name, area_result, order, values["description"], values["method"],
             values["frequency"], values["responsible"], values["reported_to"] or "Direktionen"]
        )  # fmt: skip
        _read_risk(values, number, result, len(dataset) - 1)
    if not len(dataset) and not result.errors:
        result.errors.append((header.index + 1, _("Filen innehåller inga kontrollmoment.")))
    return result


def _read_risk(values, number, result, dataset_index):
    """The row's risk (Sannolikhet, Konsekvens, Riskvärde, Risk) for the plan's risk analysis."""
    likelihood_text, consequence_text = values["likelihood"], values["consequence"]
    value_text, title = values["risk_value"], values["risk"]
    if not (likelihood_text or consequence_text or value_text or title):
        return
    likelihood, consequence = _number(likelihood_text), _number(consequence_text)
    for text, parsed, name in (
        (likelihood_text, likelihood, "Sannolikhet"),
        (consequence_text, consequence, "Konsekvens"),
    ):  # noqa: E501
        if not text:
            result.errors.append((number, _("%(col)s saknas för risken på raden.") % {"col": name}))
            return
        if parsed is None:
            result.errors.append((number, _("%(col)s ”%(value)s” är inte ett heltal.") % {"col": name, "value": text}))
            return
    if value_text:
        stated = _number(value_text)
        if stated is None:
            result.errors.append((number, _("Riskvärde ”%(value)s” är inte ett heltal.") % {"value": value_text}))
            return
        if stated != likelihood * consequence:
            result.warnings.append(
                (number, _("Riskvärdet %(stated)s skiljer sig från S×K = %(s)s×%(k)s = %(value)s; S×K används.")
                 % {"stated": stated, "s": likelihood, "k": consequence, "value": likelihood * consequence})
            )  # fmt: skip
    result.risks.append(
        {"row": number, "index": dataset_index, "title": (title or values["description"])[:300],
         "likelihood": likelihood, "consequence": consequence}
    )  # fmt: skip


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
            raise ValueError(
                _("Okänd roll: %(value)s. Kryssa i ”Skapa saknade roller” (--create-roles) för att skapa den.")
                % {"value": value}
            )
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
    reported_to = fields.Field(attribute="reported_to", column_name="reported_to")

    class Meta:
        model = ControlPoint
        fields = ("area", "order", "description", "method", "frequency_text", "responsible_role", "reported_to")
        import_id_fields = ("area", "order")
        clean_model_instances = True
        skip_diff = True
        store_instance = True

    def __init__(self, *, plan=None):
        super().__init__()
        self.plan = plan
        self._groups = {}
        self._areas = {}
        self._existing = None
        self._to_create = []

    # A plan of thousands of rows: the plan's kontrollmoment are read once (not a query per row); each row is
    # validated in Python — its fields and ``ControlPoint.clean``, which parses the frequency — and written
    # once; the area and role are the ones looked up above, and the database's constraints hold at the insert.
    def get_instance(self, instance_loader, row):
        if self._existing is None:
            self._existing = {(p.area_id, p.order): p for p in ControlPoint.objects.filter(area__plan=self.plan)}
        try:
            return self._existing.get((int(row["area"]), int(row["order"])))
        except (TypeError, ValueError):
            return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "area", "responsible_role"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._write_areas(dataset)

    def _write_areas(self, dataset):
        """The plan's groups and granskningsområden written before the rows, the new areas in bulk (a plan has
        hundreds), each with the group and texts of its first row, as ``before_import_row`` would write them.
        When any of them is refused nothing of this is kept, and ``before_import_row`` writes them one at a
        time as before, each refusal reported on its rows."""
        groups, areas = {}, {}
        try:
            with transaction.atomic():
                for row in dataset.dict:
                    group = None
                    if row["group"]:
                        group = groups.get(row["group"])
                        if group is None:
                            group = groups[row["group"]] = services.control_group_get_or_create(
                                plan=self.plan, name=row["group"], order=len(groups) + 1
                            )
                    areas.setdefault(int(row["area_number"]), (row["area_name"], group, row["area_result"] or ""))
                written = services.review_areas_write(plan=self.plan, areas=areas)
        except (ValidationError, DatabaseError, TypeError, ValueError):
            return
        self._groups.update(groups)
        self._areas.update(written)
        self.fields["area"].widget.by_pk.update({area.pk: area for area in written.values()})

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
        if is_create:
            self._to_create.append(instance)  # written in bulk after the last row (after_import)
        else:
            services.control_point_save(point=instance, validated=True)

    def after_import(self, dataset, result, **kwargs):
        services.control_points_create(points=self._to_create)
        self._to_create = []

    def dehydrate_description(self, point):
        return point.description


@dataclass
class ImportResult:
    plan: ControlPlan | None
    rows: int
    errors: list[tuple[int, str]]
    dry_run: bool
    created_plan: bool = False
    preview_rows: list[tuple] = field(default_factory=list)  # (row, area, kontrollmoment, metod, frekvens, roll)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the import will also do: roles, risks, ignored columns
    sheets: list[str] = field(default_factory=list)  # several sheets hold a plan: choose one
    unmapped: list[str] = field(default_factory=list)  # the file's headers, when a needed column is not recognised
    columns: list[tuple[str, str]] = field(default_factory=list)  # each header of the file → field key or "ignorera"
    risks: int = 0

    @property
    def ignored(self) -> list[str]:
        """The file's columns no field takes (listed in the preview)."""
        return ignored_headers(self.columns)

    @property
    def ok(self):
        return not self.errors

    def preview(self) -> list[str]:
        return [f"Rad {number}: {reason}" if number else reason for number, reason in self.errors]

    def warning_lines(self) -> list[str]:
        return [f"Rad {number}: {reason}" for number, reason in self.warnings]


def plan_import(
    *,
    year: int,
    path,
    content: bytes | None = None,
    dry_run: bool = False,
    create_roles: bool = False,
    sheet: str | None = None,
    mapping: str | dict = "",
    risk_scale: int | None = None,
) -> ImportResult:
    """Import a plan sheet into ``year``'s plan (a draft, created if missing). All or nothing.

    ``mapping`` ("Kolumn=fält,…") names columns the synonyms do not know; it is remembered for the next
    file with the same headers. ``create_roles`` creates the kontrollansvariga roles the organisation does
    not have yet (without holders). ``risk_scale`` (3, 4 or 5) sets the plan's scale for the risk columns."""
    if isinstance(mapping, str):
        mapping = parse_mapping(mapping, FIELDS)
    if risk_scale is not None and risk_scale not in RISK_SCALES:
        raise ValidationError(_("Riskskalan ska vara 3, 4 eller 5 (1–3, 1–4 eller 1–5)."))
    read = read_plan(read_sheets(path, content), mapping=mapping, sheet_name=sheet)
    # (the ignored columns are ``ImportResult.ignored``, not notes: the admin page lists them once)
    errors, notes = list(read.errors), []
    header = read.header
    with transaction.atomic():
        plan, created = services.plan_get_or_create_for_year(year=year)
        if plan.is_locked:
            raise ValidationError(
                _("Planen för %(year)s är antagen och låst; importera till en ny version.") % {"year": year}
            )
        if risk_scale is not None and risk_scale != plan.risk_scale:
            plan = services.plan_risk_scale_set(plan=plan, scale=risk_scale)
        known = {role.name.casefold() for role in Role.objects.all()}
        missing_roles = sorted({r[9] for r in read.dataset if r[9] and r[9].casefold() not in known}, key=str.casefold)
        missing_roles = list({name.casefold(): name for name in missing_roles}.values())
        if create_roles:
            for name in missing_roles:
                federation_services.role_create(name=name)
                notes.append(_("Skapar rollen %(name)s – utan innehavare.") % {"name": name})
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
        if not errors:
            errors += _import_risks(plan=plan, risks=read.risks, rows=result.rows)
            if read.risks:
                titles = len({risk["title"].casefold() for risk in read.risks})
                notes.append(_("%(n)s risker läggs i planens riskanalys (skala 1–%(scale)s).")
                             % {"n": titles, "scale": plan.risk_scale})  # fmt: skip
        if not errors and not dry_run and read.mapping and header is not None:
            federation_services.import_layout_remember(
                kind=LAYOUT_KIND, headers=read.header_cells, mapping=read.mapping
            )
        errors.sort()
        if errors or dry_run:
            transaction.set_rollback(True)
    if not create_roles and missing_roles:
        notes.append(
            _("Roller som saknas: %(names)s. Kryssa i ”Skapa saknade roller” (--create-roles) så skapas de utan "
              "innehavare.") % {"names": ", ".join(missing_roles)}
        )  # fmt: skip
    return ImportResult(
        plan=None if (errors or dry_run) and created else plan,
        rows=len(read.dataset),
        errors=errors,
        dry_run=dry_run,
        created_plan=created,
        preview_rows=[(r[0], f"{r[2]}. {r[3]}", r[6], r[7], r[8], r[9]) for r in read.dataset],
        warnings=read.warnings,
        notes=notes,
        sheets=read.sheets,
        unmapped=read.unmapped,
        columns=read.columns,
        risks=len(read.risks),
    )


def _import_risks(*, plan, risks, rows) -> list[tuple[int, str]]:
    """The rows' risks into the plan's risk analysis, each linked to its row's kontrollmoment."""
    errors, good = [], []
    for risk in risks:
        over = [name for name, value in (("Sannolikhet", risk["likelihood"]), ("Konsekvens", risk["consequence"]))
                if not 1 <= value <= plan.risk_scale]  # fmt: skip
        if over:
            errors.append(
                (risk["row"], _("%(cols)s ligger utanför planens riskskala 1–%(scale)s. Välj en större riskskala "
                                "(1–5: --risk-scale 5).") % {"cols": " och ".join(over), "scale": plan.risk_scale})
            )  # fmt: skip
            continue
        good.append((risk["title"], risk["likelihood"], risk["consequence"], rows[risk["index"]].instance))
    if not errors:
        services.risks_add_for_points(plan=plan, risks=good)
    return errors


def _column_label(key):
    return {
        "frequency_text": "Frekvens",
        "responsible_role": "Kontrollansvarig",
        "description": "Kontrollmoment",
        "method": "Kontrollmetod",
        "area": "Granskningsområde",
        "name": "Granskningsområde",
        "result_text": RESULT_COLUMN,
        "reported_to": "Rapporteras till",
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
