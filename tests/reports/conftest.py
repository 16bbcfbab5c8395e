import pytest

from tests.factories import FiscalYearFactory, UnitFactory

FAKE_BUILDER = "tests.reports.fake_sections.build"


@pytest.fixture(autouse=True)
def _fake_builders(settings, tmp_path):
    """Reports in these tests come from the fake builder, and files go to a temporary media folder."""
    settings.REPORT_SECTION_BUILDERS = [FAKE_BUILDER]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year_2019(db):
    return FiscalYearFactory(year=2019)


@pytest.fixture
def units(db):
    return {
        "navet": UnitFactory(name="Navet science center", short_name="Navet"),
        "mc": UnitFactory(name="Medarbetarcentrum", short_name="Medarbetarcentrum"),
    }


@pytest.fixture
def report(year_2019, units):
    from federation.reports.builder import build_year_report

    return build_year_report(fiscal_year=year_2019)


def pdf_page_texts(document):
    """The text on each laid-out page of a WeasyPrint document, margin boxes included."""

    def walk(box):
        text = getattr(box, "text", None)
        if text:
            yield text
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    # Words the layout hyphenated ("Gransknings‐ område") are joined again.
    return [" ".join(walk(page._page_box)).replace("\u2010 ", "") for page in document.pages]
