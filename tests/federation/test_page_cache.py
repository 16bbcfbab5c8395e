"""The page cache: a page is rendered once per session and served again until anything it could show changes.

These tests commit for real (transactional_db): the cache only keeps pages rendered when no write is
pending, and moves the data version on when a write commits, as in production."""

import datetime
import subprocess
import sys

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federation.models import DataVersion
from federation.pagecache import data_version
from goals.models import DirectionGoal
from tests.goals.factories import DirectionGoalFactory, director
from tests.services import BASE_DIR, database_url

pytestmark = pytest.mark.django_db(transaction=True)

TREE = "/mal/?year=2019"
# A page from the cache costs the session, the user and the data version, and nothing else.
HIT_QUERIES = 3


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def goal():
    return DirectionGoalFactory(title="Fler företag i regionen")


@pytest.fixture
def reader(client, goal):
    """The förbundsdirektör, logged in, with the CSRF cookie a browser has after its first page."""
    client.force_login(director())
    client.get(TREE)
    return client


def get(client, path=TREE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_second_view_of_a_page_comes_from_the_cache(reader):
    first, rendered_queries = get(reader)
    second, cached_queries = get(reader)
    assert "Fler företag i regionen" in first
    assert second == first
    assert cached_queries == HIT_QUERIES < rendered_queries


def test_a_saved_change_shows_on_the_next_view(reader, goal):
    get(reader)
    goal.title = "Fler och växande företag"
    goal.save()
    page, queries = get(reader)
    assert "Fler och växande företag" in page and queries > HIT_QUERIES


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda goal: DirectionGoal.objects.filter(pk=goal.pk).update(title="Ändrad"), id="update"),
        pytest.param(
            lambda goal: DirectionGoal.objects.bulk_create(
                [DirectionGoal(fiscal_year=goal.fiscal_year, code="ny", order=99, title="Ändrad")]
            ),
            id="bulk_create",
        ),
        pytest.param(lambda goal: goal.delete(), id="delete"),
        pytest.param(
            lambda goal: connection.cursor().execute(
                "UPDATE goals_directiongoal SET title = %s WHERE id = %s", ["Ändrad", goal.pk]
            ),
            id="raw SQL",
        ),
    ],
)
def test_every_kind_of_write_empties_the_cache(reader, goal, change):
    before, _ = get(reader)
    change(goal)
    after, queries = get(reader)
    assert after != before and queries > HIT_QUERIES


def test_a_write_counts_when_it_commits_and_not_if_it_rolls_back(reader, goal):
    get(reader)
    version = data_version()
    with transaction.atomic():
        DirectionGoal.objects.filter(pk=goal.pk).update(title="Under arbete")
        # The connection that wrote sees its own change, and keeps nothing meanwhile.
        page, queries = get(reader)
        assert "Under arbete" in page and queries > HIT_QUERIES
        assert data_version() == version
    assert data_version() == version + 1

    get(reader)
    with pytest.raises(RuntimeError), transaction.atomic():
        DirectionGoal.objects.filter(pk=goal.pk).update(title="Ångrad")
        raise RuntimeError
    assert data_version() == version + 1
    page, queries = get(reader)
    assert "Under arbete" in page and queries == HIT_QUERIES


def test_a_write_by_another_process_empties_the_cache(reader, goal):
    get(reader)
    script = (
        "from goals.models import DirectionGoal; "
        f"DirectionGoal.objects.filter(pk={goal.pk}).update(title='Ändrad av arbetaren')"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    page, queries = get(reader)
    assert "Ändrad av arbetaren" in page and queries > HIT_QUERIES


def test_logins_and_sessions_leave_the_cache_alone(reader):
    get(reader)
    other = Client()
    other.force_login(director("direktor2"))  # writes a session and last_login
    page, queries = get(reader)
    assert queries > HIT_QUERIES, "last_login is a change to auth_user"
    get(reader)
    other.session.save()  # only the session table
    _, queries = get(reader)
    assert queries == HIT_QUERIES


def test_each_session_has_its_own_pages(reader):
    first, _ = get(reader)
    get(reader)
    other = Client()
    other.force_login(director("direktor2"))
    other.get(TREE)
    page, queries = get(other)
    assert queries > HIT_QUERIES
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="csrfmiddlewaretoken"' in first


def test_a_page_with_a_message_is_rendered_and_not_kept(reader, rf):
    get(reader)
    get(reader)
    # A message waiting to be shown, as a view leaves it before its redirect (Django's cookie storage).
    storage = CookieStorage(rf.get("/"))
    reader.cookies["messages"] = storage._encode([Message(messages.SUCCESS, "Sparat.")])
    page, queries = get(reader)
    assert "Sparat." in page and queries > HIT_QUERIES
    page, queries = get(reader)
    assert "Sparat." not in page and queries == HIT_QUERIES


def test_the_next_day_renders_anew(reader, monkeypatch):
    get(reader)
    get(reader)
    from federation import pagecache

    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: datetime.date(2031, 1, 1))
    _, queries = get(reader)
    assert queries > HIT_QUERIES


def test_an_admin_change_list_is_cached_and_follows_changes(reader, goal):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    reader.force_login(admin_user)
    path = reverse("admin:goals_assessment_changelist")
    reader.get(path)
    get(reader, path)
    _, queries = get(reader, path)
    assert queries == HIT_QUERIES
    DirectionGoal.objects.filter(pk=goal.pk).update(title="Ändrad")
    _, queries = get(reader, path)
    assert queries > HIT_QUERIES


def test_migrate_moves_the_version_on(goal):
    from django.core.management import call_command

    version = data_version()
    call_command("migrate", verbosity=0)
    assert data_version() == version + 1 == DataVersion.objects.get().value


def test_turned_off_nothing_is_kept(reader, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(reader)
    _, queries = get(reader)
    assert queries > HIT_QUERIES
