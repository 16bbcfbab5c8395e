"""Filters of the internal control pages (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.models import Role

from .frequency import PER_YEAR_CHOICES
from .models import Action, Check, ControlPoint

EVENT_DRIVEN = "event"
# The stored frequencies, and the event-driven kontrollmoment ("Vid behov", "Vid varje nyanställning").
FREQUENCY_CHOICES = [*PER_YEAR_CHOICES, (EVENT_DRIVEN, _("Händelsestyrd"))]


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök"), method="search")
    responsible_role = django_filters.ModelChoiceFilter(label=_("Kontrollansvarig"), queryset=Role.objects.all())
    per_year = django_filters.ChoiceFilter(label=_("Frekvens"), choices=FREQUENCY_CHOICES, method="filter_frequency")

    class Meta:
        model = ControlPoint
        fields = ["q", "responsible_role", "per_year"]

    def filter_frequency(self, queryset, name, value):
        if value == EVENT_DRIVEN:
            return queryset.filter(event_driven=True)
        # (an event-driven kontrollmoment also stores per_year 0, yet is not "Löpande")
        return queryset.filter(per_year=int(value), event_driven=False)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(area__name__icontains=value) | Q(method__icontains=value)
        )


class YearChoiceFilterSet(django_filters.FilterSet):
    """A filter set whose ``year`` offers the years with a plan (``years``, newest first); any other value is
    a form error (an empty list), never a 500."""

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]


class CheckFilter(YearChoiceFilterSet):
    STATES = [
        ("open", _("Att göra")),
        ("due", _("Förfallna och försenade")),
        ("overdue", _("Försenade")),
        ("done", _("Genomförda")),
        ("all", _("Alla")),
    ]
    year = django_filters.ChoiceFilter(
        label=_("År"),
        field_name="control_point__area__plan__fiscal_year__year",
        empty_label=_("Alla ej avrapporterade"),
    )
    state = django_filters.ChoiceFilter(label=_("Visa"), choices=STATES, method="filter_state", empty_label=None)
    result = django_filters.ChoiceFilter(label=_("Resultat"), choices=Check.Result.choices[1:])

    class Meta:
        model = Check
        fields = ["year", "state", "result"]

    def __init__(self, *args, today, rules, **kwargs):
        self.today, self.rules = today, rules
        super().__init__(*args, **kwargs)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "due":
            return queryset.due_now(self.today, self.rules)
        if value == "overdue":
            return queryset.overdue(self.today, self.rules)
        if value == "done":
            return queryset.done()
        return queryset


class ActionFilter(YearChoiceFilterSet):
    WHOSE = [("mine", _("Mina åtgärder")), ("all", _("Alla"))]
    year = django_filters.ChoiceFilter(
        label=_("År"), field_name="control_point__area__plan__fiscal_year__year", empty_label=_("Alla år")
    )
    whose = django_filters.ChoiceFilter(label=_("Ansvarig"), choices=WHOSE, method="filter_whose", empty_label=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Action.Status.choices, empty_label=_("Öppna"))

    class Meta:
        model = Action
        fields = ["year", "whose", "status"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def filter_whose(self, queryset, name, value):
        return queryset.filter(responsible=self.user) if value == "mine" else queryset
