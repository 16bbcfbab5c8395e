"""The HTML rendering shared by the preview and the HTML export."""

import pytest

from federation.reports.html import render_html

pytestmark = pytest.mark.django_db


def test_html_export_is_a_standalone_document_with_tones_and_words(report):
    html = render_html(report)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html
    red_cell = '<td class="tone tone-red" title="Röd"><span class="tone-dot" aria-hidden="true"></span>'
    assert f"{red_cell} Avvikelse: två fakturor saknade attest</td>" in html
    assert '<thead><tr><th scope="col">Granskningsområde</th>' in html
    assert '<td colspan="6" class=" strong">Ekonomi och administration</td>' in html
    assert "background: #FDE3E1" in html


def test_sections_become_nested_headings(report):
    html = render_html(report)
    assert "<h2>4 Måluppfyllelse</h2>" in html
    assert "<h3>4.3 Strategier och aktiviteter</h3>" in html
    assert "<h4>4.3.1 Välfärd och utbildning</h4>" in html
    assert (
        html.index("2.7 Intern kontroll") < html.index("4 Måluppfyllelse") < html.index("Bilaga 2 Internkontrollplan")
    )


def test_text_is_escaped(report):
    report.sections[0].blocks[0].text = "<script>alert(1)</script>"
    assert "<script>alert" not in render_html(report)


def test_dates_and_grouped_numbers_never_break_across_lines(report):
    html = render_html(report)
    assert '<span class="nowrap">1 875</span>' in html
    assert '<span class="nowrap">62 418</span> besökare' in html


def test_keep_together_escapes_everything_around_the_spans():
    from federation.reports.html import keep_together

    assert keep_together("<b>Senast</b> 2020-06-30, 1 875 tkr") == (
        '&lt;b&gt;Senast&lt;/b&gt; <span class="nowrap">2020-06-30</span>, <span class="nowrap">1 875 tkr</span>'
    )


def test_the_html_names_its_author_and_an_empty_report_says_so_as_the_pdf_does(year_2019):
    from federation.reports.document import AUTHOR, EMPTY_REPORT, Report
    from federation.reports.pdf import render_pdf
    from tests.reports.conftest import pdf_page_texts

    empty = Report(title="Årsredovisning 2019")
    html = render_html(empty)
    assert f'<meta name="author" content="{AUTHOR}">' in html
    assert f'content: "{AUTHOR}";' in html  # the running header when the page is printed
    assert f'<p class="report-empty">{EMPTY_REPORT}</p>' in html
    assert EMPTY_REPORT in " ".join(pdf_page_texts(render_pdf(empty)))
