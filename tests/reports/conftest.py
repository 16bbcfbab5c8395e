import io
import re

import pytest

from tests.factories import FiscalYearFactory, UnitFactory
from tests.registry import report_section_builders_replaced, report_summaries_replaced

from . import fake_sections


@pytest.fixture
def registered_builders():
    """Asked for by a test that wants the builders the apps registered instead of the fake one."""


@pytest.fixture(autouse=True)
def _fake_builders(request, settings, tmp_path):
    """Reports in these tests come from the fake builder without a Sammanfattning (unless the test asks for
    ``registered_builders``), and files go to a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "registered_builders" in request.fixturenames:
        yield
        return
    with (
        report_section_builders_replaced(fake_sections.build),
        report_summaries_replaced(),  # no Sammanfattning unless a test registers fake_sections.summary
    ):
        yield


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


HYPHENATED_LINE_END = re.compile(r"(?<=[^\W\d])-\n(?=[a-zåäö])")


def pdf_page_texts(data: bytes) -> list[str]:
    """The text on each page of a PDF, running header and footer included, read back with pypdf:
    lines joined by single spaces, and a word the layout hyphenated at a line end
    ("Kontrollansva-⏎rig") joined again."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        text = HYPHENATED_LINE_END.sub("", page.extract_text())
        pages.append(" ".join(text.split()))
    return pages
