import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from federation.models import FiscalYear
from goals.exports import HEADER, safe_cell
from goals.models import Activity, DirectionGoal, Outcome
from goals.resources import ActivityResource, OutcomeResource, import_file

pytestmark = pytest.mark.django_db

# The outcome import's columns, as an office writes them.
OUTCOME_HEADER = [
    "År",
    "Mätetal (serie)",
    "Periodår",
    "Period",
    "Kommunkod",
    "Delregion",
    "Utfall",
    "Täljare",
    "Nämnare",
    "Kommentar",
]


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


ACTIVITY_HEADER = ["År", "Kod", "Strategi (kod)", "Nummer", "Aktivitet", "Verksamhet", "Ordning"]


def test_activities_import_from_csv(demo_data):
    content = csv_bytes(
        [
            ACTIVITY_HEADER,
            ["2019", "ny-aktivitet-1", "kulturregion", "", "Ny kulturaktivitet", "Kultur", "9"],
            ["2019", "ny-aktivitet-2", "kulturregion", "", "Ännu en", "Kultur", "10"],
        ]
    )
    result, errors = import_file(resource=ActivityResource(), content=content, file_format="csv")
    assert errors == []
    assert Activity.objects.get(code="ny-aktivitet-2").strategy.code == "kulturregion"


def test_bad_import_file_is_rejected_with_row_numbered_swedish_errors_and_nothing_stored(demo_data):
    before = Activity.objects.count()
    content = csv_bytes(
        [
            ACTIVITY_HEADER,
            ["2019", "ok-1", "kulturregion", "", "Giltig rad", "Kultur", "1"],
            ["2019", "fel-1", "kulturregion", "", "Fel verksamhet", "Okänd enhet AB", "2"],
            ["2019", "fel-2", "finns-inte", "", "Fel strategi", "Kultur", "3"],
        ]
    )
    result, errors = import_file(resource=ActivityResource(), content=content, file_format="csv")
    assert result.has_validation_errors() or result.has_errors()
    assert "Rad 3: Verksamhet: Okänd verksamhet: Okänd enhet AB" in errors
    assert "Rad 4: Strategi (kod): Okänd strategi: finns-inte" in errors
    assert Activity.objects.count() == before
    assert not Activity.objects.filter(code="ok-1").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Filen är tom."),
        (
            b"\n2019,ny-1,kulturregion,,Ny,Kultur,9\n",
            "Filen saknar rubrikrad: den första raden ska ha kolumnernas namn.",
        ),
    ],
)
def test_a_file_without_a_header_row_is_refused_in_swedish_here_and_in_the_admin(demo_data, client, content, message):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Activity.objects.count()
    result, errors = import_file(resource=ActivityResource(), content=content, file_format="csv")
    assert errors == [message]

    client.force_login(get_user_model().objects.get(username="direktor"))
    response = client.post(
        "/admin/goals/activity/import/",
        {"format": "1", "resource": "0", "import_file": SimpleUploadedFile("aktiviteter.csv", content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode() or (
        not content and "Den skickade filen är tom." in response.content.decode()
    )
    assert Activity.objects.count() == before


def test_outcome_share_with_numerator_above_denominator_is_rejected(demo_data):
    before = Outcome.objects.count()
    content = csv_bytes(
        [
            OUTCOME_HEADER,
            ["2019", "yh-andel-beviljade", "2019", "Delår", "", "Sjuhärad", "", "3", "4", ""],
            ["2019", "yh-andel-beviljade", "2019", "Helår", "", "Fyrbodal", "", "40", "29", ""],
            ["2019", "yh-andel-beviljade", "2019", "Kvartal", "", "Skaraborg", "", "1", "2", ""],
        ]
    )
    result, errors = import_file(resource=OutcomeResource(), content=content, file_format="csv")
    assert any(e.startswith("Rad 3:") and "Täljaren kan inte vara större än nämnaren." in e for e in errors)
    assert any(e.startswith("Rad 4:") and "Okänd period: Kvartal" in e for e in errors)
    assert Outcome.objects.count() == before


def test_outcomes_import_from_xlsx_updates_by_natural_identity(demo_data):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(OUTCOME_HEADER)
    sheet.append([2019, "sn-ranking-foretagsklimat", 2019, "Helår", "1442", "", 3, None, None, "rättad"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = Outcome.objects.count()
    result, errors = import_file(resource=OutcomeResource(), content=buffer.getvalue(), file_format="xlsx")
    assert errors == []
    assert Outcome.objects.count() == before
    assert (
        Outcome.objects.get(
            indicator__series="sn-ranking-foretagsklimat", municipality__code="1442", follow_up__fiscal_year__year=2019
        ).value
        == 3
    )


def test_export_goals_writes_the_year_flat_to_xlsx_and_csv(demo_data, tmp_path):
    call_command("export_goals", "--year", "2019", "-o", str(tmp_path / "mal.xlsx"), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(tmp_path / "mal.xlsx").active
    rows = list(sheet.values)
    assert list(rows[0]) == HEADER
    assert any(r[5] == "Elever på teman" and r[9] == "27\u00a0531" and r[8] == "Minst 25\u00a0000 elever" for r in rows)

    call_command("export_goals", "--year", "2019", "-o", str(tmp_path / "mal.csv"), stdout=io.StringIO())
    text = (tmp_path / "mal.csv").read_text(encoding="utf-8-sig")
    assert text.startswith(",".join(HEADER))
    assert "Vårgårda" in text


def test_export_cells_cannot_start_a_formula():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x" and safe_cell("-2") == "'-2"
    assert safe_cell("Borås") == "Borås"


def test_copy_goals_command_copies_structure_to_the_next_year(demo_data):
    out = io.StringIO()
    call_command("copy_goals", "--from-year", "2019", "--to-year", "2020", stdout=out)
    assert "2019 kopierat till 2020" in out.getvalue()
    assert DirectionGoal.objects.filter(fiscal_year__year=2020).count() == 9
    assert not FiscalYear.objects.get(year=2020).follow_ups.filter(pk__in=Outcome.objects.values("follow_up")).exists()
