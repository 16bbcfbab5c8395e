"""django-import-export resources: aktiviteter and mätetal outcomes from/to XLSX and CSV.

Every row is validated with ``full_clean()`` (the model's constraints, with their
Swedish messages); an unknown year, strategy, unit, mätetal or period is a
Swedish error naming the column. With IMPORT_EXPORT_USE_TRANSACTIONS the whole
file is rolled back when any row fails, so nothing is half-written."""

import re
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from federation import dates
from federation import services as federation_services
from federation.access import year_locked_message
from federation.models import FiscalYear, FollowUp, Municipality, Unit
from federation.numbers import parse_number
from federation.selectors import import_layout_mapping, is_director, units_led_by
from federation.sheets import Unsaved, column_fields, find_header, normalise_header, parse_mapping, read_sheets

from .models import Activity, DimensionKind, Direction, Indicator, Outcome, Strategy, format_number
from .services import (
    PlanActivity,
    PlanGoal,
    PlanIndicator,
    PlanOutcome,
    PlanStrategy,
    goal_plan_write,
    outcome_validate,
    title_key,
)

YEAR = "År"


class SwedishForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key whose "does not exist" becomes a Swedish error naming what was looked for."""

    def __init__(self, model, field, label, **kwargs):
        self.label = label
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("Okänd %(label)s: %(value)s") % {"label": self.label, "value": value}) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(_("Tvetydig %(label)s: %(value)s") % {"label": self.label, "value": value}) from None


class YearScopedWidget(SwedishForeignKeyWidget):
    """Looks the code up within the row's year (codes are unique per year only)."""

    def __init__(self, model, field, label, year_lookup, year_column=YEAR, **kwargs):
        self.year_lookup = year_lookup
        self.year_column = year_column
        super().__init__(model, field, label, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        year = (row or {}).get(self.year_column)
        try:
            year = int(str(year).strip())
        except (TypeError, ValueError):
            raise ValueError(
                _("Ogiltigt år i kolumnen %(column)s: %(value)s") % {"column": self.year_column, "value": year}
            ) from None
        return self.model.objects.filter(**{self.year_lookup: year})


class FollowUpWidget(SwedishForeignKeyWidget):
    """A follow-up given as "Delår" or "Helår" plus the year in the column "Periodår"."""

    KINDS = {label.lower(): value for value, label in FollowUp.Kind.choices}

    def __init__(self):
        super().__init__(FollowUp, "kind", _("period"))

    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError(_("Perioden saknas (Delår eller Helår)."))
        kind = self.KINDS.get(str(value).strip().lower())
        if kind is None:
            raise ValueError(_("Okänd period: %(value)s (ange Delår eller Helår)") % {"value": value})
        year = (row or {}).get("Periodår") or (row or {}).get(YEAR)
        follow_up = FollowUp.objects.filter(fiscal_year__year=str(year).strip(), kind=kind).first()
        if follow_up is None:
            raise ValueError(_("Det finns ingen uppföljning %(kind)s %(year)s.") % {"kind": value, "year": year})
        return follow_up

    def render(self, value, obj=None, **kwargs):
        return value.get_kind_display() if value else ""


class SwedishDecimalWidget(widgets.DecimalWidget):
    """A number as people write it ("2,7 %", "1 234", "−5"), read by the one parser; a Swedish error otherwise."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            return parse_number(value).value
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class HeaderRowRequiredMixin:
    """A file without column names (empty, or a blank first row) is refused as a whole, in Swedish, on the admin's
    import page as in ``import_file``; django-import-export itself would fail on it with a TypeError."""

    def before_import(self, dataset, **kwargs):
        if not dataset.headers:
            empty = not len(dataset)
            dataset.wipe()  # no rows left to import
            raise ValueError(
                _("Filen är tom.") if empty else _("Filen saknar rubrikrad: den första raden ska ha kolumnernas namn.")
            )
        headers = {str(h).strip() for h in dataset.headers if h}
        columns = [self.fields[name].column_name for name in self._meta.import_id_fields if name in self.fields]
        missing = [column for column in columns if column not in headers]
        if missing:
            dataset.wipe()
            raise ValueError(
                _("Kolumnerna %(missing)s saknas i filen (rubrikerna är: %(headers)s). Filen ska ha kolumnerna "
                  "%(columns)s. En hel måltabell i annan layout läses in med Importera mål (hela planen).")
                % {"missing": ", ".join(missing), "headers": ", ".join(sorted(headers)) or "–",
                   "columns": ", ".join(f.column_name for f in self.get_import_fields())}
            )  # fmt: skip
        super().before_import(dataset, **kwargs)


class OwnedRowsMixin:
    """Object-level rule for imports: a user who is not the förbundsdirektör may only
    import rows that their own unit owns (before and after the row), and nothing in a
    closed year. Imports without a user (management commands) are trusted."""

    owner_column = "Verksamhet"

    def owners(self, instance) -> set[int]:
        raise NotImplementedError

    def fiscal_years(self, instance):
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        before = self.owners(instance) if instance.pk else set()
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if user is not None and not is_director(user):
            self.check_owner(user=user, instance=instance, before=before, errors=errors)
        if errors:
            raise ValidationError(errors)

    def check_owner(self, *, user, instance, before, errors):
        led = getattr(self, "_led_units", None)
        if led is None or getattr(self, "_led_user", None) != user.pk:
            led = {}
            if user.is_authenticated:
                led = {u.pk: u for u in units_led_by(user=user, on=dates.today())}
            self._led_units = led
            self._led_user = user.pk
        try:
            after = self.owners(instance)
        except Exception:  # an unknown foreign key is reported by its own column
            after = set()
        foreign = (before | after) - set(led)
        if foreign or not (before | after):
            names = ", ".join(Unit.objects.filter(pk__in=foreign).order_by("name").values_list("name", flat=True))
            errors.setdefault(self.owner_column, []).append(
                _("Du får bara importera rader som din egen verksamhet ansvarar för (inte %(units)s).")
                % {"units": names or _("okänd verksamhet")}
            )
        for year in self.fiscal_years(instance):
            if year is not None and year.closed:
                errors.setdefault("__all__", []).append(year_locked_message(year))


class OwnedRowsResource(HeaderRowRequiredMixin, OwnedRowsMixin, resources.ModelResource):
    """Base of the goals imports: every row validated with ``full_clean()``, unchanged rows skipped silently."""

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class ActivityResource(OwnedRowsResource):
    fiscal_year = fields.Field(
        attribute="fiscal_year", column_name=YEAR, widget=SwedishForeignKeyWidget(FiscalYear, "year", _("år"))
    )
    code = fields.Field(attribute="code", column_name="Kod")
    strategy = fields.Field(
        attribute="strategy",
        column_name="Strategi (kod)",
        widget=YearScopedWidget(Strategy, "code", _("strategi"), "fiscal_year__year"),
    )
    number = fields.Field(attribute="number", column_name="Nummer")
    title = fields.Field(attribute="title", column_name="Aktivitet")
    unit = fields.Field(
        attribute="unit", column_name="Verksamhet", widget=SwedishForeignKeyWidget(Unit, "name", _("verksamhet"))
    )
    order = fields.Field(attribute="order", column_name="Ordning", widget=widgets.IntegerWidget())

    class Meta(OwnedRowsResource.Meta):
        model = Activity
        fields = ("fiscal_year", "code", "strategy", "number", "title", "unit", "order")
        import_id_fields = ("fiscal_year", "code")

    def get_queryset(self):
        return Activity.objects.select_related("fiscal_year", "strategy", "unit")

    def owners(self, instance):
        return {instance.unit_id} if instance.unit_id else set()

    def fiscal_years(self, instance):
        return [instance.fiscal_year] if instance.fiscal_year_id else []


class OutcomeResource(OwnedRowsResource):
    owner_column = "Mätetal (serie)"

    year = fields.Field(attribute="indicator__fiscal_year__year", column_name=YEAR, readonly=True)
    indicator = fields.Field(
        attribute="indicator",
        column_name="Mätetal (serie)",
        widget=YearScopedWidget(Indicator, "series", _("mätetal"), "fiscal_year__year"),
    )
    name = fields.Field(attribute="indicator__name", column_name="Mätetal", readonly=True)
    follow_up_year = fields.Field(attribute="follow_up__fiscal_year__year", column_name="Periodår", readonly=True)
    follow_up = fields.Field(attribute="follow_up", column_name="Period", widget=FollowUpWidget())
    municipality = fields.Field(
        attribute="municipality",
        column_name="Kommunkod",
        widget=SwedishForeignKeyWidget(Municipality, "code", _("kommunkod")),
    )
    delregion = fields.Field(attribute="delregion", column_name="Delregion", default="")
    value = fields.Field(attribute="value", column_name="Utfall", widget=SwedishDecimalWidget())
    numerator = fields.Field(attribute="numerator", column_name="Täljare", widget=SwedishDecimalWidget())
    denominator = fields.Field(attribute="denominator", column_name="Nämnare", widget=SwedishDecimalWidget())
    text = fields.Field(attribute="text", column_name="Kommentar", default="")

    class Meta(OwnedRowsResource.Meta):
        model = Outcome
        fields = (
            "year",
            "indicator",
            "name",
            "follow_up_year",
            "follow_up",
            "municipality",
            "delregion",
            "value",
            "numerator",
            "denominator",
            "text",
        )
        import_id_fields = ("indicator", "follow_up", "municipality", "delregion")

    def get_queryset(self):
        return Outcome.objects.select_related("indicator__fiscal_year", "follow_up__fiscal_year", "municipality")

    def owners(self, instance):
        return instance.indicator.owner_unit_ids() if instance.indicator_id else set()

    def fiscal_years(self, instance):
        years = [instance.indicator.fiscal_year] if instance.indicator_id else []
        return years + ([instance.follow_up.fiscal_year] if instance.follow_up_id else [])

    def import_instance(self, instance, row, **kwargs):
        from .services import outcome_validate

        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.indicator_id:
            try:
                outcome_validate(
                    indicator=instance.indicator,
                    value=instance.value,
                    numerator=instance.numerator,
                    denominator=instance.denominator,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_import_row(self, row, **kwargs):
        for column in ("Delregion", "Kommentar"):
            if row.get(column) is None:
                row[column] = ""


def error_lines(result, resource=None) -> list[str]:
    """The import's errors as Swedish lines with row numbers (header = row 1, first data row = 2)."""
    columns = {}
    if resource is not None:
        columns = {field.attribute: field.column_name for field in resource.fields.values() if field.attribute}
    lines = []
    for number, errors in result.row_errors():
        for error in errors:
            lines.append(_("Rad %(row)s: %(error)s") % {"row": number + 1, "error": error.error})
    for invalid in result.invalid_rows:
        for field_name, messages in invalid.error_dict.items():
            label = "" if field_name == "__all__" else f"{columns.get(field_name, field_name)}: "
            for message in messages:
                lines.append(
                    _("Rad %(row)s: %(label)s%(error)s") % {"row": invalid.number + 1, "label": label, "error": message}
                )
    for error in result.base_errors:
        lines.append(str(error.error))
    return lines


def load_dataset(content: bytes, file_format: str) -> tablib.Dataset:
    """A CSV (UTF-8) or XLSX file as a dataset; a Swedish ValueError for anything else."""
    if file_format == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(_("Filen är inte UTF-8-kodad. Spara CSV-filen som UTF-8 och försök igen.")) from None
        if "\x00" in text:
            raise ValueError(_("Filen är inte en textfil (CSV)."))
        try:
            return tablib.Dataset().load(text, format="csv")
        except Exception:
            raise ValueError(_("Filen kunde inte läsas som CSV.")) from None
    if file_format == "xlsx":
        try:
            return tablib.Dataset().load(content, format="xlsx")
        except Exception:
            raise ValueError(_("Filen kunde inte läsas som Excel-fil (xlsx).")) from None
    raise ValueError(_("Okänt filformat: %(format)s (använd xlsx eller csv)") % {"format": file_format})


def import_file(*, resource, content: bytes, file_format: str, dry_run: bool = False, user=None):
    """Import an XLSX or CSV file (bytes); returns (result, Swedish error lines). Nothing is stored on error.

    With ``user`` the object-level rule applies: a unit lead imports only their own unit's rows."""
    dataset = load_dataset(content, file_format)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )
    return result, error_lines(result, resource)


