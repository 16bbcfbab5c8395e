"""The benchmark behind ``make bench``: pure measuring helpers, no Django models.

The management command ``bench`` drives it: it prepares a database with
scaled data, starts gunicorn with two workers on it and asks every key page
many times as a logged-in user. Latency is the *server* time each response
reports in its Server-Timing header (see middleware.py), so the
figures are what the app costs, not what the loopback network or this client
adds."""

import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SERVER_TIMING = re.compile(r'app;dur=([\d.]+), db;desc="queries";dur=(\d+)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class PageFigures:
    server_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    def summary(self, floor_p50=None):
        p50 = statistics.median(self.server_ms)
        figures = {
            "p50_ms": round(p50, 2),
            "p95_ms": round(percentile(self.server_ms, 0.95), 2),
            "queries": statistics.mode(self.queries),  # what most views of the page ran
        }
        if floor_p50:
            figures["ratio_p50_to_floor"] = round(p50 / floor_p50, 2)
        return figures


class Gunicorn:
    """gunicorn with ``workers`` processes on a free loopback port, stopped on exit."""

    def __init__(self, *, env, workers=2, cwd=None, config=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.workers = workers
        self.cwd = cwd
        self.config = config  # a gunicorn.conf.py, as production runs it
        self.process = None

    def __enter__(self):
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [
                gunicorn,
                "config.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                *(["--config", str(self.config)] if self.config else []),
            ],
            env=self.env,
            cwd=self.cwd,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn avslutades direkt") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn startade inte inom 60 sekunder")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Browser:
    """A logged-in HTTP client (cookies and CSRF like a browser), standard library only."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def login(self, username, password):
        self.opener.open(self.base_url + "/accounts/login/").read()
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(
            self.base_url + "/accounts/login/", data=data.encode(), headers={"Referer": self.base_url + "/"}
        )
        response = self.opener.open(request)
        response.read()
        if "/accounts/login/" in response.geturl():
            raise RuntimeError(f"inloggningen som {username} misslyckades")

    def get(self, path):
        """(server ms, queries) of one GET; raises on anything but 200."""
        response = self.opener.open(self.base_url + path)
        response.read()
        if response.status != 200 or "/accounts/login/" in response.geturl():
            raise RuntimeError(f"{path} svarade {response.status} ({response.geturl()})")
        match = SERVER_TIMING.fullmatch(response.headers.get("Server-Timing", ""))
        if not match:
            raise RuntimeError(f"{path} saknar Server-Timing")
        return float(match[1]), int(match[2])


def measure(browser, path, *, requests: int, warmup=20) -> PageFigures:
    """``requests`` GETs of ``path`` after ``warmup`` unmeasured ones. Nothing is cached: every one is
    rendered in full. The warm-up is what a long-running worker has behind it: on PostgreSQL a statement is
    prepared on a connection after five runs and planned for its parameters five more times (psycopg's
    threshold, PostgreSQL's ``plan_cache_mode=auto``), and the two workers share the requests."""
    for _ in range(warmup):
        browser.get(path)
    figures = PageFigures()
    for _ in range(requests):
        server_ms, queries = browser.get(path)
        figures.server_ms.append(server_ms)
        figures.queries.append(queries)
    return figures


def machine() -> str:
    cpu = "okänd processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{os.cpu_count()} kärnor, {cpu}, {memory_gb:.0f} GB RAM, Python {sys.version.split()[0]}"
