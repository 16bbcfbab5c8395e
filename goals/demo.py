"""Demo data for the goals app: the real 2019 goals (årsredovisning 2019, sections
4–7) and Navet's 2013 resultatmål, from natural-key fixtures under
``fixtures/goals/``. Safe to run again: loaddata updates rows found by natural key."""

from django.core.management import call_command

FIXTURES = ["goals/2013", "goals/2019"]


def load():
    call_command("loaddata", *FIXTURES, verbosity=0)
    suggest_fixture_statuses()
    record_initial_history()


def record_initial_history():
    """loaddata saves raw (no history); give every row without history its first version."""
    from .models import Activity, Assessment, DirectionGoal, Indicator, Outcome, OverallGoal, Strategy

    for model in (OverallGoal, DirectionGoal, Strategy, Activity, Indicator, Outcome, Assessment):
        history = model.history.model
        with_history = history.objects.values("id")
        missing = list(model.objects.exclude(pk__in=with_history))
        for instance in missing:
            moment = getattr(instance, "assessed_at", None) or getattr(instance, "recorded_at", None)
            if moment:
                instance._history_date = moment
        model.history.bulk_history_create(missing, default_change_reason="Inläst från årsredovisningen")


def suggest_fixture_statuses():
    """Fixtures carry the human status; fill in what the numbers suggest so the difference shows."""
    from .models import Assessment
    from .services import suggested_status_for

    assessments = (
        Assessment.objects.filter(suggested_status="")
        .select_related("strategy", "activity", "follow_up")
        .exclude(strategy__isnull=True, activity__isnull=True)
    )
    for assessment in assessments:
        suggested = suggested_status_for(target=assessment.target, follow_up=assessment.follow_up)
        if suggested:
            Assessment.objects.filter(pk=assessment.pk).update(suggested_status=suggested)
