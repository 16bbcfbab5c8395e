"""The frequency is parsed once, when a kontrollmoment is written; everything that reads uses what was stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from internalcontrol import frequency, models
from internalcontrol.models import Check, ControlPoint
from internalcontrol.resources import plan_rows
from internalcontrol.services import checks_generate
from tests.factories import RoleFactory

from .factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def test_writing_a_kontrollmoment_stores_its_parsed_frequency():
    area = ReviewAreaFactory(plan=ControlPlanFactory())
    point = ControlPoint(
        area=area, order=1, description="Kontroll", frequency_text="Kvartalsvis", responsible_role=RoleFactory()
    )
    point.full_clean()
    point.save()
    point.frequency_text = "1gång/år samt löpande"
    point.full_clean()
    point.save()
    point.refresh_from_db()
    assert (point.per_year, point.continuous) == (1, True)
    assert point.frequency == frequency.Frequency(1, continuous=True)


def test_a_frequency_that_cannot_be_read_is_a_swedish_error_on_its_field_and_nothing_is_stored():
    point = ControlPointFactory(frequency_text="2 ggr/år")
    point.frequency_text = "varannan vecka"
    with pytest.raises(ValidationError) as error:
        point.full_clean()
    assert error.value.message_dict["frequency_text"][0].startswith("Okänd frekvens ”varannan vecka”")
    point.refresh_from_db()
    assert (point.frequency_text, point.per_year) == ("2 ggr/år", 2)


def test_the_admin_form_stores_the_frequency_it_was_given(admin_client):
    point = ControlPointFactory(area=ReviewAreaFactory(plan=ControlPlanFactory()), frequency_text="2 ggr/år")
    url = reverse("admin:internalcontrol_controlpoint_change", args=[point.pk])
    data = {
        "area": point.area_id,
        "order": point.order,
        "description": point.description,
        "method": point.method,
        "frequency_text": "Månadsvis",
        "responsible_role": point.responsible_role_id,
        "reported_to": point.reported_to,
        "custom_due_dates": "[]",
        "carried_from": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.per_year == 12


def test_reading_never_parses_the_text_again(monkeypatch):
    # given a plan written (and parsed) as usual
    plan = adopted_plan(frequency="Kvartalsvis")
    point = plan.areas.get().points.get()

    # when the parser is no longer reachable
    def refuse(text):
        raise AssertionError(f"parsed again: {text}")

    monkeypatch.setattr(frequency, "parse_frequency", refuse)
    monkeypatch.setattr(models, "parse_frequency", refuse)
    Check.objects.filter(due_date=D(2019, 12, 31)).delete()

    # then due dates, check generation and the exported plan still come from the stored fields
    point = ControlPoint.objects.get(pk=point.pk)
    assert point.due_dates(2019) == [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)]
    assert checks_generate(plan=plan) == 1
    assert plan_rows(plan)[3][3] == "Kvartalsvis"
