"""A revised målvärde keeps the old one with when, by whom and why; a change without a reason is refused
(service, database and the admin form), and the report shows both values."""

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from federation.reports.builder import build_year_report
from goals.admin import IndicatorAdminForm
from goals.models import Indicator, TargetRevision
from goals.services import indicator_target_revise
from tests.goals.factories import director

from ._goal_data import goal_plan

pytestmark = pytest.mark.django_db


def test_the_service_keeps_the_old_target_with_when_who_and_why():
    indicator = goal_plan()["indicator"]
    user = director()
    revision = indicator_target_revise(indicator, target=120, reason="Fler etableringar än väntat", user=user)
    indicator.refresh_from_db()
    assert indicator.target == 120
    assert (revision.old_target, revision.new_target, revision.changed_by, revision.reason) == (
        90, 120, user, "Fler etableringar än väntat"
    )  # fmt: skip
    assert revision.changed_at is not None


def test_the_service_refuses_a_change_without_a_reason_and_ignores_no_change():
    from django.core.exceptions import ValidationError

    indicator = goal_plan()["indicator"]
    with pytest.raises(ValidationError, match="Ange varför målvärdet ändras."):
        indicator_target_revise(indicator, target=120, reason="  ", user=None)
    assert indicator_target_revise(indicator, target=90, reason="", user=None) is None
    assert not TargetRevision.objects.exists()


def test_the_database_refuses_a_revision_without_a_reason():
    indicator = goal_plan()["indicator"]
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetRevision.objects.create(indicator=indicator, old_target=90, new_target=120, reason="")


def test_the_admin_form_requires_a_reason_when_the_target_changes():
    indicator = goal_plan()["indicator"]
    form_class = modelform_factory(Indicator, form=IndicatorAdminForm, fields=["name", "target", "target_text"])
    form = form_class({"name": indicator.name, "target": "120", "target_text": ""}, instance=indicator)
    assert not form.is_valid()
    assert form.errors["target_reason"] == ["Ange varför målvärdet ändras."]
    same = form_class({"name": "Nytt namn", "target": "90", "target_text": ""}, instance=indicator)
    assert same.is_valid()


def test_the_report_shows_the_new_target_and_the_old_one_with_its_reason(registered_builders):
    data = goal_plan()
    revision = indicator_target_revise(data["indicator"], target=120, reason="Fler etableringar", user=None)
    report = build_year_report(fiscal_year=2019, follow_up="helår")
    text = "\n".join(cell.text for table in report.tables() for row in table.cells() for cell in row)
    assert (
        f"målvärde Minst 120 antal (ändrat från Minst 90 antal {revision.changed_at:%Y-%m-%d}: Fler etableringar)"
        in text
    )
