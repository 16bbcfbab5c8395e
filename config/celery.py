import os

from celery import Celery
from celery.signals import worker_process_init

from config.garbage_collection import tune_garbage_collection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("boras")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _tune_garbage_collection(**_kwargs):
    """Each worker process, once forked with the app loaded, collects garbage as the web workers do
    (``config.garbage_collection``): the exports build and render tens of thousands of objects."""
    tune_garbage_collection()
