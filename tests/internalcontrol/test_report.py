"""The report sections are computed from the plans and decisions of the demo data."""

import pytest

from federation.reports.document import Cell, Paragraph, Table
from internalcontrol.report import build_sections

pytestmark = pytest.mark.django_db


def test_2_7_says_what_the_2019_annual_report_says(demo_data):
    summary, appendix = build_sections(fiscal_year=2019)
    assert (summary.key, summary.title) == ("internal-control", "2.7 Intern kontroll")
    assert summary.blocks[0] == Paragraph(
        "Uppföljning av intern kontrollplan för 2019 är genomförd och redovisas i bilaga 2. "
        "Beslut om intern kontrollplan 2020 fattades av Direktionen 2019-12-06."
    )
    actions = summary.blocks[1]
    assert isinstance(actions, Table) and len(actions.rows) == 5
    assert any("IT-policy" in str(row[0]) for row in actions.rows)
    assert all(row[5].text == "Överförd till 2020" for row in actions.rows)


def test_bilaga_2_has_every_kontrollmoment_grouped_with_risk_words_and_footnotes(demo_data):
    _, appendix = build_sections(fiscal_year=2019)
    assert (appendix.key, appendix.title) == ("appendix-control-plan", "Bilaga 2 Internkontrollplan 2019")
    decided, table = appendix.blocks
    assert decided.text == "Antagen av Direktionen 2018-12-07, § 96. Avrapporterad till Direktionen 2020-03-27, § 21."
    rows = list(table.cells())
    group_rows = [row for row in rows if len(row) == 1]
    assert [row[0].text for row in group_rows] == ["Ekonomi och administration", "Styrdokument"]
    assert all(row[0].bold and row[0].colspan == 7 for row in group_rows)
    assert len(rows) - len(group_rows) == 35
    first = rows[1]
    assert [c.text for c in first[:5]] == [
        "1. Redovisning", "Kontroll av bokförda poster", "Stickprov", "2 ggr/år", "Administrativ chef",
    ]  # fmt: skip
    assert first[5] == Cell("Medel (6)", tone="yellow", status="Medel")
    assert first[6].text == "Samtliga punkter kontrollerade enligt plan utan anmärkning"
    assert rows[2][0].text == "" and rows[2][6].text == ""
    it_policy = next(row for row in rows if row[0].text == "21. IT-policy")
    assert it_policy[5] == Cell("Hög (9)", tone="red", status="Hög") and it_policy[6].text == "Saknas"
    assert table.footnotes[0] == "Färgerna hänvisar till resultatet av risk- och väsentlighetsanalysen."
    assert len(table.footnotes) == 3


def test_an_adopted_year_in_progress_says_so(demo_data):
    summary, appendix = build_sections(fiscal_year=2020)
    assert summary.blocks[0].text == (
        "Uppföljning av intern kontrollplan för 2020 pågår; läget redovisas i bilaga 2. "
        "Intern kontrollplan 2021 är ännu inte beslutad."
    )
    assert appendix.title == "Bilaga 2 Internkontrollplan 2020"
