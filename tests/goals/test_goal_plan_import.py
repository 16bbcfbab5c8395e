"""A whole goal plan from a spreadsheet (goals.resources.goals_import, manage.py import_goals): the product's
own layout, another organisation's headers with and without a mapping, numbers as people write them, Swedish
errors, and a refused file that stores nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from federation.models import FiscalYear, FollowUp
from goals.exports import HEADER, export_bytes
from goals.models import Activity, Direction, DirectionGoal, Indicator, Outcome, Strategy
from goals.resources import goals_import
from tests.factories import FiscalYearFactory, MunicipalityFactory, UnitFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, *, title_rows=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts():
    return [m.objects.count() for m in (DirectionGoal, Strategy, Activity, Indicator, Outcome)]


@pytest.fixture
def organisation():
    FiscalYearFactory(year=2027)
    return {"navet": UnitFactory(name="Navet"), "kansliet": UnitFactory(name="Förbundskansliet")}


OWN_HEADERS = ["Nämndmål", "Strategi", "Ansvarig enhet", "Aktivitet", "Indikator", "Utgångsvärde", "Målnivå",
               "Uppföljning", "Kommun", "Resultat", "Anteckning"]  # fmt: skip


def test_the_products_own_layout_brings_in_goals_strategies_activities_indicators_and_outcomes(organisation):
    content = xlsx(
        [
            HEADER,
            ["Fler unga fullföljer", "", "Stärka skolan", "Navet", "1. Skolbesök", "", "", "", "", "", ""],
            ["Fler unga fullföljer", "", "Stärka skolan", "Navet", "1. Skolbesök", "Besökande elever",
             "Delår 2027", "", "Minst 500 st", "1 234", ""],
            ["Fler unga fullföljer", "", "Stärka skolan", "Navet", "1. Skolbesök", "Besökande elever",
             "Helår 2027", "", "Minst 500 st", "2 345", ""],
            ["Fler unga fullföljer", "", "Stärka skolan", "Förbundskansliet", "", "Andel nöjda",
             "Helår 2027", "", "Minst 87 %", "12 av 20 (60 %)", ""],
        ]
    )  # fmt: skip

    result = goals_import(year=2027, path="mal.xlsx", content=content)

    assert result.ok, result.preview()
    activity = Activity.objects.get()
    assert (activity.number, activity.title, activity.unit.name) == ("1", "Skolbesök", "Navet")
    assert activity.strategy.title == "Stärka skolan"
    assert activity.strategy.direction_goal.title == "Fler unga fullföljer"
    assert {u.name for u in activity.strategy.units.all()} == {"Förbundskansliet"}
    visits = Indicator.objects.get(name="Besökande elever")
    assert (visits.activity, visits.direction, visits.target, visits.unit_of_measure) == (
        activity, Direction.AT_LEAST, Decimal("500"), "st")  # fmt: skip
    assert dict(visits.outcomes.values_list("follow_up__kind", "value")) == {
        FollowUp.Kind.INTERIM: Decimal("1234"),
        FollowUp.Kind.ANNUAL: Decimal("2345"),
    }
    share = Indicator.objects.get(name="Andel nöjda")
    assert share.strategy == activity.strategy and share.is_share and share.target == Decimal("87")
    outcome = share.outcomes.get()
    assert (outcome.numerator, outcome.denominator, outcome.value) == (Decimal("12"), Decimal("20"), None)


def test_the_products_own_export_imports_again_without_changing_anything(organisation):
    goals_import(
        year=2027,
        path="a.xlsx",
        content=xlsx([["Mål", "Strategi", "Verksamhet", "Aktivitet", "Mätetal", "Målvärde", "Period", "Utfall"],
                      ["Mål A", "Strategi A", "Navet", "Aktivitet A", "Besök", "Minst 10", "Helår", "12"]]),
    )  # fmt: skip
    before = counts()
    exported = export_bytes(FiscalYear.objects.get(year=2027), "xlsx")

    result = goals_import(year=2027, path="export.xlsx", content=exported)

    assert result.ok, result.preview()
    assert counts() == before
    assert result.counts == {
        "direction_goals": 0,
        "strategies": 0,
        "activities": 0,
        "indicators": 0,
        "outcomes": 0,
        "revised_targets": 0,
    }


def test_own_headers_on_a_second_sheet_below_a_title_are_recognised_and_numbers_read_as_written(organisation):
    kommun = MunicipalityFactory(name="Borås", code="1490")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Försättsblad"
    workbook.active.append(["Verksamhetsplan 2027"])
    sheet = workbook.create_sheet("Mål")
    sheet.append(["Mål och indikatorer 2027"])
    sheet.append([])
    sheet.append(OWN_HEADERS)
    sheet.append(
        [
            "Hållbar region",
            "Minska utsläpp",
            "Förbundskansliet",
            "",
            "Utsläpp per invånare",
            "−5",
            "Högst −12,5 %",
            "Delår",
            "Borås",
            "−7,25 %",
            "Bättre än väntat",
        ]
    )
    sheet.append(["", "", "", "", "Andel förnybart", "1\u00a0234", "87%", "Helår 2027", "1490", "2,7 %", ""])
    sheet.append(["", "", "", "", "Antal möten", "", "Minst 12 st", "Helår", "", "12 st", ""])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = goals_import(year=2027, path="plan.xlsx", content=buffer.getvalue())

    assert result.ok, result.preview()
    assert "Anteckning" in result.ignored  # never dropped silently (the page and the command name it)
    emissions = Indicator.objects.get(name="Utsläpp per invånare")
    assert (emissions.baseline, emissions.target, emissions.direction, emissions.unit_of_measure) == (
        Decimal("-5"), Decimal("-12.5"), Direction.AT_MOST, "%")  # fmt: skip
    assert emissions.strategy.title == "Minska utsläpp"
    outcome = emissions.outcomes.get()
    assert (outcome.value, outcome.municipality, outcome.follow_up.kind) == (
        Decimal("-7.25"), kommun, FollowUp.Kind.INTERIM)  # fmt: skip
    renewable = Indicator.objects.get(name="Andel förnybart")
    assert (renewable.baseline, renewable.target) == (Decimal("1234"), Decimal("87"))
    assert renewable.outcomes.get().value == Decimal("2.7")
    assert Indicator.objects.get(name="Antal möten").outcomes.get().value == Decimal("12")


def test_a_column_the_synonyms_do_not_know_is_refused_with_a_hint_then_read_with_a_mapping(organisation):
    content = xlsx([["Vad vi vill", "Hur", "Mäts med", "Mål"], ["Trygg region", "Samverka", "Antal nätverk", "5"]])

    refused = goals_import(year=2027, path="plan.xlsx", content=content)

    assert not refused.ok
    assert "Inriktningsmål" in refused.preview()[0] and "”Vad vi vill”" in refused.preview()[0]
    assert refused.unmapped == ["Vad vi vill", "Hur", "Mäts med", "Mål"]
    assert counts() == [0, 0, 0, 0, 0]

    result = goals_import(
        year=2027, path="plan.xlsx", content=content,
        mapping="Vad vi vill=Inriktningsmål,Hur=Strategi,Mäts med=Mätetal,Mål=Målvärde",
    )  # fmt: skip

    assert result.ok, result.preview()
    indicator = Indicator.objects.get()
    assert (indicator.name, indicator.target, indicator.strategy.title) == ("Antal nätverk", Decimal("5"), "Samverka")


def test_a_semicolon_csv_in_windows_1252_is_read(organisation):
    content = "Mål;Strategi;Mätetal;Målvärde;Utfall\nÖkad tillväxt;Företagsklimat;Nöjda företag;87 %;2,7 %\n"

    result = goals_import(year=2027, path="plan.csv", content=content.encode("cp1252"))

    assert result.ok, result.preview()
    indicator = Indicator.objects.get()
    assert (indicator.strategy.direction_goal.title, indicator.target) == ("Ökad tillväxt", Decimal("87"))
    assert indicator.outcomes.get().follow_up.kind == FollowUp.Kind.ANNUAL  # no period column: helår


def test_bad_rows_are_listed_in_swedish_and_nothing_is_stored(organisation):
    content = xlsx(
        [
            ["Inriktningsmål", "Strategi", "Verksamhet", "Aktivitet", "Mätetal", "Målvärde", "Period", "Utfall"],
            ["Mål A", "Strategi A", "Navet", "Aktivitet A", "Besök", "500", "Helår", "många"],
            ["Mål A", "Strategi A", "Okänd enhet", "Aktivitet B", "", "", "", ""],
            ["Mål A", "Strategi A", "", "", "Nytt mätetal", "", "Tertial 9", "5"],
            ["Mål A", "Strategi A", "", "Aktivitet C", "", "", "", ""],
            ["Mål A", "Strategi A", "", "", "Gammalt", "", "Delår 2030", "5"],
        ]
    )

    result = goals_import(year=2027, path="plan.xlsx", content=content)

    lines = result.preview()
    assert len(lines) == 5, lines
    assert lines[0].startswith("Rad 2: Utfall: ”många” är inte ett tal")
    assert lines[1] == "Rad 3: Okänd verksamhet: Okänd enhet. Verksamheterna är: Förbundskansliet, Navet."
    assert lines[2].startswith("Rad 4: Period: ”Tertial 9” känns inte igen")
    assert lines[3].startswith("Rad 5: Verksamhet saknas för aktiviteten ”Aktivitet C”")
    assert lines[4].startswith("Rad 6: Det finns ingen uppföljning Delår 2030")
    assert not any("class" in line or "Error" in line for line in lines)
    assert counts() == [0, 0, 0, 0, 0]


def test_a_dry_run_checks_everything_and_stores_nothing_not_even_the_year():
    UnitFactory(name="Navet")
    content = xlsx([["Mål", "Strategi", "Mätetal", "Målvärde", "Utfall"], ["M", "S", "Besök", "10", "12"]])

    result = goals_import(year=2031, path="plan.xlsx", content=content, dry_run=True)

    assert result.ok and result.counts["indicators"] == 1 and result.counts["outcomes"] == 1
    assert counts() == [0, 0, 0, 0, 0]
    assert not FiscalYear.objects.filter(year=2031).exists()


def test_the_command_prints_swedish_row_errors_and_exits_non_zero(organisation, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([["Mål", "Strategi", "Mätetal", "Utgångsvärde"], ["M", "S", "Besök", "2,7,5"]]))

    with pytest.raises(CommandError, match="1 fel i filen; inget har sparats"):
        call_command("import_goals", str(path), "--year", "2027")

    assert "Rad 2: Utgångsvärde: ”2,7,5” är inte ett tal" in capsys.readouterr().err
    assert counts() == [0, 0, 0, 0, 0]


def test_the_command_imports_with_a_mapping(organisation, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_text("Fokus;Hur;KPI;Mål\nTrygghet;Samverka;Nätverk;5\n", encoding="utf-8")

    call_command(
        "import_goals",
        str(path),
        "--year",
        "2027",
        "--map",
        "Fokus=Inriktningsmål,KPI=Mätetal,Mål=Målvärde,Hur=Strategi",
    )

    assert "1 nya mätetal" in capsys.readouterr().out
    assert Indicator.objects.get().target == Decimal("5")


def test_the_outcome_import_reads_numbers_as_people_write_them_and_refuses_another_layout_in_swedish(organisation):
    from goals.resources import OutcomeResource, import_file
    from tests.goals.factories import IndicatorFactory

    indicator = IndicatorFactory(fiscal_year=FiscalYear.objects.get(year=2027), unit_of_measure="%")
    header = "År,Mätetal (serie),Period,Kommunkod,Delregion,Utfall"
    content = f'{header}\n2027,{indicator.series},Helår,,,"2,7 %"\n'.encode()

    result, errors = import_file(resource=OutcomeResource(), content=content, file_format="csv")

    assert errors == []
    assert Outcome.objects.get().value == Decimal("2.7")
    result, errors = import_file(resource=OutcomeResource(), content=b"Foo,Bar\n1,2\n", file_format="csv")
    assert errors and errors[0].startswith("Kolumnerna Mätetal (serie), Period") and "column" not in errors[0].lower()


def test_a_formula_without_a_saved_value_is_a_row_error_that_says_so(organisation):
    content = xlsx([["Mål", "Strategi", "Mätetal", "Målvärde"], ["M", "S", "Besök", "=B1*2"]])

    result = goals_import(year=2027, path="plan.xlsx", content=content)

    assert result.preview() == [
        "Rad 2: Målvärde: cellen innehåller en formel utan sparat värde. Öppna filen i Excel, spara den och läs in "
        "den igen."
    ]
    assert counts() == [0, 0, 0, 0, 0]


def test_a_goal_name_in_merged_cells_applies_to_every_row_it_spans(organisation):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mål", "Strategi", "Mätetal", "Målvärde"])
    sheet.append(["Attraktiv region", "Kultur", "Besökare", "1 000"])
    sheet.append(["", "Idrott", "Evenemang", "12 st"])
    sheet.merge_cells("A2:A3")
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = goals_import(year=2027, path="plan.xlsx", content=buffer.getvalue())

    assert result.ok, result.preview()
    assert set(Strategy.objects.values_list("direction_goal__title", "title")) == {
        ("Attraktiv region", "Kultur"),
        ("Attraktiv region", "Idrott"),
    }


def test_a_closed_year_is_refused_and_nothing_is_stored(organisation):
    FiscalYear.objects.filter(year=2027).update(closed=True)
    content = xlsx([["Mål", "Strategi", "Mätetal"], ["M", "S", "Besök"]])

    result = goals_import(year=2027, path="plan.xlsx", content=content)

    assert result.preview() == ["Verksamhetsåret 2027 är stängt och kan bara ändras av förbundsdirektören."]
    assert counts() == [0, 0, 0, 0, 0]
