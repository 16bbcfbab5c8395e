"""The Rapporter page's chooser: year, sections and units."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from federation.models import FiscalYear, FollowUp, Unit

from .builder import UNIT_PREFIX, available_sections, default_follow_up, unit_keys

EXPORT_ACTIONS = ["docx", "pdf", "xlsx", "html"]


class ReportOptionsForm(forms.Form):
    """Sections (2.7, 4, Bilaga 2 …) and units (their own sections) for one year.

    The choices come from what the section builders produce for the year, so
    only what exists can be chosen. ``report_kwargs()`` gives the builder's
    ``sections`` and ``units``."""

    year = forms.TypedChoiceField(label=_("Verksamhetsår"), coerce=int)
    follow_up = forms.ChoiceField(
        label=_("Uppföljning"),
        required=False,  # none chosen: the latest ended (builder.default_follow_up)
        widget=forms.RadioSelect,
        help_text=_("Delårsrapporten visar läget vid delåret (t.ex. per 31 augusti), årsredovisningen helåret."),
    )
    changes = forms.BooleanField(
        label=_("Visa vad som ändrats sedan förra uppföljningen"),
        required=False,
        help_text=_("Bedömningar som flyttats, nya utfall och ändrade målvärden (delår: mot förra årets helår)."),
    )
    sections = forms.MultipleChoiceField(label=_("Avsnitt"), required=False, widget=forms.CheckboxSelectMultiple)
    units = forms.MultipleChoiceField(
        label=_("Verksamheternas avsnitt"), required=False, widget=forms.CheckboxSelectMultiple
    )
    background = forms.BooleanField(label=_("Skapa filen i bakgrunden"), required=False)

    def __init__(self, *args, fiscal_year: FiscalYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.fields["year"].choices = [(y.year, str(y.year)) for y in FiscalYear.objects.order_by("-year")]
        self.fields["year"].initial = fiscal_year.year
        self.follow_ups = list(FollowUp.objects.filter(fiscal_year=fiscal_year).order_by("period_end"))
        for follow_up in self.follow_ups:
            follow_up.fiscal_year = fiscal_year
        self.fields["follow_up"].choices = [
            (f.kind, f"{f.get_kind_display()} {f.as_of_label}") for f in self.follow_ups
        ]
        default = default_follow_up(fiscal_year, self.follow_ups)
        self.fields["follow_up"].initial = default.kind if default else None
        units = list(Unit.objects.all())
        self.unit_sections: dict[str, str] = {}  # unit pk -> section key
        section_choices, unit_choices = [], []
        for choice in available_sections(fiscal_year, default):
            unit = (
                next((u for u in units if choice.key in unit_keys(u)), None)
                if choice.key.startswith(UNIT_PREFIX)
                else None
            )
            if unit is None:
                section_choices.append((choice.key, choice.title))
            else:
                self.unit_sections[str(unit.pk)] = choice.key
                unit_choices.append((str(unit.pk), choice.title))
        self.fields["sections"].choices = section_choices
        self.fields["units"].choices = unit_choices
        self.fields["sections"].initial = [key for key, _title in section_choices]
        self.fields["units"].initial = [pk for pk, _title in unit_choices]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("sections") and not cleaned.get("units"):
            raise forms.ValidationError(_("Välj minst ett avsnitt eller en verksamhet."))
        return cleaned

    def report_kwargs(self) -> dict:
        """``sections`` and ``units`` for build_year_report (units only when a subset is chosen)."""
        chosen_units = self.cleaned_data["units"]
        sections = list(self.cleaned_data["sections"]) + [self.unit_sections[pk] for pk in chosen_units]
        all_units = [pk for pk, _title in self.fields["units"].choices]
        subset = chosen_units and set(chosen_units) != set(all_units)
        units = list(Unit.objects.filter(pk__in=chosen_units)) if subset else None
        kind = self.cleaned_data.get("follow_up")
        follow_up = next((f for f in self.follow_ups if f.kind == kind), None)
        return {"sections": sections, "units": units, "follow_up": follow_up, "changes": self.cleaned_data["changes"]}

    def query_items(self) -> list[tuple[str, str]]:
        """The choice as query parameters (for the preview link and the hidden export form)."""
        items = [("year", str(self.cleaned_data["year"]))]
        if self.cleaned_data.get("follow_up"):
            items.append(("follow_up", self.cleaned_data["follow_up"]))
        if self.cleaned_data.get("changes"):
            items.append(("changes", "on"))
        items += [("sections", key) for key in self.cleaned_data["sections"]]
        items += [("units", pk) for pk in self.cleaned_data["units"]]
        return items
