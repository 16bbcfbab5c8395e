"""On PostgreSQL, a statement the app runs again and again is prepared on the connection (config/settings.py:
server-side parameters and psycopg's threshold of five), so PostgreSQL neither parses nor plans it each time."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_query_run_six_times_is_prepared_on_the_connection():
    users = get_user_model().objects.filter(username="ingen-sådan")
    for _ in range(6):
        list(users.all())  # a new queryset each time, so the query runs each time
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "auth_user"' in statement and "$1" in statement for statement in prepared), prepared
