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


def user_choices():
    """Active people by name, for choosing who is responsible for an åtgärd."""
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")


def user_label(user):
    return person_name(user)


def clean_evidence_period(form, data, fiscal_year):
    """An evidence file's period: both ends, in order, within the check's fiscal year."""
    start, end = data.get("period_start"), data.get("period_end")
    if not start or not end:
        form.add_error("period_start", _("Ange vilken period underlaget avser."))
    elif end < start:
        form.add_error("period_end", _("Periodens slut kan inte ligga före dess början."))
    elif not (fiscal_year.contains(start) and fiscal_year.contains(end)):
        form.add_error(
            "period_start",
            _("Underlagets period ska ligga inom verksamhetsåret %(year)s.") % {"year": fiscal_year.year},
        )


def clean_text_lengths(form, data, names, limit=5000):
    for name in names:
        if len(data.get(name) or "") > limit:
            form.add_error(name, _("Texten är för lång (högst 5 000 tecken)."))


class CheckResultForm(forms.Form):
    """What a check found: the fields a result is logged with, and corrected with."""

    result = forms.ChoiceField(label=_("Resultat"), choices=Check.Result.choices[1:], widget=forms.RadioSelect)
    performed_on = forms.DateField(label=_("Genomförd"), widget=DateInput())
    severity = forms.ChoiceField(
        label=_("Allvarlighetsgrad (vid anmärkning)"), choices=Check.Severity.choices, required=False
    )
    sample = forms.CharField(label=_("Urval/stickprov"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
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

    def __init__(self, *args, check, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_obj = check
        self.today = today
        self.fields["action_responsible"].queryset = user_choices()
        self.fields["action_responsible"].label_from_instance = user_label

    def needs_deviation(self):
        """A remark is described by an avvikelse (unless the check already has one)."""
        return True

    def clean(self):
        data = super().clean()
        result = data.get("result")
        if result == Check.Result.REMARK:
            if not data.get("severity"):
                self.add_error("severity", _("Ange hur allvarlig anmärkningen är."))
            if self.needs_deviation() and not (data.get("deviation") or "").strip():
                self.add_error("deviation", _("Beskriv avvikelsen när kontrollen har anmärkning."))
        elif result:
            data["severity"] = ""
            if (data.get("deviation") or "").strip() or (data.get("action") or "").strip():
                self.add_error("deviation", _("Avvikelser och åtgärder registreras bara vid anmärkning."))
        from .services import performed_on_validate

        self.fiscal_year = self.check_obj.control_point.area.plan.fiscal_year
        performed_on = data.get("performed_on")
        if performed_on and performed_on > self.today:
            self.add_error("performed_on", _("Datumet kan inte ligga i framtiden."))
        elif performed_on:
            try:
                performed_on_validate(performed_on=performed_on, fiscal_year=self.fiscal_year)
            except forms.ValidationError as error:
                self.add_error(None, error)
        clean_text_lengths(self, data, ("deviation", "action", "comment", "sample"))
        return data


class LogResultForm(CheckResultForm):
    """The short form: result, evidence, and avvikelse with åtgärd when there is a remark."""

    evidence = forms.FileField(
        label=_("Underlag (pdf, png, jpg, docx, xlsx, txt)"), required=False, validators=[validate_evidence_file]
    )
    period_start = forms.DateField(label=_("Underlaget avser från"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Underlaget avser till"), required=False, widget=DateInput())
    verifies = forms.ModelMultipleChoiceField(
        label=_("Kontrollen verifierar åtgärderna (vid utan anmärkning)"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, check, today, **kwargs):
        super().__init__(*args, check=check, today=today, **kwargs)
        done = Action.objects.filter(control_point_id=check.control_point_id, status=Action.Status.DONE)
        self.fields["verifies"].queryset = done
        if not done.exists():
            del self.fields["verifies"]
        if not self.is_bound:
            self.initial.setdefault("performed_on", min(today, check.due_date + datetime.timedelta(days=30)))

    def clean(self):
        data = super().clean()
        if data.get("verifies") and data.get("result") != Check.Result.OK:
            self.add_error("verifies", _("Bara en kontroll utan anmärkning verifierar en åtgärd."))
        if data.get("evidence"):
            clean_evidence_period(self, data, self.fiscal_year)
        return data


class CheckCorrectForm(CheckResultForm):
    """A logged check corrected: the same fields as when it was logged, filled in, and a required reason.
    Changing the result to a remark asks for the avvikelse when the check has none yet."""

    reason = forms.CharField(
        label=_("Skäl till ändringen"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sparas i kontrollens historik tillsammans med vad som ändrades."),
        error_messages={"required": _("Ange varför kontrollen ändras.")},
    )

    field_order = ["result", "performed_on", "severity", "sample", "comment", "reason"]

    def __init__(self, *args, check, today, **kwargs):
        super().__init__(*args, check=check, today=today, **kwargs)
        self.has_deviations = check.deviations.exists()
        if self.has_deviations:
            for name in ("deviation", "action", "action_responsible", "action_deadline"):
                del self.fields[name]
        if not self.is_bound:
            for name in ("result", "performed_on", "severity", "sample", "comment"):
                self.initial.setdefault(name, getattr(check, name))

    def needs_deviation(self):
        return not self.has_deviations


class EvidenceForm(forms.Form):
    """More evidence for a check: the same file rules and period rules as when the check is logged."""

    evidence = forms.FileField(
        label=_("Underlag (pdf, png, jpg, docx, xlsx, txt)"),
        validators=[validate_evidence_file],
        error_messages={"required": _("Välj en fil.")},
    )
    description = forms.CharField(label=_("Beskrivning"), max_length=200, required=False)
    period_start = forms.DateField(label=_("Underlaget avser från"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Underlaget avser till"), required=False, widget=DateInput())

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_obj = check

    def clean(self):
        data = super().clean()
        clean_evidence_period(self, data, self.check_obj.control_point.area.plan.fiscal_year)
        return data


class ActionForm(forms.Form):
    """One more åtgärd for an avvikelse."""

    description = forms.CharField(
        label=_("Åtgärd"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beskriv åtgärden.")},
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarig för åtgärden"),
        queryset=get_user_model().objects.none(),
        error_messages={"required": _("Välj vem som ansvarar för åtgärden."), "invalid_choice": _("Välj en person.")},
    )
    deadline = forms.DateField(
        label=_("Klar senast (lämnas tom: sex månader efter kontrollen)"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = user_choices()
        self.fields["responsible"].label_from_instance = user_label


class ActionDoneForm(forms.Form):
    """Marking an åtgärd done: what was done, optionally a file that shows it, and an explicit confirmation."""

    comment = forms.CharField(
        label=_("Vad gjordes?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beskriv vad som gjordes.")},
    )
    evidence = forms.FileField(
        label=_("Underlag, valfritt (pdf, png, jpg, docx, xlsx, txt)"),
        required=False,
        validators=[validate_evidence_file],
    )
    confirm = forms.BooleanField(
        label=_("Jag bekräftar att åtgärden är genomförd."),
        error_messages={"required": _("Bekräfta att åtgärden är genomförd.")},
    )


class PlanDecisionForm(forms.Form):
    """The Direktion's decision that adopts (or reports) a plan: one of the decisions already recorded for
    the plan's year, or a new one registered in the same step."""

    decision = forms.ModelChoiceField(
        label=_("Direktionens beslut"),
        queryset=None,
        required=False,
        empty_label=_("– Registrera ett nytt beslut nedan –"),
        error_messages={"invalid_choice": _("Välj ett av besluten i listan.")},
    )
    body = forms.ModelChoiceField(label=_("Beslutande organ"), queryset=None, required=False)
    date = forms.DateField(label=_("Datum"), required=False, widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False, help_text=_("T.ex. § 45"))
    subject = forms.CharField(label=_("Ärende"), max_length=300, required=False)
    reference = forms.CharField(label=_("Diarienummer"), max_length=50, required=False)

    NEW_FIELDS = ("body", "date", "paragraph", "subject", "reference")

    def __init__(self, *args, plan, report=False, **kwargs):
        from federation.models import Decision, DecisionBody

        super().__init__(*args, **kwargs)
        year = plan.fiscal_year.year
        kind = Decision.Kind.CONTROL_REPORT if report else Decision.Kind.CONTROL_PLAN
        years = (year, year + 1) if report else (year - 1, year)
        self.fields["decision"].queryset = (
            Decision.objects.filter(kind=kind, date__year__in=years).select_related("body").order_by("-date")
        )
        self.fields["body"].queryset = DecisionBody.objects.order_by("-is_board", "name")
        board = DecisionBody.objects.filter(is_board=True).first()
        self.fields["body"].initial = board.pk if board else None
        self.fields["subject"].initial = (
            _("Avrapportering av intern kontrollplan %(year)s") if report else _("Intern kontrollplan %(year)s")
        ) % {"year": year}

    def clean(self):
        data = super().clean()
        if data.get("decision") is None:
            for name, message in (
                ("body", _("Välj organet som fattade beslutet.")),
                ("date", _("Ange beslutets datum.")),
                ("subject", _("Ange ärendet.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def new_decision_fields(self) -> dict | None:
        """The new decision's fields for ``decision_register``, or None when a recorded decision was chosen."""
        if self.cleaned_data.get("decision") is not None:
            return None
        return {name: self.cleaned_data[name] for name in self.NEW_FIELDS}
