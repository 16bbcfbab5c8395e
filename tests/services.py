"""Real external services in tests.

A test that needs a service asks for it here: it is skipped when the service's
URL is not set, and fails instead when REQUIRE_SERVICES=1 (as in .ci/run)."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(env_var: str, *, scheme: str | None = None) -> str:
    """The URL of a service from ``env_var``; skip (or fail, when required) without it."""
    url = os.environ.get(env_var, "")
    if not url or (scheme and not url.startswith(scheme)):
        message = f"{env_var} är inte satt{f' till en {scheme}-adress' if scheme else ''}: tjänsten saknas"
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 men {message}")
        pytest.skip(message)
    return url


def database_url() -> str:
    """A DATABASE_URL for the database the tests are using right now (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


@contextmanager
def celery_worker(*, extra_env: dict[str, str] | None = None, concurrency: int = 1):
    """A real Celery worker process, on the configured broker, against the test database.

    It consumes only its own queue, so a worker started by ``make run`` on the
    same broker never takes the test's tasks. Yields the queue name."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_QUEUE": queue,
        **(extra_env or {}),
    }
    log = open(BASE_DIR / "var" / f"{queue}.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--pool=prefork" if concurrency > 1 else "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            log.seek(0)
            if "ready." in log.read():
                break
            if process.poll() is not None:
                break
            time.sleep(0.2)
        else:
            pytest.fail("Celery-arbetaren startade inte inom 60 sekunder")
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"Celery-arbetaren avslutades direkt:\n{log.read()[-3000:]}")
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        (BASE_DIR / "var" / f"{queue}.log").unlink(missing_ok=True)
