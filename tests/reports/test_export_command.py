"""manage.py export_year_report writes each format; bad input gets a Swedish error."""

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx", "html"])
def test_the_command_writes_each_format(fmt, year_2019, units, tmp_path):
    target = tmp_path / f"arsredovisning.{fmt}"
    out = io.StringIO()
    call_command("export_year_report", "2019", "--format", fmt, "-o", str(target), stdout=out)
    data = target.read_bytes()
    assert f"Skrev {target}" in out.getvalue()
    if fmt == "docx":
        headings = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name.startswith("Heading")]
        assert "Bilaga 2 Internkontrollplan 2019" in headings
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-")
    elif fmt == "xlsx":
        assert len(openpyxl.load_workbook(io.BytesIO(data)).sheetnames) == 4
    else:
        assert "Avvikelse: två fakturor saknade attest" in data.decode()


def test_sections_and_units_can_be_chosen(year_2019, units, tmp_path):
    target = tmp_path / "r.docx"
    call_command(
        "export_year_report",
        "2019",
        "--format=docx",
        f"-o={target}",
        "--sections=internal-control,unit-navet,unit-medarbetarcentrum",
        "--units=Navet",
        stdout=io.StringIO(),
    )
    headings = [p.text for p in docx.Document(str(target)).paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["2.7 Intern kontroll", "7 Navet science center"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["1999", "--format", "pdf"], "Verksamhetsåret 1999 finns inte."),
        (["2019", "--format", "odt"], "Okänt format: odt. Välj något av: docx, pdf, xlsx, html."),
        (["2019", "--format", "pdf", "--sections", "bilaga-9"], "Okänt avsnitt: bilaga-9"),
        (["2019", "--format", "pdf", "--units", "Ingenstans"], "Okänd verksamhet: Ingenstans"),
    ],
)
def test_bad_input_gets_a_swedish_error_and_writes_nothing(arguments, message, year_2019, units, tmp_path):
    target = tmp_path / "out.bin"
    with pytest.raises(CommandError, match=message):
        call_command("export_year_report", *arguments, "-o", str(target), stdout=io.StringIO())
    assert not target.exists()


@pytest.mark.parametrize("name", ["delår", "delar", "interim"])
def test_the_command_writes_the_interim_report_by_any_of_its_names(name, year_2019, units, tmp_path):
    target = tmp_path / "delar.html"
    call_command(
        "export_year_report", "2019", "--follow-up", name, "--format", "html", "--changes", "-o", str(target),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert "Delårsrapport 2019 – per 2019-08-31" in target.read_text()


def test_an_unknown_follow_up_gets_a_swedish_error_and_a_non_zero_exit(year_2019, tmp_path):
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="Okänd uppföljning: kvartal. Välj delår eller helår.") as error:
        call_command(
            "export_year_report", "2019", "--follow-up", "kvartal", "--format", "pdf", "-o", str(target),
            stdout=io.StringIO(),
        )  # fmt: skip
    assert error.value.returncode == 1  # manage.py exits with it
    assert not target.exists()


def test_without_an_output_file_the_report_is_named_for_its_follow_up_in_the_current_folder(
    year_2019, units, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)

    call_command("export_year_report", "2019", "--follow-up", "delår", "--format", "pdf", stdout=io.StringIO())

    assert (tmp_path / "delarsrapport-2019.pdf").read_bytes().startswith(b"%PDF-")