# --- A whole goal plan, in the product's own layout or the organisation's -----------------------------
# One sheet brings in inriktningsmål, strategier, aktiviteter, mätetal (unit, direction, baseline, target)
# and outcomes per follow-up and dimension. The columns are recognised through ``PLAN_SYNONYMS`` (the one
# table of the headers goal tables use) or a mapping the user gives ("Kolumn=fält"); every column no field
# takes is listed; numbers are read by ``federation.numbers.parse_number``; every bad row is reported with
# its row number in the sheet and nothing is written unless every row is good (goals/services.py writes).

# The fields of a goal row: the name the user writes in a mapping ("Kolumn=fält") → key.
PLAN_FIELDS = {
    "Inriktningsmål": "goal",
    "Strategi": "strategy",
    "Verksamhet": "unit",
    "Aktivitet": "activity",
    "Mätetal": "indicator",
    "Enhet": "measure",
    "Riktning": "direction",
    "Utgångsvärde": "baseline",
    "Målvärde": "target",
    "Period": "period",
    "Dimension": "dimension",
    "Utfall": "outcome",
    "Kommentar": "comment",
}
PLAN_FIELD_NAMES = {key: name for name, key in PLAN_FIELDS.items()}
LAYOUT_KIND = "måltabell"  # a remembered column mapping (federation.models.ImportLayout)
# A header row names the inriktningsmål and at least one of these.
PLAN_REQUIRED = (("goal", "strategy"), ("goal", "indicator"), ("goal", "activity"))
PLAN_SYNONYMS = {
    normalise_header(header): key
    for key, headers in {
        "goal": ["Inriktningsmål", "Mål", "Målområde", "Verksamhetsmål", "Nämndmål", "Förbundsmål", "Strategiskt mål",
                 "Övergripande mål", "Inriktningsmål/mål", "Målformulering"],
        "strategy": ["Strategi", "Strategier", "Delmål", "Fokusområde", "Prioriterat område", "Insatsområde"],
        "unit": ["Verksamhet", "Ansvarig verksamhet", "Ansvarig enhet", "Ansvarig", "Ansvar", "Resultatenhet",
                 "Förvaltning", "Verksamheter", "Ansvariga verksamheter", "Utförare"],
        "activity": ["Aktivitet", "Aktiviteter", "Åtgärd", "Åtgärder", "Insats", "Insatser", "Aktivitet/åtgärd"],
        "indicator": ["Mätetal", "Indikator", "Indikatorer", "Nyckeltal", "Mått", "Mätetal/indikator",
                      "Aktivitet/mätetal", "Resultatmått"],
        "measure": ["Enhet", "Måttenhet", "Mätenhet", "Enhet (mätetal)", "Storhet"],
        "direction": ["Riktning", "Målriktning", "Önskad riktning", "Önskvärd riktning", "Minst/högst"],
        "baseline": ["Utgångsvärde", "Basvärde", "Baslinje", "Nuläge", "Startvärde", "Ingångsvärde", "Referensvärde",
                     "Utgångsläge"],
        "target": ["Målvärde", "Målnivå", "Mål (värde)", "Önskat värde", "Målvärde för året", "Målsättning"],
        "period": ["Period", "Uppföljning", "Avser", "Uppföljningstillfälle", "Rapporttillfälle", "Tidpunkt"],
        "dimension": ["Dimension", "Kommun", "Delregion", "Uppdelning", "Per kommun"],
        "outcome": ["Utfall", "Resultat", "Värde", "Utfall (värde)", "Uppnått värde", "Utfallsvärde"],
        "comment": ["Kommentar", "Kommentarer", "Utfall i ord", "Analys", "Notering"],
    }.items()
    for header in headers
}  # fmt: skip
ACTIVITY_NUMBER = re.compile(r"^\s*(\d{1,3}[a-z]?)\s*[.)]\s+(.+?)\s*$", re.S)
SHARE = re.compile(r"^\s*(?P<num>.+?)\s+av\s+(?P<den>[^()]+?)\s*(\(.*\))?\s*$", re.I)
DIRECTION_WORDS = {
    Direction.AT_LEAST: ["minst", "lägst", "öka", "ökning", "höja", "högre", "högre är bättre", "≥", ">=", ">",
                         "över", "fler än", "mer än", "min", "minimum", "at_least"],
    Direction.AT_MOST: ["högst", "max", "maximum", "minska", "minskning", "sänka", "lägre", "lägre är bättre", "≤",
                        "<=", "<", "under", "färre än", "mindre än", "at_most"],
    Direction.EXACT: ["exakt", "=", "lika med", "exact"],
    Direction.QUALITATIVE: ["kvalitativt", "kvalitativ", "qualitative"],
}  # fmt: skip
DIRECTIONS = {word: direction for direction, words in DIRECTION_WORDS.items() for word in words}
TARGET_PREFIX = re.compile(
    r"^(?P<word>" + "|".join(re.escape(w) for w in sorted(DIRECTIONS, key=len, reverse=True)) + r")(?![a-zåäö])\s*",
    re.I,
)
INTERIM_WORDS = ("delår", "delårs", "tertial 2", "t2", "augusti", "halvår")
ANNUAL_WORDS = ("helår", "årsbokslut", "bokslut", "årsredovisning", "helårs", "år", "december", "tertial 3", "t3")
PREVIEW_ROWS = 200


