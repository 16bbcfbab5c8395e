"""The shared base for every django-tables2 table in the app."""

import django_tables2 as tables


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table"}
        template_name = "django_tables2/table.html"
        empty_text = "Inga rader att visa."
        per_page = 50
