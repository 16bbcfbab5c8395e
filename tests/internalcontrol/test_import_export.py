"""Import of a Bilaga-2-shaped sheet (merged area cells, group rows, title rows), rejection of a bad one
with nothing stored, and export → import → export giving the same file content."""

import csv
import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from internalcontrol.models import Check, ControlGroup, ControlPlan, ControlPoint, ReviewArea
from internalcontrol.resources import plan_import
from tests.factories import FiscalYearFactory, RoleFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = [
    "Granskningsområde",
    "Kontrollmoment",
    "Kontrollmetod",
    "Frekvens",
    "Kontrollansvarig",
    "Resultat av granskning",
]


@pytest.fixture
def roles():
    return [RoleFactory(name="Administrativ chef"), RoleFactory(name="Ekonom Navet")]


def write_xlsx(path, rows, merges=()):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


GOOD = [
    ["Internkontrollplan 2021", None, None, None, None, None],
    [],
    HEADER,
    ["Ekonomi och administration"],
    ["1. Redovisning", "Kontroll av bokförda poster", "Stickprov", "2 ggr/år", "Administrativ chef", "Utan anmärkning"],
    [None, "Kontroll av leverantörsfakturor och kontering", "Kontrollera avvikelser mot föregående år", "2ggr/år",
     "Administrativ chef", None],
    [None, "Utbetalning ska ske med korrekta uppgifter", "Stickprov", "Kvartalsvis", "administrativ chef", None],
    ["6. Handkassa", "Handkassan ska vara korrekt", "Kontroll av kvitton", "1gång/år", "Ekonom Navet", None],
    ["Styrdokument"],
    ["17. Attesträtt", "Namnprover över attestanter", "Är den upprättad?", "1 gång/år samt löpande",
     "Administrativ chef", "Attestlista upprättad"],
    [None, "Beslutsattest ska ske av rätt person", "Stickprov", "Löpande", "Administrativ chef", None],
]  # fmt: skip


def test_a_bilaga_2_sheet_with_merged_area_cells_is_imported_into_a_new_draft(tmp_path, roles):
    FiscalYearFactory(year=2021)
    path = write_xlsx(tmp_path / "plan.xlsx", GOOD, merges=["A5:A7", "F5:F7", "A10:A11"])
    call_command("import_control_plan", str(path), "--year", "2021", stdout=open("/dev/null", "w"))  # noqa: SIM115

    plan = ControlPlan.objects.get(fiscal_year__year=2021)
    assert plan.status == "draft"
    assert list(plan.groups.values_list("name", flat=True)) == ["Ekonomi och administration", "Styrdokument"]
    areas = {a.number: a for a in ReviewArea.objects.filter(plan=plan).select_related("group")}
    assert sorted(areas) == [1, 6, 17]
    assert (areas[1].name, areas[1].result_text, areas[1].group.name) == (
        "Redovisning", "Utan anmärkning", "Ekonomi och administration"
    )  # fmt: skip
    assert areas[17].group.name == "Styrdokument"
    points = list(ControlPoint.objects.filter(area=areas[1]).order_by("order"))
    assert [p.per_year for p in points] == [2, 2, 4]
    assert points[2].responsible_role.name == "Administrativ chef"
    assert ControlPoint.objects.get(area=areas[17], order=2).continuous
    assert not Check.objects.exists()


def test_a_role_is_found_whatever_the_case_of_its_swedish_letters(tmp_path, roles):
    RoleFactory(name="Skyddskommittén")
    rows = [r[:] for r in GOOD]
    rows[4][4] = "SKYDDSKOMMITTÉN"
    rows[5][4] = "administrativ chef"
    result = plan_import(year=2021, path=write_xlsx(tmp_path / "plan.xlsx", rows))

    assert result.errors == []
    points = ControlPoint.objects.filter(area__plan=result.plan).select_related("responsible_role")
    assert {p.responsible_role.name for p in points} >= {"Skyddskommittén", "Administrativ chef"}


