"""Every change is on record (who, when, what: old → new), shown on the object's page and in
the admin; a closed year is locked except for the förbundsdirektör, whose override is recorded."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from federation.access import LOCK_OVERRIDE_REASON
from federation.history import history_rows, object_history
from federation.models import FiscalYear, FollowUp
from goals.models import Activity, Assessment, DirectionGoal, Indicator, Outcome, Strategy
from internalcontrol.models import Action, Check, ControlPlan, ControlPoint, Deviation

pytestmark = pytest.mark.django_db

AUDITED = [ControlPlan, ControlPoint, Check, Deviation, Action, DirectionGoal, Strategy, Activity, Outcome, Assessment]


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_every_audited_model_keeps_history_and_shows_it_in_the_admin(model):
    assert hasattr(model, "history")
    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def open_check(role="Administrativ chef"):
    return (
        Check.objects.filter(
            control_point__responsible_role__name=role,
            control_point__area__plan__fiscal_year__year=2020,
            performed_on__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def test_the_check_page_shows_who_changed_what_from_what_to_what(client, demo_data):
    check = open_check()
    client.force_login(user("adminchef"))
    response = client.post(
        reverse("internalcontrol:check-log", args=[check.pk]), {"result": "ok", "performed_on": "2020-06-30"}
    )
    assert response.status_code == 302
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert "Anders Lind" in page
    assert "<strong>Resultat</strong>: – → Utan anmärkning" in page
    assert "<strong>Genomförd</strong>: – → 2020-06-30" in page or "<strong>Genomförd</strong>: – → 30" in page


def test_history_rows_take_constant_queries(demo_data):
    check = open_check()
    director = user("direktor")

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = object_history(Check.objects.get(pk=check.pk))
        return len(queries), rows

    for n in range(2):
        check.comment = f"Version {n}"
        check.performed_by = director if n % 2 else None
        check.save()
    few, rows_few = count()
    for n in range(6):
        check.comment = f"Fler versioner {n}"
        check.performed_by = director if n % 2 else None
        check.save()
    many, rows_many = count()
    assert len(rows_many) == len(rows_few) + 6
    assert many == few
    assert any(c.field == "Kommentar" and c.new == "Fler versioner 5" for c in rows_many[0].changes)


def test_a_closed_years_outcome_is_refused_for_a_unit_lead_and_allowed_for_the_director(client, demo_data):
    FiscalYear.objects.filter(year=2019).update(closed=True)
    indicator = (
        Indicator.objects.filter(
            activity__unit__name="Navet science center", fiscal_year__year=2019, is_share=False, dimension=""
        )
        .order_by("pk")
        .first()
    )
    follow_up = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")
    prefix = f"utfall-{indicator.pk}"
    data = {f"{prefix}-follow_up": follow_up.pk, f"{prefix}-value": "9", f"{prefix}-text": "Efter stängning"}
    before = list(Outcome.objects.filter(indicator=indicator).values_list("value", "text"))

    client.force_login(user("navet"))
    response = client.post(reverse("goals:outcome_update", args=[indicator.pk]), data, follow=True)
    assert "Verksamhetsåret 2019 är stängt och kan bara ändras av förbundsdirektören." in response.content.decode()
    assert list(Outcome.objects.filter(indicator=indicator).values_list("value", "text")) == before

    client.force_login(user("direktor"))
    client.post(reverse("goals:outcome_update", args=[indicator.pk]), data)
    outcome = Outcome.objects.get(indicator=indicator, follow_up=follow_up, municipality=None, delregion="")
    assert outcome.text == "Efter stängning"
    latest = outcome.history.latest()
    assert latest.history_change_reason == LOCK_OVERRIDE_REASON and latest.history_user == user("direktor")


def test_the_directors_override_of_a_closed_year_is_visible_on_the_item_page(client, demo_data):
    FiscalYear.objects.filter(year=2019).update(closed=True)
    activity = Activity.objects.filter(unit__name="Navet science center", fiscal_year__year=2019).order_by("pk").first()
    follow_up = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")
    prefix = f"aktivitet-{activity.pk}"
    data = {f"{prefix}-follow_up": follow_up.pk, f"{prefix}-status": "not_met", f"{prefix}-text": "Omprövad"}
    client.force_login(user("navet"))
    client.post(reverse("goals:assessment_update", args=["aktivitet", activity.pk]), data)
    assert not Assessment.objects.filter(activity=activity, text="Omprövad").exists()
    client.force_login(user("direktor"))
    client.post(reverse("goals:assessment_update", args=["aktivitet", activity.pk]), data)
    assert Assessment.objects.filter(activity=activity, text="Omprövad").exists()
    page = client.get(reverse("goals:item", args=["aktivitet", activity.pk])).content.decode()
    assert LOCK_OVERRIDE_REASON in page and "Karin Ek" in page and "→ Omprövad" in page


def test_a_closed_years_check_is_refused_with_a_swedish_message_except_for_the_director(client, demo_data):
    FiscalYear.objects.filter(year=2020).update(closed=True)
    check = open_check()
    data = {"result": "ok", "performed_on": "2020-06-30"}
    client.force_login(user("adminchef"))
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert "Registrera resultat" not in page
    response = client.post(reverse("internalcontrol:check-log", args=[check.pk]), data)
    assert response.status_code == 200
    assert "Verksamhetsåret 2020 är stängt och kan bara ändras av förbundsdirektören." in response.content.decode()
    check.refresh_from_db()
    assert check.performed_on is None

    client.force_login(user("direktor"))
    response = client.post(reverse("internalcontrol:check-log", args=[check.pk]), data)
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.result == "ok"
    assert check.history.latest().history_change_reason == LOCK_OVERRIDE_REASON
    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()
    assert LOCK_OVERRIDE_REASON in page


def test_a_reported_plan_is_locked_in_the_admin_for_the_administrative_chief(client, demo_data):
    check = Check.objects.filter(
        control_point__area__plan__status="reported", control_point__responsible_role__name="Administrativ chef"
    ).first()
    client.force_login(user("adminchef"))
    response = client.post(reverse("admin:internalcontrol_check_change", args=[check.pk]), {"comment": "Ändrad"})
    assert response.status_code == 403
    check.refresh_from_db()
    assert check.comment != "Ändrad"


def test_history_rows_of_several_kinds_are_merged_newest_first(demo_data):
    check = Check.objects.filter(deviations__isnull=False).first()
    rows = history_rows(check.history.all(), Deviation.history.filter(check_item_id=check.pk))
    assert [r.date for r in rows] == sorted((r.date for r in rows), reverse=True)
    assert {r.label for r in rows} >= {"Kontroll", "Avvikelse"}


def test_a_reported_plans_area_is_locked_in_the_admin_except_for_the_director(client, demo_data):
    from internalcontrol.models import ReviewArea

    area = ReviewArea.objects.filter(plan__status="reported").order_by("number").first()
    url = reverse("admin:internalcontrol_reviewarea_change", args=[area.pk])
    client.force_login(user("adminchef"))
    assert client.get(url).status_code == 200  # may still read it
    response = client.post(url, {"number": area.number, "name": area.name, "result_text": "Ändrat i efterhand"})
    assert response.status_code == 403
    area.refresh_from_db()
    assert area.result_text != "Ändrat i efterhand"
    client.force_login(user("direktor"))
    page = client.get(url).content.decode()
    assert 'name="result_text"' in page