@dataclass
class GoalsImportResult:
    rows: int
    errors: list[tuple[int, str]]
    dry_run: bool
    counts: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # ignored columns, a created year, defaults used
    preview_rows: list[tuple] = field(default_factory=list)  # (row, goal, strategy, activity, indicator, …)
    unmapped: list[str] = field(default_factory=list)  # the file's headers, when a needed column is not recognised
    ignored: list[str] = field(default_factory=list)  # the file's headers no field takes (to map, or leave)
    columns: list[tuple[str, str]] = field(default_factory=list)  # each header of the file → field key or "ignorera"
    fiscal_year: FiscalYear | None = None

    @property
    def ok(self):
        return not self.errors

    def preview(self) -> list[str]:
        return [_("Rad %(row)s: %(error)s") % {"row": n, "error": e} if n else e for n, e in self.errors]

    def summary(self) -> str:
        c = self.counts
        return _(
            "%(goals)s nya inriktningsmål, %(strategies)s nya strategier, %(activities)s nya aktiviteter, "
            "%(indicators)s nya mätetal och %(outcomes)s utfall"
        ) % {
            "goals": c.get("direction_goals", 0),
            "strategies": c.get("strategies", 0),
            "activities": c.get("activities", 0),
            "indicators": c.get("indicators", 0),
            "outcomes": c.get("outcomes", 0),
        } + (
            _("; %(n)s ändrade målvärden (det tidigare värdet sparas)") % {"n": c["revised_targets"]}
            if c.get("revised_targets")
            else ""
        )


