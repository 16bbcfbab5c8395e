"""The admin index: the domain's sections in Swedish and in order; technical tables only for superusers."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from federation.admin_site import FederationAdminSite

pytestmark = pytest.mark.django_db

DOMAIN = ["Förbundet", "Mål", "Internkontroll", "Påminnelser"]
TECHNICAL_WORDS = ["Teknik", "Access", "Axes", "Celery", "Periodic", "Crontab", "Behörighetsgrupper", "Task result"]


def index(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>(.*?)</a>', page, re.S)
    models = re.findall(r'<th scope="row" id="[^"]*">\s*<a [^>]*>(.*?)</a>', page, re.S)
    title = re.search(r"<title>(.*?) \|", page).group(1)
    return sections, models, title


def test_the_admin_site_is_ours():
    assert isinstance(admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site, FederationAdminSite)


def test_the_directors_index_lists_the_domain_in_order_and_no_technical_section(client, demo_data):
    sections, models, title = index(client, "direktor")
    assert sections == DOMAIN
    assert title == "Förbundsdirektörens administration"
    assert len(models) == len(set(models)), "an entry appears twice"
    assert not [word for word in TECHNICAL_WORDS if any(word.lower() in m.lower() for m in sections + models)]


def test_the_administrative_chiefs_index_is_titled_for_them(client, demo_data):
    sections, models, title = index(client, "adminchef")
    assert sections == DOMAIN
    assert title == "Administration – Administrativ chef"
    assert "Förbundsdirektör" not in title


def test_technical_tables_are_refused_to_the_director_even_by_url(client, demo_data):
    client.force_login(get_user_model().objects.get(username="direktor"))
    for name in ("axes_accessattempt", "django_celery_beat_periodictask", "django_celery_results_taskresult",
                 "auth_group"):  # fmt: skip
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


def test_a_superuser_sees_the_technical_tables_under_one_heading_last(client, demo_data):
    get_user_model().objects.create_superuser("root", "root@example.org", "x-very-long-password-1")
    sections, models, title = index(client, "root")
    assert sections == [*DOMAIN, "Teknik"]
    assert {"Inloggningsförsök", "Schemalagda uppgifter", "Uppgiftsresultat", "Behörighetsgrupper"} <= set(models)
    assert len(models) == len(set(models))
    assert title == "Administration (superanvändare)"
