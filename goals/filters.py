import django_filters
from django.utils.translation import gettext_lazy as _

from federation.models import FiscalYear, Unit

from .forms import GivenObjectsChoiceMixin
from .models import DirectionGoal, Status
from .widgets import PlainSelect


class GivenObjectsFilterField(GivenObjectsChoiceMixin, django_filters.fields.ModelChoiceField):
    pass


class GivenObjectsChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = GivenObjectsFilterField


class GoalTreeFilter(django_filters.FilterSet):
    """The goal tree's filters (their selects written without a template: ``goals.widgets.PlainSelect``); the
    tree itself is built by ``selectors.goal_tree``. ``years`` are the fiscal years read once by the view (for
    the year select, its validation and the default year)."""

    year = GivenObjectsChoiceFilter(
        label=_("År"),
        queryset=FiscalYear.objects.all(),
        to_field_name="year",
        method="keep",
        empty_label=None,
        widget=PlainSelect,
    )
    # The units read once as a list (for the options and the validation): a ModelChoiceField iterates its
    # queryset with .iterator(), a server-side cursor on PostgreSQL, with its own round trips.
    unit = GivenObjectsChoiceFilter(
        label=_("Verksamhet"),
        queryset=Unit.objects.all(),
        method="keep",
        empty_label=_("Alla verksamheter"),
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Bedömning"),
        choices=Status.choices,
        method="keep",
        empty_label=_("Alla bedömningar"),
        widget=PlainSelect,
    )

    class Meta:
        model = DirectionGoal
        fields = []

    def __init__(self, *args, years=None, **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    @property
    def form(self):
        form = super().form
        if self.years is not None:
            form.fields["year"].objects = self.years
        return form

    def keep(self, queryset, name, value):
        return queryset
