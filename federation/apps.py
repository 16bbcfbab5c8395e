from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_groups(sender, **kwargs):
    from .access import sync_groups

    sync_groups()


class FederationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "federation"
    verbose_name = "Förbundet"

    def ready(self):
        # After the last app has migrated, so every app's permissions exist.
        post_migrate.connect(_sync_groups, dispatch_uid="federation.sync_groups")