def _plan_header(sheets, *, mapping, errors):
    """The header row of the goal table, or None with a Swedish error that names what is missing."""
    found, near = [], []
    for required in PLAN_REQUIRED:
        found, near = find_header(sheets, synonyms=PLAN_SYNONYMS, required=required, mapping=mapping)
        if found:
            return found[0], []
    if near:
        sheet, headers = near[0]
        errors.append(
            (0, _("Kolumner som behövs känns inte igen (bladet ”%(sheet)s”, rubriker: %(headers)s). En måltabell "
                  "behöver en kolumn för Inriktningsmål och en för Strategi, Aktivitet eller Mätetal. Ange vilken "
                  "kolumn som är vilket fält, t.ex. ”%(example)s=Inriktningsmål”. Fälten är: %(fields)s, ignorera.")
             % {"sheet": sheet, "headers": ", ".join(f"”{h}”" for h in headers), "example": headers[0],
                "fields": ", ".join(PLAN_FIELDS)})
        )  # fmt: skip
        return None, headers
    errors.append(
        (0, _("Hittar ingen rubrikrad bland de första 20 raderna i något blad. En måltabell behöver kolumner för "
              "Inriktningsmål och Strategi, Aktivitet eller Mätetal."))
    )  # fmt: skip
    return None, []


