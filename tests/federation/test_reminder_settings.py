"""ReminderSettings.load reads and never writes; the admin goes to the one row, or to its form with the defaults."""

import pytest

from federation.models import ReminderSettings

pytestmark = pytest.mark.django_db


def test_load_without_a_row_gives_the_defaults_unsaved_in_one_query(django_assert_num_queries):
    ReminderSettings.objects.all().delete()
    with django_assert_num_queries(1):
        settings_row = ReminderSettings.load()
    assert settings_row.pk == 1 and settings_row._state.adding
    assert (settings_row.check_lead_days_long, settings_row.escalate_after_days) == (28, 30)
    assert not ReminderSettings.objects.exists()


def test_load_gives_the_saved_row():
    ReminderSettings.objects.update_or_create(pk=1, defaults={"action_lead_days": 3})
    assert ReminderSettings.load().action_lead_days == 3


def test_the_admin_list_leads_to_the_form_with_the_defaults_and_saving_it_makes_the_one_row(admin_client):
    ReminderSettings.objects.all().delete()
    response = admin_client.get("/admin/federation/remindersettings/")
    assert response.status_code == 302 and response["Location"].endswith("/admin/federation/remindersettings/add/")
    assert not ReminderSettings.objects.exists()

    form = admin_client.get(response["Location"]).context["adminform"].form
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data = {name: value for name, value in data.items() if value is not False}
    assert admin_client.post(response["Location"], data).status_code == 302
    assert list(ReminderSettings.objects.values_list("pk", flat=True)) == [1]
    response = admin_client.get("/admin/federation/remindersettings/")
    assert response["Location"].endswith("/admin/federation/remindersettings/1/change/")
