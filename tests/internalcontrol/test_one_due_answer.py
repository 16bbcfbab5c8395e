"""One answer to "due soon, due or overdue" for every check and åtgärd: the badge on the pages, the counts
(Mina kontroller, the översikt) and the reminder sweep agree on the same data, day by day."""

import datetime

import pytest
from django.urls import reverse

from federation import dates
from federation.models import ReminderSettings
from internalcontrol.models import Action, Check
from internalcontrol.reminders import action_items, check_items
from internalcontrol.services import check_log_result, deviation_record
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date
WORDS = {dates.OVERDUE: {"Försenad"}, dates.DUE: {"Förfallen", "Förfaller i dag"}, dates.UPCOMING: {"Förfaller snart"}}


@pytest.fixture
def year():
    """Monthly and quarterly checks of 2020, one logged with a remark and an åtgärd due 2020-06-15."""
    role = RoleFactory(name="Administrativ chef")
    RoleFactory(name="Förbundsdirektör", is_director=True)
    adopted_plan(year=2020, role=role, frequency="Månadsvis")
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    january = Check.objects.get(due_date=D(2020, 1, 31))
    check_log_result(
        check=january, user=chef, result="remark", severity="low", performed_on=D(2020, 2, 3), today=D(2020, 2, 3)
    )
    deviation_record(check=january, user=chef, description="Fel", action_description="Rätta", deadline=D(2020, 6, 15))
    return chef


def swept(provider, today, rules):
    """{key: stage} of the reminders for the person responsible (not the escalations)."""
    found = provider(today=today, settings=rules, director_role_id=None)
    return {item.key: item.stage for item in found if item.stage != "escalated"}


@pytest.mark.parametrize(
    "today", [D(2020, 5, 24), D(2020, 5, 31), D(2020, 6, 3), D(2020, 6, 7), D(2020, 6, 15), D(2020, 6, 22)]
)
def test_the_pages_the_counts_and_the_sweep_agree_on_every_check_and_action(year, today, client, settings):
    settings.FIXED_TODAY = today
    rules = ReminderSettings.load()
    checks = list(Check.objects.with_related().order_by("due_date"))
    states = {f"check:{check.pk}": check.due_state(today, rules) for check in checks}
    action = Action.objects.get()
    states[f"action:{action.pk}"] = action.due_state(today, rules)

    # the sweep reminds exactly the items in a state, at that state
    sweep = {**swept(check_items, today, rules), **swept(action_items, today, rules)}
    assert sweep == {key: state for key, state in states.items() if state}

    # every badge on Mina kontroller and on Åtgärder says the same state
    client.force_login(year)
    response = client.get(reverse("internalcontrol:my-checks") + "?year=2020")
    for row in response.context["table"].page.object_list:
        check = row.record
        tone, word = check.status(today, rules)
        state = states[f"check:{check.pk}"]
        if check.performed_on is None and state:
            assert str(word) in WORDS[state]
    tone, word = action.tone(today, rules)
    if states[f"action:{action.pk}"]:
        assert str(word) in WORDS[states[f"action:{action.pk}"]]

    # and the counts (Mina kontroller, the översikt) count the same states
    counts = response.context["counts"]
    check_states = [state for key, state in states.items() if key.startswith("check:")]
    assert counts["overdue"] == check_states.count(dates.OVERDUE)
    assert counts["due"] == check_states.count(dates.DUE)
    assert counts["due_soon"] == check_states.count(dates.UPCOMING)
    overview = client.get("/oversikt/?year=2020").context["progress"]
    assert (overview["overdue"], overview["due"], overview["due_soon"]) == (
        counts["overdue"],
        counts["due"],
        counts["due_soon"],
    )
    assert dates.today() == today


def test_a_check_a_few_days_late_is_due_and_a_week_late_is_overdue_everywhere(year):
    rules = ReminderSettings.load()
    may = Check.objects.with_related().get(due_date=D(2020, 5, 31))
    assert may.due_state(D(2020, 6, 6), rules) == dates.DUE
    assert may.status(D(2020, 6, 6), rules)[1] == "Förfallen"
    assert may.due_state(D(2020, 6, 7), rules) == dates.OVERDUE
    assert may.status(D(2020, 6, 7), rules)[1] == "Försenad"
    assert Check.objects.overdue(D(2020, 6, 7), rules).filter(pk=may.pk).exists()
    assert not Check.objects.overdue(D(2020, 6, 6), rules).filter(pk=may.pk).exists()
