"""A real Celery worker, over a real broker, runs a task."""

import pytest
from django.conf import settings
from django.db import connection

from federation.tasks import ping
from tests.services import celery_worker, require_service, services_required

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_on_the_configured_broker_runs_a_task():
    with celery_worker() as queue:
        result = ping.apply_async(queue=queue)
        assert result.get(timeout=60) == "pong"


def test_the_embedded_default_broker_needs_no_server():
    if services_required():
        pytest.skip("körs med den inbyggda standardkonfigurationen")
    assert settings.CELERY_BROKER_URL.startswith("filesystem://")


def test_a_real_worker_over_redis_runs_a_task():
    require_service("CELERY_BROKER_URL", scheme="redis://")
    with celery_worker() as queue:
        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"


def test_the_database_is_postgresql_when_services_are_required():
    require_service("DATABASE_URL", scheme="postgres")
    assert connection.vendor == "postgresql"
