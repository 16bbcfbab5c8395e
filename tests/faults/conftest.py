"""The fault suite: real worker processes, a real broker, a real SMTP server and PostgreSQL, with faults injected
(an SMTP server refusing, a worker killed with SIGKILL, the broker stopped, sweeps at once). Each test counts the
mails the SMTP server received. Leases and waits are shortened by settings passed to the worker, so the whole
suite takes about two minutes. Skipped without the service URLs; run in .ci/run's service pass.

The tests commit (the workers must see the data) without pytest-django's per-test flush: the demo data is
loaded once for the package and each test starts with no reminder claimed (see ``demo``); the database is
emptied at the end, as after any test that commits."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from federation.models import ReminderMail
from tests.conftest import FAST_PASSWORD_HASHERS, SharedDemo
from tests.services import BASE_DIR, database_url, require_service
from tests.smtp import free_port

DAY = "2020-03-31"  # the demo data's quarterly checks are due, January's monthly ones escalated
# Short leases and waits for the worker (and the sweeps the tests run in processes of their own).
FAST = {
    "REMINDER_SEND_LEASE": "3",
    "REMINDER_RETRY_BACKOFF": "1",
    "REMINDER_RETRY_MAX": "1",
    "CELERY_VISIBILITY_TIMEOUT": "10",
}


@pytest.fixture(scope="package")
def committed_demo(django_db_setup, django_db_blocker):
    """The demo data, committed (the workers read it) once for the suite, and emptied again at its end.

    Loading it per test took most of the suite's time."""
    require_service("DATABASE_URL", scheme="postgres")
    require_service("CELERY_BROKER_URL", scheme="redis://")
    with django_db_blocker.unblock():
        SharedDemo.close()  # the rolled-back demo data of earlier tests, if still open
        with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        try:
            yield
        finally:
            call_command("flush", interactive=False)


@pytest.fixture
def _django_db_helper(request, django_db_setup, django_db_blocker):
    """For these tests (marked ``django_db(transaction=True)``, so the database is set up and they run after
    the rolled-back ones): database access without pytest-django's flush after each test, which would throw
    away the demo data loaded once for the package."""
    django_db_blocker.unblock()
    request.addfinalizer(django_db_blocker.restore)


@pytest.fixture
def demo(committed_demo, django_db_blocker):
    """Each test starts from the demo data with no reminder claimed or sent."""
    with django_db_blocker.unblock():
        ReminderMail.objects.all().delete()
        yield
        ReminderMail.objects.all().delete()


def wait_until(condition, *, timeout, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def delivered_once(smtp_server, *, extra=0):
    """Every reminder mail sent, and the SMTP server received exactly one message per mail (plus ``extra``)."""
    mails = ReminderMail.objects.all()
    return (
        mails.exists()
        and not mails.filter(sent_at=None).exists()
        and len(smtp_server.messages) == mails.count() + extra
    )


def reminder_recipients(smtp_server):
    return Counter(m["To"] for m in smtp_server.messages if m["Subject"].startswith("Påminnelse"))


def expected_recipients():
    return Counter(ReminderMail.objects.values_list("recipient__email", flat=True))


class Worker:
    """A real Celery worker process on its own queue, which a test can kill with SIGKILL and start again."""

    def __init__(self, *, env, concurrency=1, queue=None):
        self.queue = queue or f"fault-{uuid.uuid4().hex[:12]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_QUEUE": self.queue,
            **env,
        }
        self.concurrency = concurrency
        self.process = None
        self.log_path = BASE_DIR / "var" / f"{self.queue}.log"

    def start(self):
        self.log = open(self.log_path, "a+")  # noqa: SIM115 - closed in stop()
        start = self.log.tell()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--pool=prefork" if self.concurrency > 1 else "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

        def ready():
            self.log.seek(start)
            return "ready." in self.log.read() or self.process.poll() is not None

        if not wait_until(ready, timeout=60, interval=0.2) or self.process.poll() is not None:
            pytest.fail(f"Celery-arbetaren startade inte:\n{self.output()[-3000:]}")
        return self

    def output(self):
        self.log.seek(0)
        return self.log.read()

    def kill9(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()


@pytest.fixture
def worker():
    """``worker(env=…, concurrency=…)`` starts one; every worker started is stopped at the end."""
    started = []

    def start(**kwargs):
        w = Worker(**kwargs).start()
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()
    for w in started:
        w.log_path.unlink(missing_ok=True)


class RedisServer:
    """A redis-server of the test's own, on its own port, without persistence: stopped and started by the test."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)
        if not wait_until(lambda: self._pings(client), timeout=10, interval=0.1):
            pytest.fail("redis-server startade inte")
        return self

    @staticmethod
    def _pings(client):
        try:
            return client.ping()
        except Exception:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    server = RedisServer().start()
    yield server
    server.stop()


def hold_first_delivery(handler):
    """The SMTP server's first delivery stops at RCPT until ``release`` is set (a send in progress); returns the
    events (``holding``: a send has reached it, ``release``)."""
    holding, release = threading.Event(), threading.Event()

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        if not holding.is_set():
            holding.set()
            while not release.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.0 Avbruten"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    handler.handle_RCPT = handle_RCPT
    return holding, release


SWEEP_SCRIPT = Path(__file__).with_name("sweep_then_stop_broker.py")
