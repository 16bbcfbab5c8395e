from django.apps import AppConfig


class InternalcontrolConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "internalcontrol"
    verbose_name = "Intern kontroll"
