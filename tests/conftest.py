import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests render pages without running collectstatic first, and hash passwords fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
