from django.apps import AppConfig


class GoalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "goals"
    verbose_name = "Måluppfyllelse"

    def ready(self):
        """What goals contributes to federation's machinery (see federation.registry)."""
        from federation import registry

        from . import demo, models, overview, reminders, report

        registry.register_reminder_provider(reminders.follow_up_items)
        registry.register_reminder_provider(reminders.submission_items)
        registry.register_report_sections(report.build_sections)
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
            (models.Assessment, "follow_up__fiscal_year__year"),
            (models.Submission, "follow_up__fiscal_year__year"),
        ]:
            registry.register_year_export(model, year_lookup)
        registry.register_demo_loader(demo.load, order=20)
