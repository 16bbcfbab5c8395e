"""Forms: logging a check's result, with evidence, avvikelse and åtgärd in the same short form."""

import datetime
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from federation.people import person_name

from .models import Action, Check

ALLOWED_EVIDENCE_TYPES = {".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".txt"}


def evidence_max_bytes():
    return getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def validate_evidence_file(file):
    suffix = Path(file.name).suffix.lower()
    if suffix not in ALLOWED_EVIDENCE_TYPES:
        raise forms.ValidationError(
            _("Filtypen %(suffix)s är inte tillåten. Tillåtna: pdf, png, jpg, docx, xlsx, txt.")
            % {"suffix": suffix or "(ingen)"}
        )
    if file.size > evidence_max_bytes():
        raise forms.ValidationError(
            _("Filen är för stor (högst %(max)s).") % {"max": filesizeformat(evidence_max_bytes())}
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LogResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Resultat"), choices=Check.Result.choices[1:], widget=forms.RadioSelect)
    performed_on = forms.DateField(label=_("Genomförd"), widget=DateInput())
    severity = forms.ChoiceField(
        label=_("Allvarlighetsgrad (vid anmärkning)"), choices=Check.Severity.choices, required=False
    )
    sample = forms.CharField(label=_("Urval/stickprov"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Underlag (pdf, png, jpg, docx, xlsx, txt)"), required=False, validators=[validate_evidence_file]
    )
    period_start = forms.DateField(label=_("Underlaget avser från"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Underlaget avser till"), required=False, widget=DateInput())
    deviation = forms.CharField(
        label=_("Avvikelse (vid anmärkning)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action = forms.CharField(label=_("Åtgärd"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action_responsible = forms.ModelChoiceField(
        label=_("Ansvarig för åtgärden"), queryset=get_user_model().objects.none(), required=False
    )
    action_deadline = forms.DateField(
        label=_("Åtgärden klar senast (lämnas tom: sex månader efter kontrollen)"), required=False, widget=DateInput()
    )

    verifies = forms.ModelMultipleChoiceField(
        label=_("Kontrollen verifierar åtgärderna (vid utan anmärkning)"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, check, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_obj = check
        self.today = today
        done = Action.objects.filter(control_point_id=check.control_point_id, status=Action.Status.DONE)
        self.fields["verifies"].queryset = done
        if not done.exists():
            del self.fields["verifies"]
        self.fields["action_responsible"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
        )
        self.fields["action_responsible"].label_from_instance = person_name
        if not self.is_bound:
            self.initial.setdefault("performed_on", min(today, check.due_date + datetime.timedelta(days=30)))

    def clean(self):
        data = super().clean()
        result = data.get("result")
        if result == Check.Result.REMARK:
            if not data.get("severity"):
                self.add_error("severity", _("Ange hur allvarlig anmärkningen är."))
            if not (data.get("deviation") or "").strip():
                self.add_error("deviation", _("Beskriv avvikelsen när kontrollen har anmärkning."))
        elif result:
            data["severity"] = ""
            if (data.get("deviation") or "").strip() or (data.get("action") or "").strip():
                self.add_error("deviation", _("Avvikelser och åtgärder registreras bara vid anmärkning."))
        if data.get("verifies") and result != Check.Result.OK:
            self.add_error("verifies", _("Bara en kontroll utan anmärkning verifierar en åtgärd."))
        from .services import performed_on_validate

        fiscal_year = self.check_obj.control_point.area.plan.fiscal_year
        performed_on = data.get("performed_on")
        if performed_on and performed_on > self.today:
            self.add_error("performed_on", _("Datumet kan inte ligga i framtiden."))
        elif performed_on:
            try:
                performed_on_validate(performed_on=performed_on, fiscal_year=fiscal_year)
            except forms.ValidationError as error:
                self.add_error(None, error)
        if data.get("evidence"):
            start, end = data.get("period_start"), data.get("period_end")
            if not start or not end:
                self.add_error("period_start", _("Ange vilken period underlaget avser."))
            elif end < start:
                self.add_error("period_end", _("Periodens slut kan inte ligga före dess början."))
            elif not (fiscal_year.contains(start) and fiscal_year.contains(end)):
                self.add_error(
                    "period_start",
                    _("Underlagets period ska ligga inom verksamhetsåret %(year)s.") % {"year": fiscal_year.year},
                )
        for name in ("deviation", "action", "comment", "sample"):
            if len(data.get(name) or "") > 5000:
                self.add_error(name, _("Texten är för lång (högst 5 000 tecken)."))
        return data