class _PlanReader:
    """Reads the rows below the header into the tree ``goal_plan_write`` takes (goals/services.py)."""

    def __init__(self, *, header, year: int, errors: list, notes: list):
        self.header, self.year, self.errors, self.notes = header, year, errors, notes
        self.goals: dict[str, PlanGoal] = {}
        self.preview: list[tuple] = []
        self.units = {}
        for unit in Unit.objects.all():
            self.units.setdefault(unit.name.casefold(), unit)
            if unit.short_name:
                self.units.setdefault(unit.short_name.casefold(), unit)
        self.municipalities = {}
        for municipality in Municipality.objects.all():
            self.municipalities[municipality.name.casefold()] = municipality
            self.municipalities[municipality.code] = municipality
        self.follow_ups = {(f.fiscal_year.year, f.kind): f for f in FollowUp.objects.select_related("fiscal_year")}
        self.outcome_rows = {}  # (indicator id(), follow-up, dimension) → row, for duplicates
        self.kind_labels = {}

    def cell(self, row, key) -> str:
        return self.header.cell(row, key)

    def kind_label(self, kind) -> str:
        """ "Delår" or "Helår", translated once per import, not once per row."""
        if kind not in self.kind_labels:
            self.kind_labels[kind] = str(FollowUp.Kind(kind).label)
        return self.kind_labels[kind]

    def read(self, rows, first_number: int):
        goal = strategy = None
        if "strategy" not in self.header.columns:
            self.notes.append(_("Filen har ingen kolumn för strategier: varje inriktningsmåls aktiviteter och "
                                "mätetal läggs under en strategi med målets namn."))  # fmt: skip
        if "outcome" in self.header.columns and "period" not in self.header.columns:
            self.notes.append(_("Filen har ingen kolumn för period: utfallen läses in som helår %(year)s.")
                              % {"year": self.year})  # fmt: skip
        for offset, row in enumerate(rows):
            number = first_number + offset
            values = {key: self.cell(row, key) for key in self.header.columns}
            unsaved = [self.header.labels.get(k, k) for k, v in values.items() if isinstance(v, Unsaved)]
            if unsaved:
                self.errors.append(
                    (number, _("%(cols)s: cellen innehåller en formel utan sparat värde. Öppna filen i Excel, spara "
                               "den och läs in den igen.") % {"cols": ", ".join(unsaved)})
                )  # fmt: skip
                continue
            values = {key: str(value).strip() for key, value in values.items()}
            if not any(values.values()):
                continue
            goal_title = values.get("goal", "")
            if goal_title and (goal is None or title_key(goal.title) != title_key(goal_title)):
                goal = self.goals.get(title_key(goal_title))
                if goal is None:
                    goal = self.goals[title_key(goal_title)] = PlanGoal(row=number, title=goal_title)
                strategy = None
            if goal is None:
                self.errors.append((number, _("Inriktningsmål saknas på raden och ovanför den.")))
                continue
            strategy_title = values.get("strategy", "") if "strategy" in self.header.columns else goal.title
            if strategy_title and (strategy is None or title_key(strategy.title) != title_key(strategy_title)):
                strategy = goal.strategies.get(title_key(strategy_title))
                if strategy is None:
                    strategy = goal.strategies[title_key(strategy_title)] = PlanStrategy(
                        row=number, title=strategy_title
                    )
            self.read_row(number, values, goal, strategy)

    def read_row(self, number, values, goal, strategy):
        activity_text, indicator_name = values.get("activity", ""), values.get("indicator", "")
        has_indicator_values = any(values.get(k) for k in ("measure", "direction", "baseline", "target", "outcome"))
        if strategy is None:
            if activity_text or indicator_name or has_indicator_values:
                self.errors.append((number, _("Strategi saknas på raden och ovanför den.")))
            return
        units = self.read_units(number, values.get("unit", ""), single=bool(activity_text))
        if units is None:
            return
        owner = strategy
        if activity_text:
            match = ACTIVITY_NUMBER.match(activity_text)
            number_text, title = (match.group(1), match.group(2)) if match else ("", activity_text)
            owner = strategy.activities.get(title_key(title))
            if owner is None:
                if not units:
                    self.errors.append(
                        (number, _("Verksamhet saknas för aktiviteten ”%(title)s” (den ansvariga verksamheten).")
                         % {"title": title})
                    )  # fmt: skip
                    return
                owner = strategy.activities[title_key(title)] = PlanActivity(
                    row=number, title=title, number=number_text, unit=units[0]
                )
        else:
            for unit in units:
                if unit not in strategy.units:
                    strategy.units.append(unit)
        if not indicator_name:
            if has_indicator_values:
                self.errors.append((number, _("Mätetal saknas för målvärdet eller utfallet på raden.")))
            else:
                self.preview_row(number, goal, strategy, activity_text, "", "", "", "")
            return
        indicator = owner.indicators.get(title_key(indicator_name))
        if indicator is None:
            indicator = owner.indicators[title_key(indicator_name)] = PlanIndicator(row=number, name=indicator_name)
        if not self.read_indicator(number, values, indicator):
            return
        period, outcome_text = self.read_outcome(number, values, indicator)
        if len(self.preview) < PREVIEW_ROWS:  # the target's text only for the rows the preview shows
            self.preview_row(
                number, goal, strategy, activity_text, indicator.name, _target_display(indicator), period, outcome_text
            )

    def preview_row(self, number, goal, strategy, activity, indicator, target, period, outcome):
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append((number, goal.title, strategy.title, activity, indicator, target, period, outcome))

    def read_units(self, number, text, *, single):
        if not text:
            return []
        exact = self.units.get(text.casefold())
        if exact is not None:
            return [exact]
        names = [name.strip() for name in re.split(r"[,;\n]", text) if name.strip()]
        unknown = [name for name in names if name.casefold() not in self.units]
        if unknown:
            self.errors.append(
                (number, _("Okänd verksamhet: %(names)s. Verksamheterna är: %(known)s.")
                 % {"names": ", ".join(unknown),
                    "known": ", ".join(sorted({u.name for u in self.units.values()})) or _("(inga ännu)")})
            )  # fmt: skip
            return None
        if single and len(names) > 1:
            self.errors.append((number, _("En aktivitet har en ansvarig verksamhet, inte flera: %(text)s.")
                                % {"text": text}))  # fmt: skip
            return None
        return [self.units[name.casefold()] for name in names]

    def read_indicator(self, number, values, indicator) -> bool:
        """The mätetal's unit, direction, baseline and target from the row; False (with errors) when bad."""
        row_errors = []
        found = {}
        direction_text = values.get("direction", "")
        if direction_text:
            direction = DIRECTIONS.get(direction_text.casefold())
            if direction is None:
                row_errors.append(
                    _("Riktning: ”%(text)s” känns inte igen (skriv Minst, Högst, Exakt eller Kvalitativt).")
                    % {"text": direction_text}
                )
            found["direction"] = direction
        unit_hint = ""
        if values.get("baseline"):
            try:
                parsed = parse_number(values["baseline"], column=PLAN_FIELD_NAMES["baseline"])
                found["baseline"], unit_hint = parsed.value, parsed.unit
            except ValidationError as error:
                row_errors += error.messages
        if values.get("target"):
            text = values["target"]
            prefix = TARGET_PREFIX.match(text)
            rest = text[prefix.end() :] if prefix else text
            try:
                parsed = parse_number(rest, column=PLAN_FIELD_NAMES["target"])
            except ValidationError:
                found["target_text"] = text  # a target in words ("Fler än i fjol") is kept as written
            else:
                found["target"], unit_hint = parsed.value, parsed.unit or unit_hint
                if prefix and not direction_text:
                    found["direction"] = DIRECTIONS[prefix.group("word").casefold()]
        measure = values.get("measure") or unit_hint
        if measure:
            found["unit_of_measure"] = measure[:50]
        if found.get("direction") == Direction.QUALITATIVE and found.get("target") is not None:
            row_errors.append(_("Ett kvalitativt mätetal har inget numeriskt målvärde."))
        for name, value in found.items():
            if value in (None, ""):
                continue
            current = getattr(indicator, name)
            if current not in (None, "") and current != value and name != "target_text":
                row_errors.append(
                    _("%(field)s för mätetalet ”%(name)s” skiljer sig från rad %(row)s.")
                    % {"field": _INDICATOR_LABELS[name], "name": indicator.name, "row": indicator.row}
                )
            elif current in (None, ""):
                setattr(indicator, name, value)
        self.errors.extend((number, e) for e in row_errors)
        return not row_errors

    def read_follow_up(self, number, text):
        if not text:
            return self.follow_ups.get((self.year, FollowUp.Kind.ANNUAL)), _("Helår %(year)s") % {"year": self.year}
        lowered = text.casefold()
        year_match = re.search(r"\b(19|20)\d{2}\b", lowered)
        year = int(year_match.group(0)) if year_match else self.year
        words = re.sub(r"\b(19|20)\d{2}\b", " ", lowered).strip()
        if any(w in words for w in INTERIM_WORDS):
            kind = FollowUp.Kind.INTERIM
        elif any(re.search(rf"\b{re.escape(w)}\b", words) for w in ANNUAL_WORDS) or not words:
            kind = FollowUp.Kind.ANNUAL
        else:
            self.errors.append(
                (number, _("Period: ”%(text)s” känns inte igen (skriv Delår eller Helår, gärna med år, t.ex. "
                           "Delår %(year)s).") % {"text": text, "year": self.year})
            )  # fmt: skip
            return None, ""
        follow_up = self.follow_ups.get((year, kind))
        label = f"{self.kind_label(kind)} {year}"
        if follow_up is None:
            self.errors.append(
                (number, _("Det finns ingen uppföljning %(label)s. Lägg in verksamhetsårets uppföljningar i admin "
                           "(Uppföljningar) först.") % {"label": label})
            )  # fmt: skip
        return follow_up, label

    def read_outcome(self, number, values, indicator):
        outcome_text, comment = values.get("outcome", ""), values.get("comment", "")
        if not outcome_text and not comment:
            return "", ""
        follow_up, label = self.read_follow_up(number, values.get("period", ""))
        if follow_up is None:
            return label, outcome_text
        municipality, delregion = None, ""
        dimension = values.get("dimension", "")
        if dimension:
            municipality = self.municipalities.get(dimension.casefold())
            delregion = "" if municipality else dimension[:100]
            kind = DimensionKind.MUNICIPALITY if municipality else DimensionKind.DELREGION
            if indicator.dimension and indicator.dimension != kind:
                self.errors.append((number, _("Dimension: ”%(text)s” är ingen medlemskommun; mätetalet är uppdelat "
                                              "per kommun.") % {"text": dimension}))  # fmt: skip
                return label, outcome_text
            indicator.dimension = kind
        outcome = PlanOutcome(row=number, follow_up=follow_up, municipality=municipality, delregion=delregion)
        errors = []
        share = SHARE.match(outcome_text) if outcome_text else None
        try:
            if share:
                outcome.numerator = parse_number(share["num"], column=_("Utfall (täljare)")).value
                outcome.denominator = parse_number(share["den"], column=_("Utfall (nämnare)")).value
                indicator.is_share = True
                if outcome.denominator <= 0 or outcome.numerator > outcome.denominator:
                    errors.append(_("Utfall: en andel behöver en nämnare större än noll och högst lika stor täljare."))
            elif outcome_text:
                try:
                    outcome.value = parse_number(outcome_text, column=PLAN_FIELD_NAMES["outcome"]).value
                except ValidationError:
                    if indicator.target is not None:
                        raise  # a numeric target needs a numeric outcome
                    outcome.text = outcome_text[:300]  # an outcome in words, for a target in words
        except ValidationError as error:
            errors += error.messages
        if indicator.is_share and outcome.value is not None:
            errors.append(_("Mätetalet är en andel: skriv utfallet som ”täljare av nämnare”, t.ex. 12 av 20."))
        if comment:
            outcome.text = "; ".join(filter(None, [outcome.text, comment]))[:300]
        if not errors:
            try:
                outcome_validate(
                    indicator=indicator,
                    value=outcome.value,
                    numerator=outcome.numerator,
                    denominator=outcome.denominator,
                )
            except ValidationError as error:
                errors += error.messages
        key = (follow_up.pk, getattr(municipality, "pk", None), delregion)
        if not errors and key in indicator.outcomes:
            errors.append(_("Mätetalet ”%(name)s” har redan ett utfall för %(label)s%(dim)s på rad %(row)s.")
                          % {"name": indicator.name, "label": label, "dim": f" ({dimension})" if dimension else "",
                             "row": indicator.outcomes[key].row})  # fmt: skip
        if errors:
            self.errors.extend((number, e) for e in errors)
        else:
            indicator.outcomes[key] = outcome
        return label + (f" – {dimension}" if dimension else ""), outcome_text


