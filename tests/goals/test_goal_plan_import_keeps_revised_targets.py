"""A goal plan imported again with another målvärde keeps the old one (a TargetRevision with its reason), as a
revision in the admin does; a dry run only counts it."""

import io
from decimal import Decimal

import openpyxl
import pytest

from goals.models import Indicator, TargetRevision
from goals.resources import goals_import
from goals.services import IMPORT_REVISION_REASON
from tests.factories import FiscalYearFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["Mål", "Strategi", "Verksamhet", "Aktivitet", "Mätetal", "Målvärde"]


def plan(target: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(["Mål A", "Strategi A", "Navet", "Aktivitet A", "Besök", target])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def organisation():
    FiscalYearFactory(year=2027)
    UnitFactory(name="Navet")


def test_a_changed_target_keeps_the_old_value_with_the_import_as_its_reason():
    assert goals_import(year=2027, path="a.xlsx", content=plan("Minst 10")).ok

    result = goals_import(year=2027, path="b.xlsx", content=plan("Minst 12"))

    assert result.ok, result.preview()
    assert Indicator.objects.get().target == Decimal("12")
    revision = TargetRevision.objects.get()
    assert (revision.old_target, revision.new_target, revision.reason) == (
        Decimal("10"),
        Decimal("12"),
        IMPORT_REVISION_REASON,
    )
    assert "1 ändrade målvärden" in result.summary()


def test_a_dry_run_counts_the_revision_and_stores_nothing():
    goals_import(year=2027, path="a.xlsx", content=plan("Minst 10"))

    result = goals_import(year=2027, path="b.xlsx", content=plan("Minst 12"), dry_run=True)

    assert result.counts["revised_targets"] == 1
    assert not TargetRevision.objects.exists() and Indicator.objects.get().target == Decimal("10")


def test_the_same_target_again_is_no_revision():
    goals_import(year=2027, path="a.xlsx", content=plan("Minst 10"))

    goals_import(year=2027, path="b.xlsx", content=plan("Minst 10"))

    assert not TargetRevision.objects.exists()
