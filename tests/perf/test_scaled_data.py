"""manage.py generate_scaled_data: N times the 2019 volume every year, deterministic, refused twice."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from federation.models import Unit
from goals.models import Activity, Assessment, DirectionGoal, Indicator, Outcome, Strategy
from internalcontrol.models import Action, Check, ControlPoint, ReviewArea, Risk
from tests.devtools.management.commands.generate_scaled_data import Command as GenerateScaledData
from tests.devtools.scaled.organisation import YEARS

pytestmark = pytest.mark.django_db

# (model, lookup of its fiscal year)
PER_YEAR = [
    (ReviewArea, "plan__fiscal_year__year"),
    (ControlPoint, "area__plan__fiscal_year__year"),
    (Risk, "plan__fiscal_year__year"),
    (DirectionGoal, "fiscal_year__year"),
    (Strategy, "fiscal_year__year"),
    (Activity, "fiscal_year__year"),
    (Indicator, "fiscal_year__year"),
    (Outcome, "indicator__fiscal_year__year"),
]


def per_year(model, lookup):
    return dict(model.objects.values_list(lookup).annotate(n=Count("pk")).values_list(lookup, "n"))


def snapshot():
    counts = {model.__name__: per_year(model, lookup) for model, lookup in PER_YEAR}
    counts["checks by result"] = dict(Check.objects.values_list("result").annotate(n=Count("pk")))
    counts["checks by role"] = dict(
        Check.objects.values_list("control_point__responsible_role__name").annotate(n=Count("pk"))
    )
    counts["assessments by status"] = dict(Assessment.objects.values_list("status").annotate(n=Count("pk")))
    counts["actions"] = Action.objects.count()
    return counts


def generate(factor, seed=7):
    call_command(GenerateScaledData(), factor=factor, seed=seed, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_year_holds_factor_times_the_2019_volume_and_a_rerun_is_refused():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    template = {model.__name__: per_year(model, lookup)[2019] for model, lookup in PER_YEAR}
    units_before = Unit.objects.filter(kind=Unit.Kind.UNIT).count()

    generate(factor=2)

    for model, lookup in PER_YEAR:
        name, counts = model.__name__, per_year(model, lookup)
        if name == "Outcome":  # outcomes of other years' periods in the 2019 fixture are not copied
            assert 2 * template[name] * 0.8 <= counts[2015] <= 2 * template[name], counts
        else:
            assert counts[2015] == 2 * template[name], (name, counts)
        for year in YEARS:
            assert counts[2015] <= counts.get(year, 0) <= counts[2015] + template[name], (name, year, counts)
    assert Unit.objects.filter(kind=Unit.Kind.UNIT).count() == 2 * units_before
    # Most past checks performed, some with a remark and an åtgärd; every assessment has two history rows.
    assert Check.objects.filter(performed_on__isnull=False).count() > Check.objects.count() * 0.8
    assert Check.objects.filter(result="remark").count() > 0
    assert Action.objects.count() >= Check.objects.filter(result="remark").count() - 5
    scaled_assessment = Assessment.objects.filter(strategy__code__endswith="-k1").first()
    assert [h.status for h in scaled_assessment.history.order_by("history_date")][0] == "in_progress"
    assert scaled_assessment.history.count() == 2

    with pytest.raises(CommandError, match="redan skalade data"):
        generate(factor=2)


def test_the_same_seed_gives_the_same_data():
    with transaction.atomic():
        generate(factor=1, seed=11)
        first = snapshot()
        transaction.set_rollback(True)
    generate(factor=1, seed=11)
    assert snapshot() == first
    assert first["ReviewArea"][2012] > 0
