"""The Bevispaket tab shows exactly for those who may open it (permissions.may_get_evidence_pack)."""

import pytest
from django.urls import reverse

from federation import access
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.internalcontrol.factories import adopted_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plan():
    return adopted_plan(year=2019, points=1)


def plan_page(client, user):
    client.force_login(user)
    response = client.get(reverse("internalcontrol:index"), {"year": 2019})
    assert response.status_code == 200
    return response.content.decode()


def evidence_pack_href():
    return f'href="{reverse("internalcontrol:evidence-pack")}"'


def test_a_direktion_reader_does_not_see_the_tab_nor_may_open_the_pack(client):
    reader = UserFactory(username="direktion", groups=[access.READ_ONLY])
    assert evidence_pack_href() not in plan_page(client, reader)
    assert client.get(reverse("internalcontrol:evidence-pack")).status_code == 403


def test_a_revisor_sees_the_tab_and_may_open_the_pack(client):
    revisor = UserFactory(username="revisor", groups=[access.READ_ONLY, access.AUDITOR])
    assert evidence_pack_href() in plan_page(client, revisor)
    assert client.get(reverse("internalcontrol:evidence-pack")).status_code == 200


def test_the_director_sees_the_tab(client):
    director = UserFactory(username="karin")
    RoleAssignmentFactory(user=director, role=RoleFactory(name="Förbundsdirektör", is_director=True))
    assert evidence_pack_href() in plan_page(client, director)
