"""A worker process prepares the report renderers when it starts (FederationConfig.ready connects
``prepare_renderers`` to Celery's worker_process_init), so its first export does not load them."""

from celery.signals import worker_process_init

from federation.apps import _prepare_report_renderers
from federation.reports import pdf
from federation.reports.formats import prepare_renderers


def test_preparing_the_renderers_loads_the_pdf_fonts_styles_and_hyphenation():
    for cached in (pdf._fonts, pdf._styles, pdf._hyphenator, pdf._pyphen):
        cached.cache_clear()

    prepare_renderers()

    for cached in (pdf._fonts, pdf._styles, pdf._pyphen):
        assert cached.cache_info().currsize == 1, cached.__name__


def test_a_worker_process_start_prepares_the_renderers():
    connected = [receiver() for _key, receiver in worker_process_init.receivers]

    assert _prepare_report_renderers in connected
