"""An event-driven kontrollmoment ("Vid behov", "Vid varje nyanställning") has no planned checks: the person
responsible (or the förbundsdirektör) registers a performed check when the event happens, from Mina
kontroller. Such checks are counted on their own — on the plan page, in Mina kontroller and in the year
report — and are never overdue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from internalcontrol.models import Check, ControlPoint
from internalcontrol.report import build_sections
from internalcontrol.services import check_log_event
from tests.factories import RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import ControlPointFactory, adopted_plan

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2019, 9, 2)


@pytest.fixture
def hiring(settings):
    """An adopted 2019 plan with one kontrollmoment checked "Vid varje nyanställning" by the Administrativ
    chef, beside one checked quarterly; the chef and another person."""
    settings.FIXED_TODAY = TODAY
    role = RoleFactory(name="Administrativ chef")
    plan = adopted_plan(role=role, frequency="Vid varje nyanställning")
    area = plan.areas.get()
    ControlPointFactory(area=area, order=10, frequency_text="Kvartalsvis", responsible_role=role)
    from internalcontrol.services import checks_generate

    checks_generate(plan=plan)
    chef = RoleAssignmentFactory(role=role, user=UserFactory(username="chef"), valid_from=D(2019, 1, 1)).user
    point = ControlPoint.objects.get(area=area, event_driven=True)
    return plan, point, chef


def test_an_event_driven_kontrollmoment_gets_no_planned_checks(hiring):
    plan, point, chef = hiring
    assert not point.checks.exists()
    assert Check.objects.filter(control_point__area__plan=plan).count() == 4  # the quarterly one's


def test_the_role_holder_registers_a_performed_check_of_the_day_it_happened(hiring):
    plan, point, chef = hiring

    check = check_log_event(
        point=point, user=chef, result="ok", performed_on=D(2019, 8, 19), comment="Ny ekonom introducerad",
        today=TODAY,
    )  # fmt: skip

    stored = Check.objects.get(pk=check.pk)
    assert stored.control_point == point
    assert (stored.due_date, stored.performed_on, stored.result) == (D(2019, 8, 19), D(2019, 8, 19), "ok")
    assert (stored.performed_by, stored.comment) == (chef, "Ny ekonom introducerad")
    assert stored.logged_at is not None
    assert stored.due_state(TODAY) is None


def test_registering_is_refused_twice_the_same_day_in_the_future_after_the_year_and_for_others(hiring):
    plan, point, chef = hiring
    check_log_event(point=point, user=chef, result="ok", performed_on=D(2019, 8, 19), today=TODAY)

    with pytest.raises(ValidationError, match="redan en registrerad kontroll 2019-08-19"):
        check_log_event(point=point, user=chef, result="ok", performed_on=D(2019, 8, 19), today=TODAY)
    with pytest.raises(ValidationError, match="framtiden"):
        check_log_event(point=point, user=chef, result="ok", performed_on=D(2019, 9, 3), today=TODAY)
    with pytest.raises(ValidationError, match="efter verksamhetsåret 2019"):
        check_log_event(point=point, user=chef, result="ok", performed_on=D(2020, 1, 3), today=D(2020, 1, 5))
    with pytest.raises(PermissionDenied):
        check_log_event(point=point, user=UserFactory(), result="ok", performed_on=D(2019, 8, 20), today=TODAY)
    scheduled = ControlPoint.objects.get(area=point.area, event_driven=False)
    with pytest.raises(ValidationError, match="fasta förfallodagar"):
        check_log_event(point=scheduled, user=chef, result="ok", performed_on=D(2019, 8, 20), today=TODAY)
    assert point.checks.count() == 1


def test_a_remark_needs_its_severity_and_nothing_is_kept_when_refused(hiring):
    plan, point, chef = hiring
    with pytest.raises(ValidationError):
        check_log_event(point=point, user=chef, result="remark", performed_on=D(2019, 8, 19), today=TODAY)
    assert not point.checks.exists()


def test_event_driven_checks_are_counted_apart_and_never_overdue(hiring):
    plan, point, chef = hiring
    for day in (D(2019, 3, 4), D(2019, 8, 19)):
        check_log_event(point=point, user=chef, result="ok", performed_on=day, today=TODAY)

    summary = Check.objects.filter(control_point__area__plan=plan).summary(on=TODAY)

    assert (summary["planned"], summary["done"], summary["event_done"]) == (4, 0, 2)
    assert summary["overdue"] == 2  # the quarterly checks of March and June, none of the event-driven


def test_mina_kontroller_has_a_group_of_event_driven_kontrollmoment_with_the_button(hiring, client):
    plan, point, chef = hiring
    client.force_login(chef)

    page = client.get(reverse("internalcontrol:my-checks")).content.decode()

    assert "Händelsestyrda – registrera när de sker" in page
    assert "Händelsestyrd – vid varje nyanställning" in page
    assert '<td class="num" data-label="Genomförda">0</td>' in page
    section = page[page.index('<section class="ic-event-points"') : page.index("</section>")]
    assert '<table class="table">' in section  # drawn like the checks' table, with its header and borders
    assert '<th class="num">' in section
    assert reverse("internalcontrol:check-log-event", args=[point.pk]) in page
    assert "Registrera genomförd kontroll" in page


def test_the_registration_form_logs_the_check_and_the_pages_count_it(hiring, client):
    plan, point, chef = hiring
    client.force_login(chef)
    url = reverse("internalcontrol:check-log-event", args=[point.pk])

    form = client.get(url).content.decode()
    assert "Registrera genomförd kontroll" in form and 'value="2019-09-02"' in form
    response = client.post(url, {"result": "ok", "performed_on": "2019-08-19", "comment": "Ny ekonom"})

    check = point.checks.get()
    assert response.status_code == 302 and response.url == reverse("internalcontrol:check-detail", args=[check.pk])
    assert (check.performed_on, check.performed_by, check.comment) == (D(2019, 8, 19), chef, "Ny ekonom")
    again = client.post(url, {"result": "ok", "performed_on": "2019-08-19"}).content.decode()
    assert "redan en registrerad kontroll 2019-08-19" in again
    mine = client.get(reverse("internalcontrol:my-checks")).content.decode()
    assert '<td class="num" data-label="Genomförda">1</td>' in mine
    assert "1 händelsestyrd registrerad" in mine
    plan_page = client.get(reverse("internalcontrol:index") + "?year=2019").content.decode()
    assert "Händelsestyrd – vid varje nyanställning" in plan_page
    assert "1 genomförd" in plan_page


def test_only_the_role_holder_or_the_director_opens_the_registration_form(hiring, client):
    plan, point, chef = hiring
    client.force_login(UserFactory())
    assert client.get(reverse("internalcontrol:check-log-event", args=[point.pk])).status_code == 403
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True), user=UserFactory(), valid_from=D(2010, 1, 1)
    ).user
    client.force_login(director)
    assert client.get(reverse("internalcontrol:check-log-event", args=[point.pk])).status_code == 200
    scheduled = ControlPoint.objects.get(area=point.area, event_driven=False)
    assert client.get(reverse("internalcontrol:check-log-event", args=[scheduled.pk])).status_code == 404


def test_the_year_report_counts_the_event_driven_kontrollmoment_apart(hiring):
    plan, point, chef = hiring
    for day in (D(2019, 3, 4), D(2019, 8, 19)):
        check_log_event(point=point, user=chef, result="ok", performed_on=day, today=TODAY)

    summary = build_sections(fiscal_year=2019)[0]

    texts = [getattr(block, "text", "") for block in summary.blocks]
    assert any(text.startswith("1 händelsestyrt kontrollmoment, 2 genomförda kontroller") for text in texts)


def test_the_detail_page_of_a_registered_event_says_when_it_happened_and_händelsestyrd(hiring, client):
    plan, point, chef = hiring
    check = check_log_event(point=point, user=chef, result="ok", performed_on=D(2019, 8, 19), today=TODAY)
    client.force_login(chef)

    page = client.get(reverse("internalcontrol:check-detail", args=[check.pk])).content.decode()

    assert "<dt>Inträffade</dt><dd>2019-08-19</dd>" in page
    assert "Förfallodag" not in page
    assert "<dd>Händelsestyrd – vid varje nyanställning</dd>" in page
    scheduled = Check.objects.filter(control_point__event_driven=False).first()
    other = client.get(reverse("internalcontrol:check-detail", args=[scheduled.pk])).content.decode()
    assert "<dt>Förfallodag</dt>" in other and "<dd>Kvartalsvis</dd>" in other


def test_the_plan_pages_frequency_filter_offers_händelsestyrd_and_löpande_leaves_them_out(hiring, client):
    plan, point, chef = hiring
    ControlPointFactory(area=point.area, order=11, description="Löpande attest", frequency_text="Löpande")
    client.force_login(chef)
    url = reverse("internalcontrol:index")

    page = client.get(url, {"year": 2019}).content.decode()
    assert '<option value="event">Händelsestyrd</option>' in page
    event_label = "Händelsestyrd – vid varje nyanställning"
    events = client.get(url, {"year": 2019, "per_year": "event"}).content.decode()
    assert event_label in events and "Löpande attest" not in events
    continuous = client.get(url, {"year": 2019, "per_year": "0"}).content.decode()
    assert "Löpande attest" in continuous and event_label not in continuous
