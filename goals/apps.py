from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "goals"
    verbose_name = "Måluppfyllelse"

    def ready(self):
        """What goals contributes to federation's machinery (see federation.registry)."""
        from federation import registry

        from . import demo, models, overview, permissions, reminders, report

        registry.register_reminder_provider(reminders.follow_up_items)
        registry.register_reminder_provider(reminders.submission_items)
        registry.register_report_sections(report.build_sections)
        registry.register_summary(registry.ReportSummary(order=10, lines=report.summary_lines))
        registry.register_menu_item(
            registry.MenuItem(
                order=20,
                label=_("Min enhet"),
                url_name="goals:my_unit",
                visible=lambda viewer: permissions.may_use_my_unit(
                    director=viewer.is_director, leads_units=viewer.leads_units
                ),
                landing=10,
                lands=lambda viewer: viewer.leads_units,
            )
        )
        registry.register_menu_item(
            registry.MenuItem(
                order=40, label=_("Mål"), url_name="goals:index", visible=lambda viewer: True, section="goals"
            )
        )
        registry.register_menu_item(
            registry.MenuItem(
                order=45, label=_("Att godkänna"), url_name="goals:approvals", visible=lambda viewer: viewer.is_director
            )
        )
        registry.register_overview_panel(
            registry.OverviewPanel(
                order=20, template_name="goals/overview_panel.html", context=overview.overview_context
            )
        )
        for model, year_lookup in [
            (models.OverallGoal, "fiscal_year__year"),
            (models.DirectionGoal, "fiscal_year__year"),
            (models.Strategy, "fiscal_year__year"),
            (models.Activity, "fiscal_year__year"),
            (models.Indicator, "fiscal_year__year"),
            (models.Outcome, "indicator__fiscal_year__year"),
            (models.TargetRevision, "indicator__fiscal_year__year"),
            (models.Assessment, "follow_up__fiscal_year__year"),
            (models.Submission, "follow_up__fiscal_year__year"),
        ]:
            registry.register_year_export(model, year_lookup)
        registry.register_demo_loader(demo.load, order=20)
