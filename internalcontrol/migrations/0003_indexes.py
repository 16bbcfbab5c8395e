"""Indexes for the filters the pages, the admin and the reminder sweep use (issue 8).

Plain SQL that SQLite and PostgreSQL both read, so the models' state is not
touched: each index serves a query named beside it."""

from django.db import migrations

INDEXES = [
    # Mina kontroller (Att göra / Försenade / Genomförda), the sweep's open checks due by a day,
    # the year overview's overdue count: WHERE performed_on IS NULL AND due_date <= …
    ("ic_check_open_due", "internalcontrol_check", "performed_on, due_date"),
    # The admin changelist of checks and Mina kontroller are ordered by due date (date_hierarchy too).
    ("ic_check_due", "internalcontrol_check", "due_date"),
    # The sweep and the pages read only current, adopted plans.
    ("ic_plan_status_current", "internalcontrol_controlplan", "status, is_current"),
    # Open åtgärder by deadline (Åtgärder page, reminders).
    ("ic_action_status_deadline", "internalcontrol_action", "status, deadline"),
    # The plan table is ordered by area number within a plan.
    ("ic_area_plan_number", "internalcontrol_reviewarea", "plan_id, number"),
]


class Migration(migrations.Migration):
    dependencies = [("internalcontrol", "0002_cross_table_rules")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
