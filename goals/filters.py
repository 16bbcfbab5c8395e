import django_filters
from django.utils.translation import gettext_lazy as _

from federation.models import FiscalYear, Unit

from .models import DirectionGoal, Status


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

    def keep(self, queryset, name, value):
        return queryset
