"""django-import-export resources: aktiviteter and mätetal outcomes from/to XLSX and CSV.

Every row is validated with ``full_clean()`` (the model's constraints, with their
Swedish messages); an unknown year, strategy, unit, mätetal or period is a
Swedish error naming the column. With IMPORT_EXPORT_USE_TRANSACTIONS the whole
file is rolled back when any row fails, so nothing is half-written."""

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from federation import dates
from federation.access import year_locked_message
from federation.models import FiscalYear, FollowUp, Municipality, Unit
from federation.selectors import is_director, units_led_by

from .models import Activity, Indicator, Outcome, Strategy

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
    value = fields.Field(attribute="value", column_name="Utfall", widget=widgets.DecimalWidget())
    numerator = fields.Field(attribute="numerator", column_name="Täljare", widget=widgets.DecimalWidget())
    denominator = fields.Field(attribute="denominator", column_name="Nämnare", widget=widgets.DecimalWidget())
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
