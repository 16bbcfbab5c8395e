"""The web workers' garbage collection (config/garbage_collection.py, config/gunicorn.conf.py): what a request
leaves in cycles is collected between requests, and the oldest generation every FULL_COLLECTION_EVERY."""

import gc
import runpy
import weakref
from pathlib import Path

import pytest
from django.conf import settings

from config.garbage_collection import FULL_COLLECTION_EVERY, collect_between_requests


class Node:
    pass


def cycle():
    """Two objects that refer to each other, and a weak reference that tells when they are freed."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return a, weakref.ref(a)


@pytest.fixture
def no_automatic_collection():
    """Only the collections the test asks for; the collector's state as it was afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def test_a_cycle_left_by_a_request_is_collected_after_it(no_automatic_collection):
    a, alive = cycle()
    del a
    assert alive() is not None  # reference counting alone does not free a cycle
    collect_between_requests(1)
    assert alive() is None


def test_the_oldest_generation_is_collected_only_every_full_collection_every_requests(no_automatic_collection):
    a, alive = cycle()
    gc.collect()  # still referenced: it moves to the oldest generation
    del a
    collect_between_requests(FULL_COLLECTION_EVERY + 1)
    assert alive() is not None
    collect_between_requests(2 * FULL_COLLECTION_EVERY)
    assert alive() is None


def test_gunicorn_calls_it_after_every_request_with_the_workers_request_count(monkeypatch):
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"))
    counts = []
    monkeypatch.setitem(config["post_request"].__globals__, "collect_between_requests", counts.append)

    class Worker:
        nr = 7

    config["post_request"](Worker(), None, {}, None)
    assert counts == [7]
