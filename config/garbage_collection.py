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

The measurements that justify it are in docs/performance.md ("Garbage collection"): ``manage.py bench
--pages-only`` with and without ``--without-gunicorn-config`` for the pages, and ``bench --inner export``
with and without ``--without-gc-tuning`` for the exports."""

import gc

YOUNGEST_GENERATION_THRESHOLD = 50_000


def tune_garbage_collection():
    """Freeze what exists now out of collection and collect the youngest generation less often. Call it once
    the process has imported the app, in the process that will do the work (after any fork)."""
    gc.freeze()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, 10, 10)
