"""Arbitrary unicode in every query-string parameter of every page, as every role: never a 500, never a write.

The pages and their arguments are the permission matrix's walk (every GET URL of the goals,
internalcontrol and federation URL confs); the parameters are every one a page reads: the filter
forms' fields, the report chooser's fields, the tables' sort and page, and the few read by hand."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from federation.reports.forms import ReportOptionsForm
from goals.filters import GoalTreeFilter
from internalcontrol.filters import ActionFilter, CheckFilter, PlanFilter
from tests.security.test_permission_matrix import DOWNLOADS, POST_ONLY, ROLELESS, ROLES, url_kwargs, url_names

pytestmark = pytest.mark.django_db

USERS = [username for _, username in ROLES]

# Read by hand in the views (year, page, unit, a cell of the risk map) and by django-tables2 (sort, page).
HAND_READ = {"year", "sida", "enhet", "sannolikhet", "konsekvens", "sort", "page", "per_page", "status"}
PARAMETERS = sorted(
    HAND_READ
    | set(GoalTreeFilter.base_filters)
    | set(PlanFilter.base_filters)
    | set(CheckFilter.base_filters)
    | set(ActionFilter.base_filters)
    | set(ReportOptionsForm.base_fields)
)

# Known troublemakers: digits int() refuses, numbers no column holds, NUL, a float overflow.
TRICKY = ["²", "①", "٣", "99999999999999999999", "-1", "0", "\x00", "1e999", "NaN", "2019", " 2020 ", "", "a" * 300]
values = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
)
query = st.dictionaries(st.sampled_from(PARAMETERS), st.lists(values, min_size=1, max_size=2), max_size=5)

# Four examples per page and role (two fixed, two drawn): 28 per page, the whole walk in about two minutes.
EXAMPLES = settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def pages():
    return [name for name in url_names() if name not in POST_ONLY | DOWNLOADS]


def login(client, username):
    if username == ROLELESS:
        client.force_login(get_user_model().objects.create_user(ROLELESS, first_name="Utan", last_name="Roll"))
    elif username:
        client.force_login(get_user_model().objects.get(username=username))


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonym")
@pytest.mark.parametrize("page", pages())
def test_no_query_string_gives_a_500_or_writes_anything(client, demo_data, page, username):
    login(client, username)
    url = reverse(page, kwargs=url_kwargs(username)[page])

    @given(params=query)
    @example(params={"year": ["²"], "sannolikhet": ["²"], "konsekvens": ["①"], "per_page": ["0"]})
    @example(params={"year": ["99999999999999999999"], "enhet": ["1e999"], "sida": ["\x00"], "per_page": ["-1"]})
    @EXAMPLES
    def probe(params):
        sid = transaction.savepoint()
        try:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, params)
        finally:
            transaction.savepoint_rollback(sid)
        assert response.status_code < 500, f"GET {url} {params!r}: {response.status_code}"
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == [], f"GET {url} {params!r} wrote: {writes}"

    probe()
