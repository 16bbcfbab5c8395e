import django_filters
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from federation.models import FiscalYear, Unit

from .models import DirectionGoal, Status


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """Iterates the field's queryset itself, so its result cache serves both the select's options and Django's
    check of the first option for ``required`` (the default iterator queries once for each)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class GoalTreeFilter(django_filters.FilterSet):
    """The goal tree's filters; the tree itself is built by ``selectors.goal_tree``."""

    year = django_filters.ModelChoiceFilter(
        label=_("År"), queryset=FiscalYear.objects.all(), to_field_name="year", method="keep", empty_label=None
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Verksamhet"), queryset=Unit.objects.all(), method="keep", empty_label=_("Alla verksamheter")
    )
    status = django_filters.ChoiceFilter(
        label=_("Bedömning"), choices=Status.choices, method="keep", empty_label=_("Alla bedömningar")
    )

    class Meta:
        model = DirectionGoal
        fields = []

    @property
    def form(self):
        form = super().form
        year = form.fields["year"]
        if year.iterator is not ReadOnceChoiceIterator:
            year.iterator = ReadOnceChoiceIterator
            year.widget.choices = year.choices
        return form

    def keep(self, queryset, name, value):
        return queryset
