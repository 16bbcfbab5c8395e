"""The key pages run the same bounded number of queries at factor 1 and factor 5 of the 2019 volume."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from goals.models import Indicator
from tests.devtools.management.commands.generate_scaled_data import Command as GenerateScaledData

pytestmark = pytest.mark.django_db

# (user, path, max queries) — the same ceiling whatever the factor.
PAGES = [
    # Översikt: frame 6 (the units led: read only for a user whose roles lead one, as the direktör's do), internal
    # control 6 (with the due rules, federation.dates.due_rules), goals 8 (the follow-ups waiting for approval,
    # one query) (see docs/performance.md)
    ("direktor", "/", 20),
    # The plan and Mina kontroller: their tables are included, not rendered by {% render_table %} (which runs
    # the context processors, two queries, a second time).
    # (+3 since the plan page shows the Direktion's decisions: adopted by, reported by, and the adopt action)
    # (+1 for the event-driven kontrollmoment on the page: their registered checks, counted with the due rules)
    # (the director check answered by the request's viewer: federation.selectors.is_director)
    ("direktor", "/internkontroll/", 15),
    # (+1 for the event-driven kontrollmoment of the user's roles, with their registered checks)
    ("adminchef", "/internkontroll/mina-kontroller/", 11),
    ("adminchef", "/internkontroll/mina-kontroller/?state=done", 11),
    ("direktor", "/internkontroll/atgarder/", 14),
    # Session, user, header roles and groups (4); the years with a has-goals flag (select, default, validation);
    # the units; the year's goal ids (paged in Python); the tree in six queries (goals.selectors._read_tree);
    # the summary sentence (2: the follow-up, the goals with their statuses). One more: the default year is
    # the year in progress (federation.dates), the demo's living year, which has no assessment yet, so
    # goals.selectors.latest_follow_up reads the follow-ups a second time.
    ("direktor", "/mal/", 16),
    # As above, plus the units led and the director check; the follow-ups with the current one; submissions;
    # the outcomes of the page's mätetal; one more when a mätetal on the page is split by municipality.
    ("navet", "/mal/min-enhet/", 19),
    ("direktor", "MATETAL", 10),
    # the plan filter reads the plans with their years at once; the direktör's admin site (federation.admin_site)
    # reads the user's roles once (AdminSite.has_permission), for its title and every model of the side bar
    ("direktor", "/admin/internalcontrol/check/", 13),
]


@pytest.mark.parametrize("factor", [1, 5])
def test_key_pages_query_count_stays_bounded_as_data_grows(factor, client, django_assert_max_num_queries):
    call_command(GenerateScaledData(), factor=factor, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    indicator = Indicator.objects.filter(fiscal_year__year=2019, outcomes__isnull=False).order_by("pk").first()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["direktor", "adminchef", "navet"])}
    for username, path, ceiling in PAGES:
        path = f"/mal/matetal/{indicator.pk}/" if path == "MATETAL" else path
        client.force_login(users[username])
        with django_assert_max_num_queries(ceiling):
            response = client.get(path)
        assert response.status_code == 200, path
        assert b"<table" in response.content, path
