"""The audit trail is append-only at the database level on PostgreSQL.

A trigger refuses UPDATE and DELETE on each row and TRUNCATE on the table. Other databases
rely on Event.save() and Event.delete(), which refuse to change a stored event.
"""

from __future__ import annotations

from django.db import migrations

FORWARD = """
CREATE FUNCTION coopgov_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER core_event_no_update_delete
    BEFORE UPDATE OR DELETE ON core_event
    FOR EACH ROW EXECUTE FUNCTION coopgov_event_append_only();
CREATE TRIGGER core_event_no_truncate
    BEFORE TRUNCATE ON core_event
    FOR EACH STATEMENT EXECUTE FUNCTION coopgov_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_event_no_truncate ON core_event;
DROP TRIGGER IF EXISTS core_event_no_update_delete ON core_event;
DROP FUNCTION IF EXISTS coopgov_event_append_only();
"""


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
