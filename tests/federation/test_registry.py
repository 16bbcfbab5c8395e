"""The registry: what goals and internalcontrol register in their AppConfig.ready(), and that federation's
machinery (the sweep, the report, the översikt, the year export, load_demo) uses what is registered."""

import copy
import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from federation import registry
from federation.reminders import ReminderItem, Stage
from federation.reminders.services import reminders_sweep
from federation.year_export import exported_models, year_queryset
from tests.factories import FiscalYearFactory, RoleAssignmentFactory, RoleFactory, UserFactory

D = datetime.date


def test_the_domain_apps_registrations_are_present_after_django_setup():
    import federation.demo
    import goals.demo
    import goals.reminders
    import goals.report
    import internalcontrol.demo
    import internalcontrol.reminders
    import internalcontrol.report
    from goals.models import Outcome
    from internalcontrol.models import Check

    providers = registry.reminder_providers()
    assert goals.reminders.follow_up_items in providers
    assert internalcontrol.reminders.check_items in providers and internalcontrol.reminders.action_items in providers
    assert set(registry.report_section_builders()) == {
        goals.report.build_sections,
        internalcontrol.report.build_sections,
    }
    assert [summary.lines for summary in registry.report_summaries()] == [
        goals.report.summary_lines,
        internalcontrol.report.summary_lines,
    ]
    assert [panel.template_name for panel in registry.overview_panels()] == [
        "internalcontrol/overview_panel.html",
        "goals/overview_panel.html",
    ]
    labels = [model._meta.label for model in exported_models()]
    assert labels[0] == "federation.Federation" and labels.index("goals.OverallGoal") < labels.index(
        "internalcontrol.ControlPlan"
    )
    assert Outcome in exported_models() and Check in exported_models() and len(labels) == len(set(labels)) == 29
    assert registry.demo_loaders() == [federation.demo.load, goals.demo.load, internalcontrol.demo.load]


def test_registering_twice_or_unregistering_what_is_not_registered_is_an_error():
    import goals.reminders

    with pytest.raises(ImproperlyConfigured, match=r"already registered \(reminder provider\)"):
        registry.register_reminder_provider(goals.reminders.follow_up_items)
    with pytest.raises(ImproperlyConfigured, match=r"not registered \(översikt panel\)"):
        registry.unregister_overview_panel(registry.OverviewPanel(order=1, template_name="x.html", context=dict))


@pytest.mark.django_db
def test_a_registered_reminder_provider_is_asked_by_the_sweep_with_the_director_role():
    # given a role with a holder, a förbundsdirektör, and a provider registered for the test
    role = RoleFactory(name="Ekonom")
    holder = RoleAssignmentFactory(role=role, user=UserFactory(username="ekonom"), valid_from=D(2019, 1, 1)).user
    director_role = RoleFactory(name="Förbundsdirektör", is_director=True)
    asked = []

    def provider(*, today, settings, director_role_id):
        asked.append((today, director_role_id))
        yield ReminderItem(key="test:1", stage=Stage.DUE, title="Testärende", due_date=today, role_id=role.pk)

    registry.register_reminder_provider(provider)
    try:
        # when the sweep runs
        result = reminders_sweep(today=D(2019, 6, 10), dry_run=True)
    finally:
        registry.unregister_reminder_provider(provider)

    # then the provider was asked once, with the director role, and its item goes to the role's holder
    assert asked == [(D(2019, 6, 10), director_role.pk)]
    assert [(p.item.key, p.recipient_id) for p in result.planned if p.item.key == "test:1"] == [("test:1", holder.pk)]
    assert provider not in registry.reminder_providers()


@pytest.mark.django_db
def test_a_registered_overview_panel_is_drawn_in_its_place_with_its_own_variables(
    client, admin_user, settings, tmp_path
):
    # given a panel template and a panel ordered between internal control (10) and the goals (20)
    (tmp_path / "test_panel.html").write_text(
        '<section class="card" id="test-panel">{{ greeting }} {{ fiscal_year.year }} {{ on|date:"Y-m-d" }} '
        "{{ username }}</section>"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates

    def context(*, fiscal_year, on, user):
        return {"greeting": "Hej från panelen", "username": user.username}

    panel = registry.OverviewPanel(order=15, template_name="test_panel.html", context=context)
    FiscalYearFactory(year=2019)
    settings.FIXED_TODAY = datetime.date(2019, 12, 31)  # the day the översikt speaks of (federation.dates)
    client.force_login(admin_user)
    registry.register_overview_panel(panel)
    try:
        # when the översikt is shown
        page = client.get("/?year=2019").content.decode()
    finally:
        registry.unregister_overview_panel(panel)

    # then the panel is drawn with the frame's and its own variables, after internal control and before the goals
    assert f"Hej från panelen 2019 2019-12-31 {admin_user.username}" in page
    assert page.index('id="h-ic"') < page.index('id="test-panel"') < page.index('id="h-goals"')


@pytest.mark.django_db
def test_a_registered_year_export_model_gets_its_sheet_with_the_rows_of_the_year():
    from federation.models import FollowUp

    # FollowUp is federation's own, registered with its lookup to the year
    FiscalYearFactory(year=2019)
    FiscalYearFactory(year=2020)
    assert FollowUp in exported_models()
    years = [follow_up.fiscal_year.year for follow_up in year_queryset(FollowUp, 2019)]
    assert years and set(years) == {2019}


def test_a_demo_loader_runs_in_its_order():
    import federation.demo
    import goals.demo

    def load():
        pass

    registry.register_demo_loader(load, order=15)
    try:
        assert registry.demo_loaders()[:3] == [federation.demo.load, load, goals.demo.load]
    finally:
        registry.unregister_demo_loader(load)
    assert load not in registry.demo_loaders()
