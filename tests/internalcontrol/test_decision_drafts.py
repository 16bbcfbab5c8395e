"""The tjänsteskrivelse to the Direktion: the beslutsförslag, the bilaga as a table, the director as signer."""

import io

import docx
import pytest
from django.urls import reverse

from federation import access
from internalcontrol.models import ControlPlan
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory
from tests.internalcontrol.factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, adopted_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def director():
    user = UserFactory(username="karin", first_name="Karin", last_name="Ek")
    RoleAssignmentFactory(user=user, role=RoleFactory(name="Förbundsdirektör", is_director=True))
    return user


def document(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return docx.Document(io.BytesIO(response.content))


def test_the_draft_for_a_plan_proposes_to_adopt_it_with_the_plan_as_bilaga(client, director):
    plan = ControlPlanFactory(fiscal_year__year=2021)
    area = ReviewAreaFactory(plan=plan, number=1, name="Redovisning")
    ControlPointFactory(area=area, description="Kontroll av leverantörsfakturor")
    client.force_login(director)
    word = document(client.get(reverse("internalcontrol:plan-adopt-draft", args=[plan.pk])))
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert "Direktionen föreslås besluta att fastställa internkontrollplan 2021 enligt bilaga." in texts
    for heading in ["Ärende", "Sammanfattning", "Beslutsunderlag", "Bilaga: Internkontrollplan 2021"]:
        assert heading in texts
    assert "Karin Ek" in texts and "Förbundsdirektör" in texts
    table = word.tables[0]
    assert table.rows[0].cells[1].text == "Kontrollmoment"
    assert "Kontroll av leverantörsfakturor" in [cell.text for cell in table.rows[1].cells]


def test_the_draft_for_a_follow_up_proposes_to_approve_it_with_the_follow_up_as_bilaga(client, director):
    plan = adopted_plan(year=2020, points=2)
    client.force_login(director)
    word = document(client.get(reverse("internalcontrol:plan-report-draft", args=[plan.pk])))
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert "Direktionen föreslås besluta att godkänna uppföljningen av intern kontroll 2020 enligt bilaga." in texts
    follow_up = word.tables[0]
    assert [cell.text for cell in follow_up.rows[0].cells][3:5] == ["Planerade", "Genomförda"]
    assert len(follow_up.rows) == 1 + 2 and follow_up.rows[1].cells[3].text == "2"


def test_only_the_director_gets_a_draft_and_sees_the_buttons(client, director):
    plan = adopted_plan(year=2020)
    chief = UserFactory(username="adminchef", groups=[access.ADMIN_CHIEF])
    client.force_login(chief)
    assert client.get(reverse("internalcontrol:plan-report-draft", args=[plan.pk])).status_code == 403
    assert "Tjänsteskrivelse" not in client.get(reverse("internalcontrol:index"), {"year": 2020}).content.decode()
    client.force_login(director)
    page = client.get(reverse("internalcontrol:index"), {"year": 2020}).content.decode()
    assert "Tjänsteskrivelse: godkänna uppföljningen (Word)" in page


def test_the_admin_action_gives_the_draft_for_the_plans_state(client, director):
    director.is_staff = True
    director.save()
    access.sync_groups()
    from django.contrib.auth.models import Group

    director.groups.add(Group.objects.get(name=access.DIRECTOR))
    plan = ControlPlanFactory(fiscal_year__year=2021)
    client.force_login(director)
    response = client.post(
        reverse("admin:internalcontrol_controlplan_changelist"),
        {"action": "decision_draft", "_selected_action": [plan.pk]},
    )
    texts = [paragraph.text for paragraph in document(response).paragraphs]
    assert "Direktionen föreslås besluta att fastställa internkontrollplan 2021 enligt bilaga." in texts
    assert ControlPlan.objects.get(pk=plan.pk).status == ControlPlan.Status.DRAFT


def test_the_plan_buttons_stand_apart_in_a_row_with_a_gap(client, director):
    from pathlib import Path

    from django.conf import settings

    plan = ControlPlanFactory(fiscal_year__year=2021)
    ControlPointFactory(area=ReviewAreaFactory(plan=plan, number=1, name="Redovisning"))
    client.force_login(director)
    page = client.get(reverse("internalcontrol:index"), {"year": 2021}).content.decode()
    assert '<p class="ic-plan-actions">' in page and "Anta planen" in page
    css = (Path(settings.BASE_DIR) / "federation/static/federation/app.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith(".ic-plan-actions {"))
    assert "gap:" in rule
