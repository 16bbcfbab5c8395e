"""No person holds the same role twice over overlapping dates.

A uniqueness constraint cannot say "overlapping", so the database enforces it
with a trigger, for SQLite and for PostgreSQL. ``RoleAssignment.clean()``
gives the same rule a Swedish message in forms."""

from django.db import migrations

MESSAGE = "Personen innehar redan rollen under en del av perioden."

# An open end (NULL) counts as the far future.
OVERLAP = """
    SELECT 1 FROM federation_roleassignment other
    WHERE other.user_id = {new}.user_id AND other.role_id = {new}.role_id AND other.id <> {new}.id
      AND other.valid_from <= COALESCE({new}.valid_to, '9999-12-31')
      AND {new}.valid_from <= COALESCE(other.valid_to, '9999-12-31')
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER roleassignment_no_overlap_{event.lower()}
    BEFORE {event} ON federation_roleassignment
    WHEN EXISTS ({OVERLAP.format(new="NEW")})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for event in ("INSERT", "UPDATE")
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS roleassignment_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS roleassignment_no_overlap_update;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION roleassignment_no_overlap() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(NEW.role_id);
        IF EXISTS ({OVERLAP.format(new="NEW").replace("'9999-12-31'", "DATE '9999-12-31'")}) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER roleassignment_no_overlap BEFORE INSERT OR UPDATE ON federation_roleassignment
    FOR EACH ROW EXECUTE FUNCTION roleassignment_no_overlap();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS roleassignment_no_overlap ON federation_roleassignment;",
    "DROP FUNCTION IF EXISTS roleassignment_no_overlap();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("federation", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
