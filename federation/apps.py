from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


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
        post_migrate.connect(_after_migrate, dispatch_uid="federation.after_migrate")
