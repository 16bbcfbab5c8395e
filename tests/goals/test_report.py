import pytest

from federation.models import FiscalYear, FollowUp, Unit
from federation.reports.document import Cell, Paragraph, Section, Table
from goals.report import build_sections

pytestmark = pytest.mark.django_db


def annual_2019():
    return FollowUp.objects.get(fiscal_year__year=2019, kind=FollowUp.Kind.ANNUAL)


def texts(blocks):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield block.title
            yield from block.header
            for row in block.cells():
                yield from (cell.text for cell in row)
        elif isinstance(block, Section):
            yield block.title
            yield from texts(block.blocks)


def test_report_sections_carry_the_real_2019_content(demo_data):
    sections = build_sections(fiscal_year=FiscalYear.objects.get(year=2019), follow_up=annual_2019())
    keys = [s.key for s in sections]
    assert keys[0] == "goals"
    assert {"unit-Navet science center", "unit-Dataskyddsombud", "unit-Medarbetarcentrum"} <= set(keys)

    goals = "\n".join(texts([sections[0]]))
    assert "Sex av sju inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt." in goals
    assert "4.3.1 Skapa möjligheter till företagande och företagsutveckling" in goals
    assert "Verka för ett förbättrat företagsklimat i Boråsregionen" in goals
    assert "Skälet till att målet i sin helhet inte kan anses uppnått är försening" in goals
    assert "Göteborgsregionen" in goals and "35 %" in goals  # YH 2019: 60 of 170
    assert "Vårgårda" in goals  # kommun ranking

    navet = next(s for s in sections if s.key == "unit-Navet science center")
    table = next(
        b for sub in navet.blocks for b in sub.blocks if isinstance(b, Table) and "Resultat 191231" in b.header
    )
    assert table.header == ["Strategi", "Aktivitet/mätetal", "Resultat 191231"]
    navet_text = "\n".join(texts([navet]))
    assert "1. Minst 25 000 elever på olika teman" in navet_text
    assert "7. Genomfört – 402 pedagoger" in navet_text


def test_status_cells_use_the_one_tone_mapping(demo_data):
    sections = build_sections(fiscal_year=FiscalYear.objects.get(year=2019), follow_up=annual_2019())
    overview = next(b for b in sections[0].blocks[1].blocks if isinstance(b, Table))
    tones = {row[0].text: row[1] for row in overview.cells()}
    first = tones["Skapa möjligheter till företagande och företagsutveckling"]
    assert isinstance(first, Cell) and (first.text, first.tone) == ("Delvis uppfyllt", "yellow")
    assert tones["Verka för en väl fungerande infrastruktur och kollektivtrafik"].tone == "green"


def test_units_limit_the_unit_sections(demo_data):
    navet = Unit.objects.get(name="Navet science center")
    sections = build_sections(fiscal_year=FiscalYear.objects.get(year=2019), follow_up=annual_2019(), units=[navet])
    assert [s.key for s in sections] == ["goals", "unit-Navet science center"]
