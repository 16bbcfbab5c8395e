import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests render pages without running collectstatic first, hash passwords fast, and do not throttle logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Login throttling is off except in the tests about it (Client.login passes no request).
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def demo_data(db):
    """The full demo data set, as ``manage.py load_demo`` loads it."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def today():
    import datetime

    return datetime.date(2019, 6, 15)


from tests.smtp import smtp_server  # noqa: E402,F401  (fixture)
