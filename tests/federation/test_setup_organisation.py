"""A new organisation without the demo: manage.py setup_organisation from the template (and the admin page),
into an empty database, all or nothing; then the people log in with their roles and a goal plan goes in."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from federation import access
from federation.models import Federation, FiscalYear, Municipality, Role, RoleAssignment, Unit
from federation.organisation import organisation_setup, template_bytes
from federation.selectors import is_director, role_holders, units_led_by
from goals.models import Indicator
from goals.resources import goals_import

pytestmark = pytest.mark.django_db

User = get_user_model()


def filled_template(**changes) -> bytes:
    """The downloadable template, with rows of a sheet replaced: ``Personer=[[...], ...]``."""
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    for name, rows in changes.items():
        sheet = workbook[name]
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_counts():
    return [m.objects.count() for m in (Federation, Municipality, Unit, Role, User, RoleAssignment, FiscalYear)]


def test_the_template_has_an_instruction_and_every_sheet_with_example_rows():
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes()))

    assert workbook.sheetnames == [
        "Instruktion",
        "Organisation",
        "Medlemskommuner",
        "Verksamheter",
        "Roller",
        "Personer",
    ]
    assert [c.value for c in workbook["Personer"][1]][:5] == [
        "Användarnamn",
        "Förnamn",
        "Efternamn",
        "E-post",
        "Roller",
    ]
    assert all(workbook[name].max_row >= 2 for name in workbook.sheetnames)


def test_an_empty_database_gets_the_organisation_and_its_people_log_in_with_their_roles(client, tmp_path, capsys):
    path = tmp_path / "org.xlsx"
    path.write_bytes(template_bytes())
    assert table_counts() == [0, 0, 0, 0, 0, 0, 0]

    call_command("setup_organisation", str(path))

    out = capsys.readouterr().out
    federation = Federation.objects.get()
    assert (federation.name, federation.short_name) == ("Exempelregionens kommunalförbund", "Exempelregionen")
    assert set(Municipality.objects.values_list("code", "membership")) == {("9901", "member"), ("9902", "adjunct")}
    assert Unit.objects.get(name="Ekonomi").parent.name == "Förbundskansliet"
    assert Unit.objects.get(name="Utbildningscentrum").lead_role.name == "Verksamhetschef UC"
    assert Role.objects.get(is_director=True).name == "Förbundsdirektör"
    assert FiscalYear.objects.get().follow_ups.count() == 2
    passwords = dict(line.split() for line in out.splitlines() if line.startswith("  "))
    assert set(passwords) == {"adirektor", "bekonom", "cchef", "drevisor"}

    today = RoleAssignment.objects.get(user__username="adirektor").valid_from
    director = User.objects.get(username="adirektor")
    assert is_director(director, on=today) and director.is_staff
    economist = User.objects.get(username="bekonom")
    assert {r.name for r in Role.objects.filter(assignments__user=economist)} == {"Ekonomichef", "Controller"}
    assert list(economist.groups.values_list("name", flat=True)) == [access.ADMIN_CHIEF]
    lead = User.objects.get(username="cchef")
    assert [u.name for u in units_led_by(user=lead, on=today)] == ["Utbildningscentrum"]
    assert list(lead.groups.values_list("name", flat=True)) == [access.UNIT_LEAD]
    assert list(role_holders(role=Role.objects.get(name="Controller"), on=today)) == [economist]

    assert client.post(reverse("login"), {"username": "cchef", "password": passwords["cchef"]}).status_code == 302
    assert client.get(reverse("goals:my_unit")).status_code == 200


def test_running_it_again_changes_nothing_and_gives_no_new_passwords():
    organisation_setup(path="org.xlsx", content=template_bytes())
    before = table_counts()

    again = organisation_setup(path="org.xlsx", content=template_bytes())

    assert again.ok and again.passwords == [] and table_counts() == before


def test_a_bad_row_anywhere_stores_nothing_and_is_reported_in_swedish(tmp_path, capsys):
    path = tmp_path / "org.xlsx"
    path.write_bytes(
        filled_template(
            Medlemskommuner=[["Norrby", "99", "Medlem", "2001-01-01", ""], ["Söderås", "9902", "Vän", "igår", ""]],
            Personer=[["anna", "Anna", "A", "anna@example.org", "Okänd roll", "", ""]],
        )
    )

    with pytest.raises(CommandError, match="inget har sparats"):
        call_command("setup_organisation", str(path))

    err = capsys.readouterr().err
    assert "Medlemskommuner rad 3: Medlemskap: ”Vän” känns inte igen (skriv Medlem eller Adjungerad)." in err
    assert "Medlemskommuner rad 2: Kommunkoden ska vara fyra siffror, t.ex. 1490 (inte ”99”)." in err
    assert "Personer rad 2: Okänd roll: Okänd roll (lägg till den i bladet Roller)." in err
    assert table_counts() == [0, 0, 0, 0, 0, 0, 0]
    assert not any(word in err for word in ("Error", "class", "matching query", "Begränsningen"))


def test_two_director_roles_are_refused_in_swedish():
    content = filled_template(Roller=[["Direktör A", "", "ja"], ["Direktör B", "", "ja"]])

    result = organisation_setup(path="org.xlsx", content=content)

    assert "Roller rad 3: Bara en roll kan vara förbundsdirektör; Direktör A är det redan." in result.errors
    assert table_counts() == [0, 0, 0, 0, 0, 0, 0]


def test_a_dry_run_stores_nothing_and_shows_no_passwords():
    result = organisation_setup(path="org.xlsx", content=template_bytes(), dry_run=True)

    assert result.ok and result.passwords == []
    assert "4 personer" in result.summary()
    assert table_counts() == [0, 0, 0, 0, 0, 0, 0]


def test_a_workbook_without_the_people_sheet_is_refused():
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    del workbook["Personer"]
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = organisation_setup(path="org.xlsx", content=buffer.getvalue())

    assert result.errors == ["Bladet ”Personer” saknas i filen."]
    assert table_counts() == [0, 0, 0, 0, 0, 0, 0]


def test_then_a_goal_plan_goes_into_the_new_organisation():
    organisation_setup(path="org.xlsx", content=template_bytes())
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mål", "Strategi", "Ansvarig enhet", "Aktivitet", "Indikator", "Målvärde", "Utfall"])
    workbook.active.append(["Kunnig region", "Utbilda", "UC", "Kurser", "Antal kursdeltagare", "Minst 400", "402"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = goals_import(year=2027, path="mal.xlsx", content=buffer.getvalue())

    assert result.ok, result.preview()
    indicator = Indicator.objects.get()
    assert indicator.activity.unit.name == "Utbildningscentrum"  # found by its short name
    assert indicator.outcomes.get().follow_up.fiscal_year.year == 2027


def test_the_admin_offers_the_template_and_a_dry_run_upload_to_the_director_only(client, admin_user):
    client.force_login(admin_user)

    template = client.get(reverse("admin:federation_federation_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = io.BytesIO(template_bytes())
    upload.name = "org.xlsx"
    page = client.post(reverse("admin:federation_federation_setup"), {"file": upload, "dry_run": "on"})
    assert "Provkörning: 2 medlemskommuner, 3 verksamheter, 4 roller och 4 personer" in page.content.decode()
    assert Federation.objects.count() == 0

    upload.seek(0)
    page = client.post(reverse("admin:federation_federation_setup"), {"file": upload})
    assert "Startlösenord" in page.content.decode() and Federation.objects.count() == 1

    staff = User.objects.get(username="bekonom")  # staff, but not the förbundsdirektör
    client.force_login(staff)
    assert client.get(reverse("admin:federation_federation_setup")).status_code == 403
