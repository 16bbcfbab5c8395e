"""The shared base for every django-tables2 table in the app."""

import django_tables2 as tables
from django.utils.formats import date_format


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table"}
        template_name = "django_tables2/table.html"
        empty_text = "Inga rader att visa."
        per_page = 50


class DateColumn(tables.Column):
    """A date in the short format (Y-m-d in Swedish). django-tables2's own DateColumn renders a template per
    cell, which made the date columns the slowest part of a long table; this formats the date directly."""

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")
