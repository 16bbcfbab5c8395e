"""A unit lead imports only rows their own unit owns: rows for another unit are refused with a
row-numbered Swedish error and nothing is stored — by the importer and in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import Activity
from goals.resources import ActivityResource, import_file

pytestmark = pytest.mark.django_db


def activities():
    own = Activity.objects.filter(unit__name="Navet science center", fiscal_year__year=2019).order_by("pk").first()
    other = (
        Activity.objects.filter(fiscal_year__year=2019)
        .exclude(unit__name="Navet science center")
        .order_by("pk")
        .first()
    )
    return own, other


def csv_for(*rows):
    dataset = ActivityResource().export(Activity.objects.filter(pk__in=[a.pk for a in rows]).order_by("pk"))
    titles = dataset.headers.index("Aktivitet")
    data = [list(row) for row in dataset]
    for row in data:
        row[titles] = row[titles] + " (importerad)"
    dataset = type(dataset)(*data, headers=dataset.headers)
    return dataset.export("csv").encode()


def titles():
    return dict(Activity.objects.values_list("pk", "title"))


def test_a_row_for_another_unit_is_refused_with_its_row_number_and_nothing_is_stored(demo_data):
    navet = get_user_model().objects.get(username="navet")
    own, other = activities()
    before = titles()
    result, errors = import_file(
        resource=ActivityResource(), content=csv_for(own, other), file_format="csv", user=navet
    )
    assert result.has_validation_errors()
    wrong_row = 2 + sorted([own.pk, other.pk]).index(other.pk)
    assert any(
        line.startswith(f"Rad {wrong_row}: Verksamhet: Du får bara importera rader som din egen verksamhet")
        and other.unit.name in line
        for line in errors
    ), errors
    assert titles() == before


def test_the_unit_lead_imports_their_own_units_rows(demo_data):
    navet = get_user_model().objects.get(username="navet")
    own, _other = activities()
    result, errors = import_file(resource=ActivityResource(), content=csv_for(own), file_format="csv", user=navet)
    assert errors == []
    own.refresh_from_db()
    assert own.title.endswith("(importerad)")


def test_the_director_imports_any_units_rows(demo_data):
    director = get_user_model().objects.get(username="direktor")
    own, other = activities()
    result, errors = import_file(
        resource=ActivityResource(), content=csv_for(own, other), file_format="csv", user=director
    )
    assert errors == []
    other.refresh_from_db()
    assert other.title.endswith("(importerad)")


def test_the_admin_import_refuses_another_units_row_for_a_unit_lead_with_admin_access(client, demo_data):
    navet = get_user_model().objects.get(username="navet")
    navet.is_staff = True
    navet.save()
    client.force_login(navet)
    own, other = activities()
    before = titles()
    upload = SimpleUploadedFile("aktiviteter.csv", csv_for(own, other), content_type="text/csv")
    response = client.post(reverse("admin:goals_activity_import"), {"import_file": upload, "format": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Du får bara importera rader som din egen verksamhet ansvarar för" in page
    assert titles() == before
    # and the admin change page of the other unit's activity is refused at object level
    response = client.post(
        reverse("admin:goals_activity_change", args=[other.pk]), {"title": "Kapad", "unit": own.unit_id}
    )
    assert response.status_code == 403
    assert titles() == before


def test_read_only_users_change_nothing_in_the_admin_even_with_staff_access(client, demo_data):
    revisor = get_user_model().objects.get(username="revisor")
    assert not revisor.is_staff
    assert client.get(reverse("admin:index")).status_code == 302
    revisor.is_staff = True
    revisor.save()
    client.force_login(revisor)
    own, _other = activities()
    before = titles()
    assert client.get(reverse("admin:goals_activity_changelist")).status_code == 200
    assert client.get(reverse("admin:goals_activity_add")).status_code == 403
    assert client.post(reverse("admin:goals_activity_change", args=[own.pk]), {"title": "X"}).status_code == 403
    assert client.get(reverse("admin:goals_activity_import")).status_code == 403
    assert client.get(reverse("admin:internalcontrol_controlplan_import")).status_code == 403
    assert titles() == before