_INDICATOR_LABELS = {
    "unit_of_measure": "Enhet",
    "direction": "Riktning",
    "baseline": "Utgångsvärde",
    "target": "Målvärde",
    "target_text": "Målvärde",
}


def _target_display(indicator) -> str:
    if indicator.target is None:
        return indicator.target_text
    direction = Direction(indicator.direction or Direction.AT_LEAST).label
    unit = f" {indicator.unit_of_measure}" if indicator.unit_of_measure else ""
    return f"{direction} {format_number(indicator.target)}{unit}"


@dataclass
class GoalPlanRead:
    """What ``read_goal_plan`` found in a sheet."""

    goals: list
    errors: list
    notes: list
    preview: list
    unmapped: list  # the file's headers when a needed column is not recognised, else the ignored ones
    rows: int
    header_cells: list = field(default_factory=list)  # the header row as written, for remembering the layout
    columns: list = field(default_factory=list)  # (header, field key or "ignorera"), in file order


def read_goal_plan(sheets, *, year: int, mapping: dict | None = None) -> GoalPlanRead:
    """The goal tree of a sheet, with (row, reason) errors, notes and the preview rows."""
    errors, notes = [], []
    mapping = mapping or {}
    header, unmapped = _plan_header(sheets, mapping=mapping, errors=errors)
    if header is None:
        columns = column_fields(unmapped, synonyms=PLAN_SYNONYMS, mapping=mapping)
        return GoalPlanRead([], errors, notes, [], unmapped, 0, columns=columns)
    unmapped = list(header.ignored)
    # (the ignored columns are listed from ``columns``, not as notes: the admin page lists them once)
    rows = next(sheet.rows for sheet in sheets if sheet.name == header.sheet)
    header_cells = [str(cell) for cell in rows[header.index]]
    body = rows[header.index + 1 :]
    reader = _PlanReader(header=header, year=year, errors=errors, notes=notes)
    reader.read(body, first_number=header.index + 2)
    if not reader.goals and not errors:
        errors.append((header.index + 1, _("Filen innehåller inga mål under rubrikraden.")))
    count = sum(1 for row in body if any(str(cell).strip() for cell in row))
    columns = column_fields(header_cells, synonyms=PLAN_SYNONYMS, mapping=mapping)
    return GoalPlanRead(
        list(reader.goals.values()), errors, notes, reader.preview, unmapped, count, header_cells, columns
    )


