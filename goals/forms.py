"""Short forms for updating status, text and outcomes in place (plain POST, PRG)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from federation.models import Municipality

from .models import Status
from .widgets import PlainNumberInput, PlainSelect, PlainTextarea, PlainTextInput


class GivenObjectsChoiceIterator(ModelChoiceIterator):
    """Iterates the objects given to the field (``field.objects``), read once for the page, rather than querying
    the field's queryset for the options and again for Django's check of the first option for ``required``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.get_objects():
            yield self.choice(obj)


class GivenObjectsChoiceMixin:
    """For a ModelChoiceField: a choice among objects read once (``objects``, given by the view and shared by
    every form of a page; else the queryset, read once), so its options and its validation cost no query of
    their own."""

    iterator = GivenObjectsChoiceIterator
    objects = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.objects = self.objects
        return result

    def get_objects(self):
        if self.objects is None:
            self.objects = list(self.queryset)
        return self.objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        value = getattr(value, key) if isinstance(value, self.queryset.model) else value
        for obj in self.get_objects():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class GivenObjectsChoiceField(GivenObjectsChoiceMixin, forms.ModelChoiceField):
    pass


class FollowUpChoiceMixin:
    """A follow-up field whose choices are given (built once per page, no query per form)."""

    def set_follow_ups(self, follow_ups, initial=None):
        self.follow_up_objects = {fu.pk: fu for fu in follow_ups}
        field = self.fields["follow_up"]
        field.choices = [(fu.pk, str(fu)) for fu in follow_ups]
        if initial is not None and not self.is_bound:
            self.initial["follow_up"] = initial.pk

    def clean_follow_up(self):
        value = self.cleaned_data["follow_up"]
        try:
            return self.follow_up_objects[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(_("Välj en uppföljning i listan.")) from None


class AssessmentForm(FollowUpChoiceMixin, forms.Form):
    follow_up = forms.ChoiceField(label=_("Uppföljning"), widget=PlainSelect)
    status = forms.ChoiceField(label=_("Bedömning"), choices=Status.choices, widget=PlainSelect)
    text = forms.CharField(label=_("Resultat"), required=False, widget=PlainTextarea(attrs={"rows": 3}))

    def __init__(self, *args, follow_ups, initial_follow_up=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_follow_ups(follow_ups, initial_follow_up)


class OutcomeForm(FollowUpChoiceMixin, forms.Form):
    # Plain* widgets: the same markup as Django's, written without a template (a page shows many of these forms).
    follow_up = forms.ChoiceField(label=_("Period"), widget=PlainSelect)
    municipality = GivenObjectsChoiceField(
        label=_("Kommun"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("(ingen)"),
        widget=PlainSelect,
    )
    delregion = forms.CharField(label=_("Delregion"), required=False, max_length=100, widget=PlainTextInput)
    value = forms.DecimalField(
        label=_("Utfall"), required=False, max_digits=14, decimal_places=2, widget=PlainNumberInput
    )
    numerator = forms.DecimalField(
        label=_("Täljare"), required=False, max_digits=14, decimal_places=2, widget=PlainNumberInput
    )
    denominator = forms.DecimalField(
        label=_("Nämnare"), required=False, max_digits=14, decimal_places=2, widget=PlainNumberInput
    )
    text = forms.CharField(label=_("Kommentar"), required=False, max_length=300, widget=PlainTextInput)

    def __init__(self, *args, indicator, follow_ups, initial_follow_up=None, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if municipalities is not None:
            self.fields["municipality"].objects = municipalities
        self.set_follow_ups(follow_ups, initial_follow_up)
        if indicator.is_share:
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]
        if indicator.dimension != "municipality":
            del self.fields["municipality"]
        if indicator.dimension != "delregion":
            del self.fields["delregion"]

    def clean(self):
        data = super().clean()
        if self.indicator.is_share:
            if data.get("numerator") is None or data.get("denominator") is None:
                raise forms.ValidationError(_("Ange både täljare och nämnare; andelen räknas ut."))
        elif data.get("value") is None and not data.get("text"):
            raise forms.ValidationError(_("Ange ett utfall eller en kommentar."))
        from .services import outcome_validate

        try:
            outcome_validate(
                indicator=self.indicator,
                value=data.get("value"),
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        if self.indicator.dimension == "municipality" and not data.get("municipality"):
            raise forms.ValidationError(_("Välj kommun."))
        if self.indicator.dimension == "delregion" and not data.get("delregion"):
            raise forms.ValidationError(_("Ange delregion."))
        return data
