"""The PDF's outline (bookmarks): the title and every section heading, nested
by level, each opening the page its heading is on; viewers show it on opening."""

import io

import pytest
from pypdf import PdfReader

from federation.reports.document import Report, Section
from federation.reports.pdf import render_pdf
from tests.reports.conftest import pdf_page_texts

pytestmark = pytest.mark.django_db


def outline_tree(reader, items=None):
    """The outline as [(title, page number, [children…]), …]."""
    items = reader.outline if items is None else items
    tree = []
    for item in items:
        if isinstance(item, list):
            title, page, _children = tree[-1]
            tree[-1] = (title, page, outline_tree(reader, item))
        else:
            tree.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return tree


def titles(tree):
    return [(title, titles(children)) for title, _page, children in tree]


def flatten(tree):
    for title, page, children in tree:
        yield title, page
        yield from flatten(children)


def subsections(section):
    return [block for block in section.blocks if isinstance(block, Section)]


def section_titles(sections):
    for section in sections:
        yield section.title
        yield from section_titles(subsections(section))


def test_the_outline_has_the_title_and_every_heading_nested_by_level(report):
    reader = PdfReader(io.BytesIO(render_pdf(report)))

    def expected(sections):
        return [(section.title, expected(subsections(section))) for section in sections]

    assert titles(outline_tree(reader)) == [(report.title, expected(report.sections))]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_each_outline_entry_opens_the_page_its_heading_is_on(report):
    data = render_pdf(report)
    pages = pdf_page_texts(data)
    entries = list(flatten(outline_tree(PdfReader(io.BytesIO(data)))))
    assert [title for title, _page in entries] == [report.title, *section_titles(report.sections)]
    assert entries[-1][1] > 1, "the appendix is not on the first page"
    for title, page in entries:
        assert title in pages[page - 1]


def test_a_heading_deeper_than_the_one_before_is_nested_one_level_down():
    # given a level-3 heading straight under the title
    report = Report(title="Rapport", sections=[Section(title="1.1.1 Djup", level=3), Section(title="2 Nästa")])
    # then it is a child of the title, and a level-1 heading after it is its sibling
    tree = outline_tree(PdfReader(io.BytesIO(render_pdf(report))))
    assert titles(tree) == [("Rapport", [("1.1.1 Djup", []), ("2 Nästa", [])])]
