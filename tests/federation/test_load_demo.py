import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from federation.models import Decision, FiscalYear, Municipality, Role, RoleAssignment, Unit

pytestmark = pytest.mark.django_db

MEMBERS = {
    "Bollebygd": "1443",
    "Borås": "1490",
    "Herrljunga": "1466",
    "Mark": "1463",
    "Svenljunga": "1465",
    "Tranemo": "1452",
    "Ulricehamn": "1491",
    "Vårgårda": "1442",
}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Municipality, Unit, Role, RoleAssignment, FiscalYear, Decision, get_user_model()]
    }


def test_demo_data_loads_twice_without_duplicates(demo_data):
    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before
    assert before["Municipality"] == 9


def test_demo_members_have_their_real_kommunkoder_and_varberg_is_adjungerad(demo_data):
    members = dict(Municipality.objects.filter(membership="member").values_list("name", "code"))
    assert members == MEMBERS
    assert Municipality.objects.get(name="Varberg").get_membership_display() == "Adjungerad"


def test_kansliets_areas_lie_under_forbundskansliet(demo_data):
    areas = set(Unit.objects.filter(parent__name="Förbundskansliet").values_list("name", flat=True))
    assert areas == {
        "Näringsliv",
        "Kompetens",
        "Välfärd",
        "Samhällsplanering",
        "Miljöstrategisk samverkan",
        "Kultur",
        "Destination Boråsregionen",
        "Infrastruktur",
        "eKontoret",
    }


@pytest.mark.parametrize(
    "username, groups, role",
    [
        ("direktor", ["Förbundsdirektör"], "Förbundsdirektör"),
        ("adminchef", ["Administrativ chef"], "Administrativ chef"),
        ("navet", ["Enhetsledare"], "Verksamhetschef Navet science center"),
        ("revisor", ["Läsbehörighet", "Revisor"], None),
        ("direktion", ["Läsbehörighet"], None),
    ],
)
def test_demo_users_log_in_with_password_demo_and_hold_their_roles(client, demo_data, username, groups, role):
    user = get_user_model().objects.get(username=username)
    assert user.check_password("demo")
    assert list(user.groups.order_by("name").values_list("name", flat=True)) == groups
    held = set(user.role_assignments.values_list("role__name", flat=True))
    assert held == ({role} if role else set())
    assert client.login(username=username, password="demo")


def test_no_user_exists_after_migrations_alone():
    assert get_user_model().objects.count() == 0


def test_read_only_group_can_view_but_not_change_anything(demo_data):
    revisor = get_user_model().objects.get(username="revisor")
    assert revisor.has_perm("federation.view_unit")
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in revisor.get_all_permissions())
