"""``manage.py export_year_data YEAR -o FILE.xlsx``: one sheet per model, the year's rows,
Swedish headings, formula-safe cells."""

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from federation.year_export import exported_models, sheet_title, year_queryset
from goals.models import Activity
from internalcontrol.models import Check

pytestmark = pytest.mark.django_db


def test_every_model_of_goals_and_internalcontrol_has_a_sheet():
    from django.apps import apps

    wanted = {
        model
        for app in ("goals", "internalcontrol")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert wanted <= set(exported_models())


def test_the_workbook_holds_every_row_of_the_year_with_swedish_headings(demo_data, tmp_path):
    activity = Activity.objects.filter(fiscal_year__year=2019).order_by("pk").first()
    activity.title = '=HYPERLINK("http://example.org")'
    activity.save()
    path = tmp_path / "data-2019.xlsx"
    call_command("export_year_data", "2019", "-o", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115

    workbook = load_workbook(path)
    assert workbook.sheetnames == [sheet_title(model) for model in exported_models()]
    for model in exported_models():
        sheet = workbook[sheet_title(model)]
        assert sheet.max_row - 1 == year_queryset(model, 2019).count(), sheet.title
    assert (
        workbook["Kontroller"].max_row - 1
        == Check.objects.filter(control_point__area__plan__fiscal_year__year=2019).count()
        == 71
    )
    headings = [cell.value for cell in workbook["Aktiviteter"][1]]
    assert "Ansvarig verksamhet" in headings and "Strategi" in headings
    titles = [
        row[headings.index("Aktivitet")] for row in workbook["Aktiviteter"].iter_rows(min_row=2, values_only=True)
    ]
    assert '\'=HYPERLINK("http://example.org")' in titles
    assert not any(cell.data_type == "f" for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row)
    years = workbook["Verksamhetsår"]
    assert [cell.value for cell in years[1]][:3] == ["Id", "År", "Startdatum"]
    assert years["B2"].value == 2019


def test_an_unknown_year_is_a_swedish_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Verksamhetsår 1999 finns inte"):
        call_command("export_year_data", "1999", "-o", str(tmp_path / "x.xlsx"))