def goals_import(
    *, year: int, path, content: bytes | None = None, dry_run: bool = False, mapping: str | dict = "", user=None
) -> GoalsImportResult:
    """Import a goal table (.xlsx or .csv) into ``year``: inriktningsmål, strategier, aktiviteter, mätetal
    and utfall. All or nothing; with ``dry_run`` everything is checked and nothing is kept. The year is
    created (a calendar year with delår and helår) when it does not exist."""
    if isinstance(mapping, str):
        mapping = parse_mapping(mapping, PLAN_FIELDS)
    sheets = read_sheets(path, content)
    if not mapping:
        mapping = import_layout_mapping(sheets, kind=LAYOUT_KIND)
    with transaction.atomic():
        fiscal_year, created = federation_services.fiscal_year_get_or_create(year=year)
        read = read_goal_plan(sheets, year=year, mapping=mapping)
        errors, notes, unmapped = read.errors, read.notes, read.unmapped
        if created:
            notes.insert(0, _("Skapar verksamhetsår %(year)s med delår och helår.") % {"year": year})
        counts = {}
        if not errors:
            try:
                counts = goal_plan_write(fiscal_year=fiscal_year, goals=read.goals, user=user, dry_run=dry_run)
            except ValidationError as error:
                errors += [(0, message) for message in error.messages]
        if not errors and not dry_run and mapping:
            # The next file with the same headers is read the same way, without a mapping.
            federation_services.import_layout_remember(kind=LAYOUT_KIND, headers=read.header_cells, mapping=mapping)
        if errors or dry_run:
            transaction.set_rollback(True)
    errors.sort(key=lambda e: e[0])
    return GoalsImportResult(
        rows=read.rows,
        errors=errors,
        dry_run=dry_run,
        counts=counts,
        notes=notes,
        preview_rows=read.preview,
        unmapped=unmapped if errors else [],
        ignored=[] if errors else unmapped,
        columns=read.columns,
        fiscal_year=None if (errors or dry_run) and created else fiscal_year,
    )
