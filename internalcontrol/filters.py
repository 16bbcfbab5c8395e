"""Filters of the internal control pages (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.models import Role

from .frequency import PER_YEAR_CHOICES
from .models import Action, Check, ControlPoint


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök"), method="search")
    responsible_role = django_filters.ModelChoiceFilter(label=_("Kontrollansvarig"), queryset=Role.objects.all())
    per_year = django_filters.ChoiceFilter(label=_("Frekvens"), choices=PER_YEAR_CHOICES)

    class Meta:
        model = ControlPoint
        fields = ["q", "responsible_role", "per_year"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(area__name__icontains=value) | Q(method__icontains=value)
        )


class CheckFilter(django_filters.FilterSet):
    STATES = [("open", _("Att göra")), ("overdue", _("Försenade")), ("done", _("Genomförda"))]
    state = django_filters.ChoiceFilter(label=_("Visa"), choices=STATES, method="filter_state", empty_label=_("Alla"))
    year = django_filters.NumberFilter(label=_("År"), field_name="control_point__area__plan__fiscal_year__year")
    result = django_filters.ChoiceFilter(label=_("Resultat"), choices=Check.Result.choices[1:])

    class Meta:
        model = Check
        fields = ["state", "year", "result"]

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue(self.today)
        if value == "done":
            return queryset.done()
        return queryset


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Action.Status.choices)
    year = django_filters.NumberFilter(label=_("År"), field_name="control_point__area__plan__fiscal_year__year")

    class Meta:
        model = Action
        fields = ["status", "year"]
