import pytest
from django.test import override_settings

# Settings every test runs with (see _test_settings); the shared demo data is loaded under them too.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests render pages without running collectstatic first, hash passwords fast, and do not throttle logins."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    # Login throttling is off except in the tests about it (Client.login passes no request).
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- The demo data, loaded once and shared ---------------------------------------------------------------
#
# Loading the demo data takes seconds, and some 200 tests start from it. A test that runs in a transaction
# rolled back at its end (the default ``django_db``) gets it from one outer transaction, opened around the
# first such test and rolled back when a test that must not see it comes (one that commits for real, or one
# that starts from an empty database) or when the session ends: each test still runs in its own savepoint,
# rolled back after it, so it sees the demo data exactly as loaded and nothing another test wrote —
# the way django.test.TestCase shares setUpTestData. The tests that start from the demo data run one after
# another (pytest_collection_modifyitems below), so the data is loaded once per run. A test that commits
# (transactional_db, live_server) loads the demo data itself, as before.


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


def _shares_demo(item) -> bool:
    return "demo_data" in getattr(item, "fixturenames", ()) and not _is_transactional(item)


class SharedDemo:
    """The open outer transaction that holds the demo data, if any."""

    atomic = None

    @classmethod
    def open(cls):
        from django.core.management import call_command
        from django.db import transaction

        cls.atomic = transaction.atomic()
        # Like the test case's own blocks: a durable block inside a test is still allowed.
        cls.atomic._from_testcase = True
        cls.atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        except BaseException:
            cls.close()
            raise

    @classmethod
    def close(cls):
        from django.db import transaction

        if cls.atomic is not None:
            atomic, cls.atomic = cls.atomic, None
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def _shared_demo_closed_at_the_end(django_db_setup, django_db_blocker):
    """Rolls the shared demo transaction back at the end of the run, before the test database goes."""
    yield
    with django_db_blocker.unblock():
        SharedDemo.close()


@pytest.fixture
def _shared_demo_transaction(request, _shared_demo_closed_at_the_end, django_db_blocker):
    """Open the shared demo transaction for a test that reads the demo data, close it for any other."""
    with django_db_blocker.unblock():
        if _shares_demo(request.node):
            if SharedDemo.atomic is None:
                SharedDemo.open()
        else:
            SharedDemo.close()


@pytest.fixture
def _django_db_helper(_shared_demo_transaction, _django_db_helper):
    """pytest-django's per-test transaction, opened inside the shared demo transaction when there is one."""
    return _django_db_helper


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The tests that read the shared demo data first, one after another (pytest-django then puts the tests
    in rolled-back transactions before those that commit, keeping this order within each group)."""
    items.sort(key=lambda item: not _shares_demo(item))


@pytest.fixture
def demo_data(db):
    """The full demo data set, as ``manage.py load_demo`` loads it."""
    from django.core.management import call_command

    if SharedDemo.atomic is None:  # a test that commits: it loads the data itself
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def today():
    import datetime

    return datetime.date(2019, 6, 15)


from tests.smtp import smtp_server  # noqa: E402,F401  (fixture)
