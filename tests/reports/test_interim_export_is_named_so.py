"""A background export of the delår is a delårsrapport on its page and in its file name, not an årsredovisning."""

import pytest
from django.urls import reverse

from federation.reports.exports import report_export_run
from federation.reports.services import report_export_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "follow_up,name,filename",
    [("delår", "delårsrapport", "delarsrapport-2019.pdf"), ("helår", "årsredovisning", "arsredovisning-2019.pdf")],
)
def test_the_status_page_and_the_download_name_the_report_chosen(
    client, year_2019, units, director, follow_up, name, filename
):
    export = report_export_request(user=director, fiscal_year=2019, fmt="pdf", follow_up=follow_up)
    report_export_run(export_id=export.pk)
    client.force_login(director)

    page = client.get(reverse("federation:report_export", args=[export.pk]))
    download = client.get(reverse("federation:report_download", args=[export.pk]))

    assert f"Export av {name} 2019 (PDF)" in page.content.decode()
    assert f'filename="{filename}"' in download["Content-Disposition"]


@pytest.fixture
def director():
    from tests.factories import RoleAssignmentFactory, RoleFactory

    user = UserFactory(username="direktor")
    RoleAssignmentFactory(user=user, role=RoleFactory(name="Förbundsdirektör", is_director=True))
    return user
