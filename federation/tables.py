"""The shared base for every django-tables2 table in the app."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table"}
        template_name = "django_tables2/table.html"
        empty_text = "Inga rader att visa."
        per_page = 50

    MAX_PER_PAGE = 500

    def paginate(self, *args, per_page=None, **kwargs):
        """django-tables2 takes ``?per_page=`` as any integer (0 or -1 broke the page); keep it within 1–500."""
        if per_page is not None:
            per_page = min(max(per_page, 1), self.MAX_PER_PAGE)
        return super().paginate(*args, per_page=per_page, **kwargs)


class DateColumn(tables.Column):
    """A date in the short format (Y-m-d in Swedish). django-tables2's own DateColumn renders a template per
    cell, which made the date columns the slowest part of a long table; this formats the date directly."""

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")


class PageUrls:
    """URLs of one route for many rows: reversed once per page, then the row's pk formatted in (a ``reverse()``
    or ``{% url %}`` per row was a noticeable part of the long pages). ``urls("goals:indicator", pk)``; the pk
    is the route's last argument."""

    MARK = 987654321

    def __init__(self):
        self.parts = {}

    def __call__(self, name, *args):
        *fixed, pk = args
        key = (name, *fixed)
        if key not in self.parts:
            self.parts[key] = reverse(name, args=[*fixed, self.MARK]).rsplit(str(self.MARK), 1)
        head, tail = self.parts[key]
        return f"{head}{pk}{tail}"


class PlainRowsMixin:
    """The body rows written by the table's own cell functions (``cell_<column>(record)``) into plain HTML
    (``plain_rows``, drawn by ``templates/internalcontrol/_plain_rows.html``): the same cells django-tables2
    would render, without its per-cell machinery (accessor lookups, signature inspection, attributes per cell),
    which was most of a long page's time. Header, ordering and pagination stay django-tables2's."""

    def records(self):
        page = getattr(self, "page", None)
        return [row.record for row in (page.object_list if page is not None else self.rows)]

    def value_or_default(self, value):
        return self.default if value in (None, "") else value

    def plain_rows(self):
        self.urls = PageUrls()
        # Each column's cell function and its <td> (attributes read once per column, not per cell).
        cells = [
            # data-label: the column's name for the cell, shown when a phone stacks the row as a card.
            (
                getattr(self, f"cell_{column.name}"),
                format_html('<td {} data-label="{}">', column.attrs["td"].as_html(), column.header),
            )
            for column in self.columns
        ]
        return [
            format_html(
                "{}{}</tr>",
                self.row_start(record, index),
                format_html_join("", "{}{}</td>", ((td, make(record)) for make, td in cells)),
            )
            for index, record in enumerate(self.records())
        ]

    def row_start(self, record, index):
        return format_html('<tr class="{}">', "odd" if index % 2 else "even")
