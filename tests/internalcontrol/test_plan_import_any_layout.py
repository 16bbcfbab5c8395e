"""Plans as other organisations write them are imported without retyping: own column names, title rows,
a cover sheet, merged cells, formula cells, semicolon Windows-1252 CSV, risk columns on a 1–5 scale,
event-driven frequencies, unknown roles, a column mapping that is remembered — and every refusal stores
nothing."""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from federation.models import ImportLayout, Role
from internalcontrol.models import ControlPlan, ControlPoint, ReviewArea, Risk
from internalcontrol.resources import plan_import
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db

PROCESS_HEADER = ["Process", "Kontrollaktivitet", "Metod", "Periodicitet", "Ansvarig", "Rapport till",
                  "Sannolikhet", "Konsekvens", "Riskvärde", "Riskbeskrivning"]  # fmt: skip


@pytest.fixture
def roles():
    return [RoleFactory(name="Ekonomichef"), RoleFactory(name="Controller")]


def workbook(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_saved_value(content: bytes, cell: str, value: str) -> bytes:
    """``content`` with a saved (cached) value for the formula in ``cell`` of the first sheet, as Excel writes it."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(
                    rf'(<c r="{cell}"[^>]*)>(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                    rf'\1 t="str">\2<v>{value}</v>',
                    text,
                )
                data = text.encode()
            out.writestr(item, data)
    return target.getvalue()


def process_plan_rows():
    return [
        ["Internkontrollplan 2021 – Kommunstyrelsen", None],
        ["Antagen av kommunstyrelsen", None],
        [],
        PROCESS_HEADER,
        ["Inköp", "Avtalstrohet vid inköp", "Stickprov 10 fakturor", "Tertialvis", "Ekonomichef", "Kommunstyrelsen",
         3, 4, 12, "Inköp utanför avtal"],
        ["Inköp", "Attest av fakturor", "Stickprov", "Halvår", "Controller", "Förvaltningschef", 2, 2, 4, None],
        ["Personal", "Introduktion av nyanställda", "Checklista", "Vid varje nyanställning", "Controller",
         "Kommunstyrelsen", 2, 3, 6, "Bristande introduktion"],
        ["Personal", "Lönekontroll", "Stickprov", "Mars, augusti, december", "Ekonomichef", "Kommunstyrelsen",
         None, None, None, None],
    ]  # fmt: skip


def test_a_process_plan_with_its_own_headers_and_a_title_is_imported_with_risks_and_reporting(roles):
    result = plan_import(year=2021, path="plan.xlsx", content=workbook({"Plan": process_plan_rows()}))

    assert result.ok, result.preview()
    plan = ControlPlan.objects.get(fiscal_year__year=2021)
    assert list(ReviewArea.objects.filter(plan=plan).values_list("number", "name")) == [(1, "Inköp"), (2, "Personal")]
    points = {p.description: p for p in ControlPoint.objects.filter(area__plan=plan)}
    assert points["Avtalstrohet vid inköp"].reported_to == "Kommunstyrelsen"
    assert points["Attest av fakturor"].reported_to == "Förvaltningschef"
    assert points["Avtalstrohet vid inköp"].per_year == 3
    assert points["Attest av fakturor"].per_year == 2
    assert points["Introduktion av nyanställda"].event_driven
    assert points["Introduktion av nyanställda"].due_dates(2021) == []
    assert [d.month for d in points["Lönekontroll"].due_dates(2021)] == [3, 8, 12]
    risks = {r.title: r for r in Risk.objects.filter(plan=plan).prefetch_related("control_points")}
    assert set(risks) == {"Inköp utanför avtal", "Attest av fakturor", "Bristande introduktion"}
    assert (risks["Inköp utanför avtal"].likelihood, risks["Inköp utanför avtal"].consequence) == (3, 4)
    assert [p.description for p in risks["Bristande introduktion"].control_points.all()] == [
        "Introduktion av nyanställda"
    ]


def test_a_cover_sheet_is_skipped_and_the_plan_on_the_second_sheet_is_read(roles):
    content = workbook(
        {"Försättsblad": [["Internkontrollplan 2021"], ["Kommunstyrelsen"]], "Plan": process_plan_rows()}
    )

    result = plan_import(year=2021, path="plan.xlsx", content=content)

    assert result.ok, result.preview()
    assert ControlPoint.objects.filter(area__plan__fiscal_year__year=2021).count() == 4


def test_two_sheets_with_a_plan_ask_which_one_and_the_chosen_sheet_is_read(roles):
    other = [PROCESS_HEADER, ["Kassa", "Kassainventering", "Räkning", "Kvartal", "Controller", "KS"]]
    content = workbook({"Plan 2021": process_plan_rows(), "Plan 2020": other})

    refused = plan_import(year=2021, path="plan.xlsx", content=content)
    assert refused.sheets == ["Plan 2021", "Plan 2020"]
    assert "Välj vilket blad" in refused.preview()[0]
    assert not ControlPoint.objects.exists()

    chosen = plan_import(year=2021, path="plan.xlsx", content=content, sheet="Plan 2020")
    assert chosen.ok, chosen.preview()
    assert list(ControlPoint.objects.values_list("description", flat=True)) == ["Kassainventering"]


def test_merged_cells_carry_their_value_to_every_row_they_span(roles):
    rows = [PROCESS_HEADER[:5],
            ["Inköp", "Avtalstrohet", "Stickprov", "Kvartalsvis", "Ekonomichef"],
            [None, "Attest", "Stickprov", None, "Ekonomichef"],
            [None, "Leverantörsregister", "Genomgång", None, "Controller"]]  # fmt: skip
    content = workbook({"Plan": rows}, merges={"Plan": ["A2:A4", "D2:D4"]})

    result = plan_import(year=2021, path="plan.xlsx", content=content)

    assert result.ok, result.preview()
    points = ControlPoint.objects.order_by("order")
    assert [p.per_year for p in points] == [4, 4, 4]
    assert {p.area.name for p in points} == {"Inköp"}


def test_a_formula_cell_uses_its_saved_value_and_one_without_is_a_row_error(roles):
    rows = [PROCESS_HEADER[:5], ["Inköp", '=CONCATENATE("Avtals","trohet")', "Stickprov", "Kvartalsvis", "Controller"]]
    content = workbook({"Plan": rows})

    refused = plan_import(year=2021, path="plan.xlsx", content=content)
    assert refused.errors == [(2, refused.errors[0][1])]
    assert "formel utan sparat värde" in refused.errors[0][1]
    assert not ControlPlan.objects.exists()

    saved = plan_import(year=2021, path="plan.xlsx", content=with_saved_value(content, "B2", "Avtalstrohet"))
    assert saved.ok, saved.preview()
    assert ControlPoint.objects.get().description == "Avtalstrohet"


def test_a_semicolon_windows_1252_csv_with_a_title_line_is_read(roles):
    text = (
        "Internkontrollplan 2021;;;;\r\n"
        ";;;;\r\n"
        "Kontrollområde;Kontrollpunkt;Hur;När;Utförs av\r\n"
        "Lön;Lönekontroll för nyanställda;Stickprov;Varje månad;Ekonomichef\r\n"
        "Lön;Semesterskuld;Avstämning;En gång per år;Controller\r\n"
    )

    result = plan_import(year=2021, path="plan.csv", content=text.encode("cp1252"))

    assert result.ok, result.preview()
    assert list(ControlPoint.objects.order_by("order").values_list("description", "per_year")) == [
        ("Lönekontroll för nyanställda", 12),
        ("Semesterskuld", 1),
    ]
    assert ReviewArea.objects.get().name == "Lön"


def test_risk_values_on_a_1_to_5_scale_need_that_scale_and_a_wrong_risk_value_is_reported(roles):
    rows = [PROCESS_HEADER, ["Inköp", "Avtalstrohet", "Stickprov", "Kvartal", "Controller", "KS", 5, 4, 16, "Avtal"]]
    content = workbook({"Plan": rows})

    refused = plan_import(year=2021, path="plan.xlsx", content=content)
    assert not refused.ok
    assert "riskskala 1–4" in refused.preview()[0]
    assert not Risk.objects.exists() and not ControlPoint.objects.exists()

    result = plan_import(year=2021, path="plan.xlsx", content=content, risk_scale=5)
    assert result.ok, result.preview()
    assert ControlPlan.objects.get().risk_scale == 5
    risk = Risk.objects.get()
    assert (risk.likelihood, risk.consequence, risk.scale) == (5, 4, 5)
    assert "skiljer sig från S×K" in result.warning_lines()[0]
    assert risk.tone()[0] == "red"


def test_unknown_roles_are_refused_with_a_hint_and_created_without_holders_when_asked():
    content = workbook({"Plan": process_plan_rows()})

    refused = plan_import(year=2021, path="plan.xlsx", content=content)
    assert not refused.ok
    assert "Okänd roll: Ekonomichef" in " ".join(refused.preview())
    assert "Roller som saknas: Controller, Ekonomichef" in " ".join(refused.notes)
    assert not Role.objects.filter(name__in=["Ekonomichef", "Controller"]).exists()

    dry = plan_import(year=2021, path="plan.xlsx", content=content, create_roles=True, dry_run=True)
    assert dry.ok, dry.preview()
    assert "Skapar rollen Controller – utan innehavare." in dry.notes
    assert not Role.objects.filter(name="Controller").exists()

    done = plan_import(year=2021, path="plan.xlsx", content=content, create_roles=True)
    assert done.ok
    controller = Role.objects.get(name="Controller")
    assert not controller.assignments.exists()
    assert ControlPoint.objects.filter(responsible_role=controller).count() == 2


def test_unrecognised_columns_get_a_mapping_that_is_remembered_for_the_next_file(roles):
    rows = [["Vad vi granskar", "Vad gör vi", "Hur ofta", "Vem", "Anteckning"],
            ["Kassa", "Kassainventering", "Kvartalsvis", "Controller", "Görs av två personer"]]  # fmt: skip
    content = workbook({"Plan": rows})

    refused = plan_import(year=2021, path="plan.xlsx", content=content)
    assert refused.unmapped == ["Vad vi granskar", "Vad gör vi", "Hur ofta", "Vem", "Anteckning"]
    assert "känns inte igen" in refused.preview()[0]

    mapping = "Vad vi granskar=Granskningsområde, Vad gör vi=Kontrollmoment, Hur ofta=Frekvens, Vem=Kontrollansvarig"
    dry = plan_import(year=2021, path="plan.xlsx", content=content, mapping=mapping, dry_run=True)
    assert dry.ok, dry.preview()
    assert dry.ignored == ["Anteckning"]
    assert not ImportLayout.objects.exists()

    assert plan_import(year=2021, path="plan.xlsx", content=content, mapping=mapping).ok
    assert ImportLayout.objects.count() == 1
    again = plan_import(year=2022, path="plan.xlsx", content=content)
    assert again.ok, again.preview()
    assert ControlPoint.objects.filter(area__plan__fiscal_year__year=2022).get().description == "Kassainventering"


def test_a_mapping_to_an_unknown_field_is_a_swedish_error():
    with pytest.raises(Exception, match="Okänt fält ”vemdå”"):
        plan_import(year=2021, path="plan.xlsx", content=workbook({"Plan": [["A"]]}), mapping="A=vemdå")


def test_the_command_takes_the_options_and_exits_non_zero_on_refusal(tmp_path, roles):
    path = tmp_path / "plan.xlsx"
    rows = [["Vad vi granskar", "Vad gör vi", "Hur ofta", "Vem"], ["Kassa", "Inventering", "Tertial", "Kassör"]]
    path.write_bytes(workbook({"Plan": rows}))
    mapping = "Vad vi granskar=Granskningsområde,Vad gör vi=Kontrollmoment,Hur ofta=Frekvens,Vem=Kontrollansvarig"

    with pytest.raises(CommandError, match="inget har sparats"):
        call_command("import_control_plan", str(path), "--year", "2021", "--map", mapping)
    assert not ControlPoint.objects.exists()

    call_command("import_control_plan", str(path), "--year", "2021", "--map", mapping, "--create-roles")
    assert ControlPoint.objects.get().responsible_role.name == "Kassör"


def test_an_area_numbered_0_is_a_swedish_row_error_and_nothing_is_stored():
    from internalcontrol.models import ControlPlan
    from internalcontrol.resources import plan_import

    RoleFactory(name="Administrativ chef")
    content = workbook(
        {
            "Plan": [
                ["Granskningsområde", "Kontrollmoment", "Frekvens", "Kontrollansvarig"],
                ["0. Redovisning", "Kontroll av bokförda poster", "2 ggr/år", "Administrativ chef"],
                [None, "Kontroll av fakturor", "Årligen", "Administrativ chef"],
            ]
        }
    )

    result = plan_import(year=2031, path="plan.xlsx", content=content)

    assert not result.ok
    assert any("nummer måste vara 1 eller högre" in line for line in result.preview())
    assert not any("CHECK" in line or "constraint" in line for line in result.preview())
    assert not ControlPlan.objects.filter(fiscal_year__year=2031).exists()
