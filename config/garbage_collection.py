"""Garbage collection for the long-running processes: the web workers (``config/gunicorn.conf.py``) and the
Celery worker processes that build the exports (``config/celery.py``).

A long page (the goal tree, a plan) or an export (the year report builds some 15 000 model instances and
then thousands of table cells) makes tens of thousands of short-lived objects; with Python's default
thresholds they set off frequent collections of the oldest generation, each walking every object Django and
the app keep alive. So what exists once the process has loaded the app is frozen out of collection, and the
youngest generation is collected after 50 000 allocations instead of 700 (a few MB more per process). The
older generations keep Python's default pace (every 10 collections of the one below), so the cyclic garbage an
export leaves (ReportLab's documents are full of cycles) is freed within a few million allocations and a
long-running worker's memory stays bounded: with the oldest generation collected only every 100 middle ones,
three exports of each format grew the process to 268 MB, with 10 to 228 MB (176 MB untuned).

A web worker also collects *between* requests (``collect_between_requests``, gunicorn's ``post_request``
hook, which runs once the response has been sent): the young generations after every request (about 0.5 ms
at factor 10), everything not frozen after every ``FULL_COLLECTION_EVERY`` requests (about 12 ms). The
garbage a request leaves is then gone before the next one starts, so no collection of 50 000 objects
(12–20 ms) lands inside some request: that pause was most of the gap between a page's p50 and its p95.
The 50 000 threshold stays as the safety net for a request that makes that much on its own (an import).

The measurements that justify it are in docs/performance.md ("Garbage collection"): ``manage.py bench
--pages-only`` with and without ``--without-gunicorn-config`` for the pages, and ``bench --inner export``
with and without ``--without-gc-tuning`` for the exports."""

import gc

YOUNGEST_GENERATION_THRESHOLD = 50_000
# Between requests: a full collection (of what is not frozen) after every this many requests of a worker.
FULL_COLLECTION_EVERY = 100


def tune_garbage_collection():
    """Freeze what exists now out of collection and collect the youngest generation less often. Call it once
    the process has imported the app, in the process that will do the work (after any fork)."""
    gc.freeze()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, 10, 10)


def collect_between_requests(requests_handled: int):
    """Collect what the request just finished left behind: the two younger generations, and every
    ``FULL_COLLECTION_EVERY`` requests the oldest too. Call it after the response has been sent."""
    gc.collect(2 if requests_handled % FULL_COLLECTION_EVERY == 0 else 1)
