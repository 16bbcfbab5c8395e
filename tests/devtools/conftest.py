import pytest


@pytest.fixture
def devtools(settings):
    """The devtools' middleware and URLs switched on, as config/settings.py does under DEBUG or BENCH."""
    settings.DEVTOOLS = True
    settings.MIDDLEWARE = ["tests.devtools.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "tests.devtools.urls_enabled"
