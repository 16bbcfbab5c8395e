"""The key pages run the same bounded number of queries at factor 1 and factor 5 of the 2019 volume."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from goals.models import Indicator
from tests.devtools.management.commands.generate_scaled_data import Command as GenerateScaledData

pytestmark = pytest.mark.django_db

# (user, path, max queries) — the same ceiling whatever the factor.
PAGES = [
    ("direktor", "/", 18),  # Översikt: frame 6, internal control 5, goals 7 (see docs/performance.md)
    ("direktor", "/internkontroll/", 15),
    ("adminchef", "/internkontroll/mina-kontroller/", 17),
    ("adminchef", "/internkontroll/mina-kontroller/?state=done", 17),
    ("direktor", "/internkontroll/atgarder/", 15),
    ("direktor", "/mal/", 24),
    ("navet", "/mal/min-enhet/", 26),
    ("direktor", "MATETAL", 14),
    ("direktor", "/admin/internalcontrol/check/", 13),  # the plan filter reads the plans with their years at once
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
