"""Rules that span two tables, enforced by triggers (SQLite and PostgreSQL):

- an avvikelse only on a check with the result "med anmärkning" (and such a
  check keeps that result while it has avvikelser);
- an åtgärd is verified by a check of its own kontrollmoment.

``Deviation.clean()`` and ``Action.clean()`` give the same rules Swedish
messages in forms."""

from django.db import migrations

DEVIATION_MESSAGE = "En avvikelse kan bara registreras på en kontroll med anmärkning."
CHECK_MESSAGE = "Kontrollen har avvikelser och måste ha resultatet med anmärkning."
ACTION_MESSAGE = "Åtgärden verifieras av en kontroll av samma kontrollmoment."

DEVIATION_BAD = (
    "NOT EXISTS (SELECT 1 FROM internalcontrol_check c WHERE c.id = NEW.check_item_id AND c.result = 'remark')"
)
CHECK_BAD = (
    "NEW.result <> 'remark' AND EXISTS (SELECT 1 FROM internalcontrol_deviation d WHERE d.check_item_id = NEW.id)"
)
ACTION_BAD = (
    "NEW.verified_by_check_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM internalcontrol_check c "
    "WHERE c.id = NEW.verified_by_check_id AND c.control_point_id = NEW.control_point_id)"
)

RULES = [
    ("ic_deviation_on_remark", "internalcontrol_deviation", DEVIATION_BAD, DEVIATION_MESSAGE),
    ("ic_check_keeps_remark", "internalcontrol_check", CHECK_BAD, CHECK_MESSAGE),
    ("ic_action_verified_same_point", "internalcontrol_action", ACTION_BAD, ACTION_MESSAGE),
]

SQLITE_FORWARD = []
SQLITE_BACKWARD = []
POSTGRES_FORWARD = []
POSTGRES_BACKWARD = []
for name, table, condition, message in RULES:
    events = ("UPDATE",) if table == "internalcontrol_check" else ("INSERT", "UPDATE")
    for event in events:
        SQLITE_FORWARD.append(
            f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
            f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        )
        SQLITE_BACKWARD.append(f"DROP TRIGGER IF EXISTS {name}_{event.lower()};")
    POSTGRES_FORWARD += [
        f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            IF {condition} THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"CREATE TRIGGER {name} BEFORE {' OR '.join(events)} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
    ]
    POSTGRES_BACKWARD += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("internalcontrol", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
