from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternalcontrolConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "internalcontrol"
    verbose_name = "Intern kontroll"

    def ready(self):
        """What internal control contributes to federation's machinery (see federation.registry)."""
        from federation import registry

        from . import demo, models, overview, permissions, reminders, report

        registry.register_reminder_provider(reminders.check_items)
        registry.register_reminder_provider(reminders.action_items)
        registry.register_reminder_provider(reminders.adoption_items)
        registry.register_report_sections(report.build_sections)
        registry.register_summary(registry.ReportSummary(order=20, lines=report.summary_lines))
        registry.register_role_fact(registry.RoleFact(permissions.CONTROL_ROLE, permissions.control_role_condition))
        registry.register_menu_item(
            registry.MenuItem(
                order=30,
                label=_("Mina kontroller"),
                url_name="internalcontrol:my-checks",
                visible=permissions.may_log_checks,
                landing=20,
            )
        )
        registry.register_menu_item(
            registry.MenuItem(
                order=50,
                label=_("Internkontroll"),
                url_name="internalcontrol:index",
                visible=lambda viewer: True,
                section="internalcontrol",
            )
        )
        registry.register_overview_panel(
            registry.OverviewPanel(
                order=10, template_name="internalcontrol/overview_panel.html", context=overview.overview_context
            )
        )
        for model, year_lookup in [
            (models.ControlPlan, "fiscal_year__year"),
            (models.ControlGroup, "plan__fiscal_year__year"),
            (models.ReviewArea, "plan__fiscal_year__year"),
            (models.ControlPoint, "area__plan__fiscal_year__year"),
            (models.Risk, "plan__fiscal_year__year"),
            (models.Check, "control_point__area__plan__fiscal_year__year"),
            (models.Evidence, "check_item__control_point__area__plan__fiscal_year__year"),
            (models.Deviation, "check_item__control_point__area__plan__fiscal_year__year"),
            (models.Action, "control_point__area__plan__fiscal_year__year"),
            (models.PlanSignOff, "plan__fiscal_year__year"),
            (models.EvidencePack, "fiscal_year__year"),
        ]:
            registry.register_year_export(model, year_lookup)
        registry.register_demo_loader(demo.load, order=30)
