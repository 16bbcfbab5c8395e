"""Replacing what the apps registered (federation.registry) for the length of a test."""

from contextlib import contextmanager

from federation import registry


@contextmanager
def _replaced(current, register, unregister, items):
    saved = current()
    for item in saved:
        unregister(item)
    for item in items:
        register(item)
    try:
        yield
    finally:
        for item in items:
            unregister(item)
        for item in saved:
            register(item)


def reminder_providers_replaced(*providers):
    """Only ``providers`` remind while inside; the apps' own are registered again afterwards."""
    return _replaced(
        registry.reminder_providers,
        registry.register_reminder_provider,
        registry.unregister_reminder_provider,
        providers,
    )


def report_section_builders_replaced(*builders):
    """Only ``builders`` make the report while inside; the apps' own are registered again afterwards."""
    return _replaced(
        registry.report_section_builders,
        registry.register_report_sections,
        registry.unregister_report_sections,
        builders,
    )


def report_summaries_replaced(*summaries):
    """Only ``summaries`` (``registry.ReportSummary``) make the Sammanfattning while inside."""
    return _replaced(
        registry.report_summaries,
        registry.register_summary,
        registry.unregister_summary,
        summaries,
    )
