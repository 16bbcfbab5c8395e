"""A 5 000-row goal table (10 mål, 100 strategier, 1 000 aktiviteter, 5 000 mätetal with an outcome each,
numbers as people write them) dry-runs and imports whole. Its speed (≤ 10 s each) is a figure to measure with
the bench on an idle machine, not a timed assertion here: the seconds are only printed."""

import io
import time

import openpyxl
import pytest

from goals.models import Indicator, Outcome
from goals.resources import goals_import
from tests.factories import FiscalYearFactory, UnitFactory

pytestmark = pytest.mark.django_db

ROWS = 5000


def goal_table(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mål", "Strategi", "Ansvarig", "Aktivitet", "Indikator", "Enhet", "Utgångsvärde", "Målvärde",
                  "Period", "Utfall"])  # fmt: skip
    for i in range(rows):
        goal, strategy, activity = i // 500, i // 50, i // 5
        sheet.append([f"Mål {goal}", f"Strategi {strategy}", f"Enhet {activity % 10}", f"Aktivitet {activity}",
                      f"Mätetal {i}", "%", "1 234,5", f"Minst {i},5 %", "Delår 2027" if i % 2 else "Helår 2027",
                      f"{i % 100},7 %"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_5000_row_goal_table_dry_runs_and_imports_whole():
    FiscalYearFactory(year=2027)
    for n in range(10):
        UnitFactory(name=f"Enhet {n}")
    content = goal_table(ROWS)

    started = time.perf_counter()
    dry = goals_import(year=2027, path="plan.xlsx", content=content, dry_run=True)
    dry_seconds = time.perf_counter() - started
    started = time.perf_counter()
    done = goals_import(year=2027, path="plan.xlsx", content=content)
    import_seconds = time.perf_counter() - started

    assert dry.ok and done.ok, (dry.preview()[:3], done.preview()[:3])
    assert (Indicator.objects.count(), Outcome.objects.count()) == (ROWS, ROWS)
    print(f"5 000 rader: provkörning {dry_seconds:.1f} s, import {import_seconds:.1f} s")
    print(f"5 000 goal rows: dry run {dry_seconds:.1f} s, import {import_seconds:.1f} s")
