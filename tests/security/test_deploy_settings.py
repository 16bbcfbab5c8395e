"""The production settings pass Django's deployment checks and send the secure headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "k3P!x9-" + "q7Zr2vLm8Tn4Yw6Bc1Hd5Jf0Gs3Ka9Xe2Ru7Vi4Op8Nl6Mb1Cy5Wz0" * 2,
    "ALLOWED_HOSTS": "mal.borasregionen.se",
    "CSRF_TRUSTED_ORIGINS": "https://mal.borasregionen.se",
}


def test_check_deploy_with_the_production_settings_reports_nothing():
    # A clean production environment: nothing the test run itself set (the browser tests allow async-unsafe ORM).
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**inherited, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_and_denies_framing(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(client, settings):
    from tests.factories import UserFactory

    UserFactory(username="anna")
    response = client.post("/accounts/login/", {"username": "anna", "password": "demo"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