def test_a_bad_sheet_reports_every_bad_row_in_swedish_and_stores_nothing(tmp_path, roles):
    rows = [r[:] for r in GOOD]
    rows[4][4] = "Kassör"  # unknown role, row 5
    rows[5][3] = "varannan vecka"  # bad frequency, row 6
    rows[6][1] = None  # empty kontrollmoment, row 7
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    with pytest.raises(CommandError, match="3 fel"):
        call_command("import_control_plan", str(path), "--year", "2021", stderr=open("/dev/null", "w"))  # noqa: SIM115
    result = plan_import(year=2021, path=path)
    assert [number for number, _ in result.errors] == [5, 6, 7]
    assert "Okänd roll: Kassör" in result.errors[0][1]
    assert "Okänd frekvens ”varannan vecka”" in result.errors[1][1]
    assert "Kontrollmoment saknas" in result.errors[2][1]
    assert not ControlPlan.objects.exists() and not ReviewArea.objects.exists() and not ControlGroup.objects.exists()


def test_dry_run_previews_and_writes_nothing(tmp_path, roles):
    path = write_xlsx(tmp_path / "plan.xlsx", GOOD)
    result = plan_import(year=2021, path=path, dry_run=True)
    assert result.ok and result.rows == 6
    assert result.preview_rows[0] == (
        5,
        "1. Redovisning",
        "Kontroll av bokförda poster",
        "Stickprov",
        "2 ggr/år",
        "Administrativ chef",
    )
    assert not ControlPoint.objects.exists() and not ControlPlan.objects.exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_import_export_gives_the_same_content(tmp_path, demo_data, suffix):
    first = tmp_path / f"first{suffix}"
    second = tmp_path / f"second{suffix}"
    call_command("export_control_plan", "--year", "2019", "-o", str(first), stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("import_control_plan", str(first), "--year", "2022", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("export_control_plan", "--year", "2022", "-o", str(second), stdout=open("/dev/null", "w"))  # noqa: SIM115

    def content(path):
        if suffix == ".csv":
            return path.read_text(encoding="utf-8-sig").replace("2022", "2019")
        rows = [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]
        return str(rows).replace("2022", "2019")

    assert content(first) == content(second)
    assert ControlPoint.objects.filter(area__plan__fiscal_year__year=2022).count() == 35
    assert ReviewArea.objects.filter(plan__fiscal_year__year=2022).count() == 26


def test_exported_cells_are_neutralised_against_formula_injection(tmp_path, roles):
    rows = [r[:] for r in GOOD]
    rows[4][2] = '=HYPERLINK("http://x")'
    path = tmp_path / "plan.csv"  # a CSV cell keeps the text; in XLSX it would be a formula
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([[c or "" for c in row] for row in rows])
    assert plan_import(year=2021, path=path).ok
    assert ControlPoint.objects.filter(method__startswith="=").count() == 1
    out = tmp_path / "out.csv"
    call_command("export_control_plan", "--year", "2021", "-o", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_checks_export_to_xlsx(tmp_path, demo_data):
    out = tmp_path / "checks.xlsx"
    call_command(
        "export_control_plan",
        "--year",
        "2019",
        "--checks",
        "-o",
        str(out),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Granskningsområde", "Kontrollmoment", "Kontrollansvarig", "Förfallodag")
    assert len(rows) - 1 == Check.objects.filter(control_point__area__plan__fiscal_year__year=2019).count()
    assert any(r[6] == "Med anmärkning" for r in rows[1:])


def test_unreadable_files_duplicate_areas_and_missing_roles_are_refused(tmp_path, roles):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="kunde inte läsas"):
        call_command("import_control_plan", str(junk), "--year", "2021")
    rows = [r[:] for r in GOOD]
    rows[7][0] = "1. Redovisning igen"  # row 8 repeats area number 1
    rows[9][4] = None  # row 10 has no kontrollansvarig
    result = plan_import(year=2021, path=write_xlsx(tmp_path / "dup.xlsx", rows))
    assert [number for number, _ in result.errors] == [8, 10]
    assert "förekommer mer än en gång" in result.errors[0][1]
    assert "Kontrollansvarig saknas" in result.errors[1][1]
    assert not ControlPlan.objects.exists()


def test_a_csv_saved_by_swedish_excel_in_cp1252_with_semicolons_is_read(tmp_path, roles):
    lines = ["Granskningsområde;Kontrollmoment;Kontrollmetod;Frekvens;Kontrollansvarig",
             "1. Redovisning;Kontroll av bokförda poster;Stickprov;Månadsvis;Administrativ chef"]  # fmt: skip
    path = tmp_path / "plan.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    assert plan_import(year=2021, path=path).ok
    assert ControlPoint.objects.get().description == "Kontroll av bokförda poster"
