from celery.signals import worker_process_init
from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _prepare_report_renderers(**_kwargs):
    from .reports.formats import prepare_renderers

    prepare_renderers()


def _after_migrate(sender, app_config, using, **kwargs):
    # post_migrate is sent once per app with models, in INSTALLED_APPS order; act
    # on the last one, when every app's tables and permissions exist.
    if app_config is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return
    from .access import sync_groups
    from .periodic import install_periodic_tasks

    sync_groups()
    install_periodic_tasks()


class FederationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "federation"
    verbose_name = "Förbundet"

    def ready(self):
        from . import demo, models, registry
        from .reports.permissions import reports_allowed

        # The organisation's own sheets of the year export come first; the apps register theirs.
        for model, year_lookup in [
            (models.Federation, None),
            (models.Municipality, None),
            (models.Unit, None),
            (models.Role, None),
            (models.RoleAssignment, None),
            (models.DecisionBody, None),
            (models.FiscalYear, "year"),
            (models.FollowUp, "fiscal_year__year"),
            (models.Decision, "date__year"),
        ]:
            registry.register_year_export(model, year_lookup)
        registry.register_demo_loader(demo.load, order=10)
        for item in [
            registry.MenuItem(
                order=10,
                label=_("Översikt"),
                url_name="federation:home",
                visible=lambda viewer: True,
                current_for=("federation:landing",),
                landing=0,
                lands=lambda viewer: viewer.is_director,
            ),
            registry.MenuItem(
                order=60,
                label=_("Rapporter"),
                url_name="federation:reports",
                visible=lambda viewer: reports_allowed(groups=viewer.groups, director=viewer.is_director),
                current_for=("federation:report_preview", "federation:report_export"),
            ),
            # The admin site's own rule (AdminSite.has_permission).
            registry.MenuItem(
                order=90,
                label=_("Admin"),
                url_name="admin:index",
                visible=lambda viewer: viewer.user.is_active and viewer.user.is_staff,
            ),
        ]:
            registry.register_menu_item(item)

        post_migrate.connect(_after_migrate, dispatch_uid="federation.after_migrate")
        # A worker process loads what the report renderers need once, when it starts, not in its first export.
        worker_process_init.connect(_prepare_report_renderers, dispatch_uid="federation.prepare_report_renderers")


class FederationAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the federation's own site (federation/admin_site.py) as ``admin.site``."""

    default = False  # chosen by its dotted path in INSTALLED_APPS, never for "federation"
    default_site = "federation.admin_site.FederationAdminSite"
