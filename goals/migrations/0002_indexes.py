"""Indexes for the filters the goal pages use (issue 8).

Plain SQL that SQLite and PostgreSQL both read, so the models' state is not
touched: each index serves a query named beside it."""

from django.db import migrations

INDEXES = [
    # The mätetal page reads a series across all years: WHERE indicator.series = …
    ("goals_indicator_series", "goals_indicator", "series"),
    # The goal tree pages through a year's inriktningsmål in order.
    ("goals_directiongoal_year_order", "goals_directiongoal", "fiscal_year_id, \"order\""),
    # Latest assessment per follow-up (goal tree, Min enhet, reminders: items without assessment).
    ("goals_assessment_followup", "goals_assessment", "follow_up_id, status"),
    # Min enhet: a unit's activities in a year.
    ("goals_activity_unit_year", "goals_activity", "unit_id, fiscal_year_id"),
    # The history of an assessment, newest first (item page).
    ("goals_hassessment_id_date", "goals_historicalassessment", "id, history_date"),
]


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
