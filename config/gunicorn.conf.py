"""gunicorn settings for production: ``gunicorn config.wsgi -c config/gunicorn.conf.py`` (the bench runs the same).

Only the garbage collector is tuned here (see config/garbage_collection.py); workers, bind address and timeouts
stay on the command line."""

from config.garbage_collection import collect_between_requests, tune_garbage_collection


def post_worker_init(worker):
    """Garbage collection tuned for a web worker, once the worker has loaded the app
    (``config.garbage_collection``, where the reason and the measurements are).

    (``post_worker_init`` rather than ``post_fork``: without ``--preload`` the app is imported in the worker after
    ``post_fork`` has run, so a freeze there would leave the app's own objects in the collector's way.)"""
    tune_garbage_collection()


def post_request(worker, req, environ, resp):
    """The request's garbage collected out of band: gunicorn calls this after the response has been sent
    (``config.garbage_collection.collect_between_requests``; ``worker.nr`` counts the worker's requests)."""
    collect_between_requests(worker.nr)
