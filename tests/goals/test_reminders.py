import datetime

import pytest

from federation.models import FollowUp, ReminderSettings, Unit
from federation.reminders import Stage
from federation.selectors import director_role_id
from goals.models import Assessment, Status
from goals.reminders import follow_up_items
from goals.selectors import items_without_assessment
from goals.services import follow_up_submit
from tests.registry import reminder_providers_replaced

pytestmark = pytest.mark.django_db


def items_on(day):
    return list(follow_up_items(today=day, settings=ReminderSettings.load(), director_role_id=director_role_id()))


def interim_2019():
    return FollowUp.objects.get(fiscal_year__year=2019, kind="interim")


def test_units_with_unassessed_items_get_one_reminder_per_follow_up(demo_data):
    # given: the fixture has helår 2019 assessed; delår 2019 (due 2019-09-30) has nothing
    navet = Unit.objects.get(name="Navet science center")
    delar = interim_2019()
    missing = len(items_without_assessment(follow_up=delar, unit=navet))

    # when: 21 days (default lead) before the due date
    items = items_on(datetime.date(2019, 9, 10))

    # then
    navet_items = [i for i in items if i.key == f"followup:{delar.pk}:unit:{navet.pk}"]
    assert len(navet_items) == 1
    item = navet_items[0]
    assert item.stage == Stage.UPCOMING
    assert item.role_id == navet.lead_role_id
    assert item.title == f"Navet science center: {missing} poster saknar bedömning för Delår 2019"
    assert item.url.startswith("/mal/min-enhet/")
    assert missing > 40


def test_nothing_is_reminded_before_the_lead_time(demo_data):
    assert items_on(datetime.date(2019, 8, 1)) == []


def test_overdue_catches_up_and_submitted_units_are_left_alone(demo_data):
    from django.contrib.auth import get_user_model

    navet = Unit.objects.get(name="Navet science center")
    delar = interim_2019()
    day = datetime.date(2019, 10, 15)
    assert any(i.key.endswith(f":unit:{navet.pk}") and i.stage == Stage.OVERDUE for i in items_on(day))

    follow_up_submit(unit=navet, follow_up=delar, user=get_user_model().objects.get(username="navet"), today=day)
    assert not any(i.key == f"followup:{delar.pk}:unit:{navet.pk}" for i in items_on(day))


def test_a_unit_with_everything_assessed_is_not_reminded(demo_data):
    # helår 2019 is fully assessed for BRB's area Näringsliv in the fixture
    naringsliv = Unit.objects.get(name="Näringsliv")
    helar = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")
    assert items_without_assessment(follow_up=helar, unit=naringsliv) == []
    keys = {i.key for i in items_on(datetime.date(2020, 2, 1))}
    assert f"followup:{helar.pk}:unit:{naringsliv.pk}" not in keys
    assert Assessment.objects.filter(status=Status.MET).exists()


def test_the_sweep_sends_the_goals_reminder_to_the_unit_leads_role_holder(demo_data):
    from django.contrib.auth import get_user_model

    from federation.reminders.services import reminders_sweep

    navet_user = get_user_model().objects.get(username="navet")
    with reminder_providers_replaced(follow_up_items):
        result = reminders_sweep(today=datetime.date(2019, 9, 10), dry_run=True)
    mine = [p for p in result.planned if p.recipient_id == navet_user.pk]
    assert [p.item.title.split(":")[0] for p in mine] == ["Navet science center"]
    assert mine[0].stage == Stage.UPCOMING


def test_a_delar_left_unassessed_is_not_chased_once_the_year_is_over(demo_data):
    delar = interim_2019()
    keys_in_december = {i.key for i in items_on(datetime.date(2019, 12, 20))}
    keys_next_year = {i.key for i in items_on(datetime.date(2020, 1, 10))}
    assert any(key.startswith(f"followup:{delar.pk}:") for key in keys_in_december)
    assert not any(key.startswith(f"followup:{delar.pk}:") for key in keys_next_year)
