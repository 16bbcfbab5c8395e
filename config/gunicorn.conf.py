"""gunicorn settings for production: ``gunicorn config.wsgi -c config/gunicorn.conf.py`` (the bench runs the same).

Only the garbage collector is tuned here; workers, bind address and timeouts stay on the command line."""

import gc


def post_worker_init(worker):
    """Garbage collection tuned for a web worker, once the worker has loaded the app.

    A long page (the goal tree, a plan) makes tens of thousands of short-lived objects; with Python's default
    thresholds they set off frequent collections of the oldest generation, each walking every object Django and
    the app keep alive. So what exists once the app is loaded is frozen out of collection, and the youngest
    generation is collected after 50 000 allocations instead of 700 (a few MB more per worker).

    The measurement that justifies it (docs/performance.md, "Garbage collection"): ``manage.py bench
    --pages-only`` at factor 10 on PostgreSQL with this file and with ``--without-gunicorn-config``.

    (``post_worker_init`` rather than ``post_fork``: without ``--preload`` the app is imported in the worker after
    ``post_fork`` has run, so a freeze there would leave the app's own objects in the collector's way.)"""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
