from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "tests.devtools"
    label = "devtools"
    verbose_name = "Mätverktyg (bara i utveckling)"
