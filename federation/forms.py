"""Forms shared by the import pages of every app: the column mapping step and the file kept between steps.

An import page reads the file, shows a preview, and — one row per column of the file — which field each
column is read as (``ColumnMappingFormSet``, pre-selected from the synonyms or the remembered layout, see
``federation.sheets.column_fields``). Submitting the choices reads the file again with that mapping; the
confirmed import remembers it (``services.import_layout_remember``). The file is kept in the cache between
the steps, so it is chosen once."""

import re
import uuid
from collections import Counter

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .sheets import IGNORE, normalise_header

UPLOAD_SECONDS = 3600  # how long an uploaded file waits for its next step
MAPPING_PREFIX = "kolumn"


class ColumnMappingForm(forms.Form):
    """One column of the file: its header (kept hidden) and the field it is read as, or ignorera."""

    header = forms.CharField(widget=forms.HiddenInput, max_length=500)
    field = forms.ChoiceField(label=_("Fält"))

    def __init__(self, *args, field_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = field_choices

    def header_text(self):
        return self["header"].value()


class BaseColumnMappingFormSet(forms.BaseFormSet):
    """The mapping step: ``fields`` maps each field's Swedish name to its key (as ``parse_mapping`` takes)."""

    def __init__(self, *args, fields: dict[str, str], **kwargs):
        self.field_names = {key: name for name, key in fields.items()}
        choices = [*((key, name) for name, key in fields.items()), (IGNORE, _("Ignorera"))]
        super().__init__(*args, form_kwargs={"field_choices": choices}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        chosen = Counter(f.cleaned_data["field"] for f in self.forms if f.cleaned_data.get("field") != IGNORE)
        twice = [self.field_names[key] for key, count in chosen.items() if count > 1]
        if twice:
            raise ValidationError(
                _("Samma fält är valt för flera kolumner: %(fields)s. Välj ett fält per kolumn (eller ignorera).")
                % {"fields": ", ".join(twice)}
            )

    def mapping(self) -> dict[str, str]:
        """{normalised header: field key or "ignorera"} for every column, as the imports take it."""
        return {normalise_header(f.cleaned_data["header"]): f.cleaned_data["field"] for f in self.forms}


ColumnMappingFormSet = forms.formset_factory(
    ColumnMappingForm, formset=BaseColumnMappingFormSet, extra=0, max_num=500, absolute_max=500
)


def column_mapping_formset(*, fields: dict[str, str], columns=None, data=None) -> BaseColumnMappingFormSet:
    """The mapping step bound to a POST (``data``), or showing ``columns`` ((header, key) as the file was read)."""
    if data is not None:
        return ColumnMappingFormSet(data, fields=fields, prefix=MAPPING_PREFIX)
    initial = [{"header": header, "field": key} for header, key in columns or []]
    return ColumnMappingFormSet(initial=initial, fields=fields, prefix=MAPPING_PREFIX)


def mapping_step_posted(data) -> bool:
    return f"{MAPPING_PREFIX}-TOTAL_FORMS" in data


def upload_keep(kind: str, name: str, content: bytes) -> str:
    """Keep an uploaded file for the next step of an import page; returns its token."""
    token = uuid.uuid4().hex
    cache.set(f"import:{kind}:{token}", (name, content), UPLOAD_SECONDS)
    return token


def upload_read(kind: str, token: str):
    """(name, content) of a kept file, or None when it is gone (or the token is not one)."""
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    return cache.get(f"import:{kind}:{token}")


def upload_forget(kind: str, token: str) -> None:
    cache.delete(f"import:{kind}:{token}")
