"""The year's goal tree written flat: one row per activity or mätetal value."""

import tablib
from django.utils.translation import gettext as _

from .models import format_number
from .selectors import goal_tree

HEADER = [
    "Inriktningsmål",
    "Bedömning inriktningsmål",
    "Strategi",
    "Verksamhet",
    "Aktivitet",
    "Mätetal",
    "Period",
    "Dimension",
    "Målvärde",
    "Utfall",
    "Bedömning",
]
# Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). The
# library's own escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) only strips a leading "=".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _status(item):
    return item.latest.get_status_display() if item.latest else ""


def export_rows(fiscal_year):
    for goal in goal_tree(fiscal_year):
        goal_cells = [goal.title, _status(goal)]
        for strategy in goal.strategy_list:
            units = ", ".join(unit.name for unit in strategy.units.all())
            strategy_cells = [*goal_cells, strategy.title, units]
            wrote = False
            for indicator in strategy.indicator_list:
                yield from _indicator_rows(strategy_cells, "", indicator, _status(strategy))
                wrote = True
            for activity in strategy.activity_list:
                title = f"{activity.number}. {activity.title}" if activity.number else activity.title
                cells = [*goal_cells, strategy.title, activity.unit.name]
                yield [*cells, title, "", "", "", "", "", _status(activity)]
                for indicator in activity.indicator_list:
                    yield from _indicator_rows(cells, title, indicator, _status(activity))
                wrote = True
            if not wrote:
                yield [*strategy_cells, "", "", "", "", "", "", _status(strategy)]


def _indicator_rows(cells, activity_title, indicator, status):
    target = indicator.target_display
    if not indicator.outcome_list:
        yield [*cells, activity_title, indicator.name, "", "", target, "", status]
    for outcome in indicator.outcome_list:
        yield [
            *cells,
            activity_title,
            indicator.name,
            str(outcome.follow_up),
            outcome.dimension_label,
            target,
            outcome.display if outcome.numerator is not None or outcome.value is None else format_number(outcome.value),
            status,
        ]


def export_dataset(fiscal_year) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=HEADER, title=_("Mål %(year)s") % {"year": fiscal_year.year})
    for row in export_rows(fiscal_year):
        dataset.append([safe_cell(value) for value in row])
    return dataset


def export_bytes(fiscal_year, file_format: str) -> bytes:
    dataset = export_dataset(fiscal_year)
    if file_format == "xlsx":
        return dataset.export("xlsx")
    if file_format == "csv":
        return dataset.export("csv").encode("utf-8-sig")
    raise ValueError(_("Okänt filformat: %(format)s (använd .xlsx eller .csv)") % {"format": file_format})
