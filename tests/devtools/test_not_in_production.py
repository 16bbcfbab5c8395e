"""The measuring tools are a developer's: production (neither DEBUG nor BENCH) has no floor URL, no
Server-Timing header and no bench commands; DEBUG or BENCH switches them on."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve
from django.core.management import get_commands
try:
    resolve("/matning/golv/")
    floor = True
except Resolver404:
    floor = False
print(json.dumps({
    "installed": "tests.devtools" in settings.INSTALLED_APPS,
    "middleware": any("ServerTiming" in m for m in settings.MIDDLEWARE),
    "floor": floor,
    "bench": "bench" in get_commands(),
}))
"""


def settings_with(**variables):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BENCH"}}
    env.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_normal_page_in_production_has_no_server_timing_header_and_there_is_no_floor(client):
    assert not settings.DEVTOOLS  # the suite runs with production's settings
    client.force_login(UserFactory())
    response = client.get("/", follow=True)  # a user without a role: the page saying so
    assert response.status_code == 200
    assert "Server-Timing" not in response
    assert client.get("/matning/golv/").status_code == 404


def test_production_settings_install_no_devtools_and_debug_or_bench_install_them():
    everything_off = {"installed": False, "middleware": False, "floor": False, "bench": False}
    everything_on = {"installed": True, "middleware": True, "floor": True, "bench": True}
    assert settings_with() == everything_off
    assert settings_with(DEBUG="1") == everything_on
    assert settings_with(BENCH="1") == everything_on
