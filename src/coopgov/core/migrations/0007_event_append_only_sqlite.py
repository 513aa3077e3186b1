"""On SQLite too, the database refuses to update or delete an audit event (0002 does it on
PostgreSQL). SQLite has no TRUNCATE; DROP TABLE fires no trigger, so a migration that rebuilds
core_event on SQLite drops these triggers and must create them again (see APPEND_ONLY)."""

from __future__ import annotations

from django.db import migrations

APPEND_ONLY = {
    "core_event_no_update": (
        "CREATE TRIGGER IF NOT EXISTS core_event_no_update BEFORE UPDATE ON core_event "
        "BEGIN SELECT RAISE(ABORT, 'core_event is append-only: UPDATE refused'); END"
    ),
    "core_event_no_delete": (
        "CREATE TRIGGER IF NOT EXISTS core_event_no_delete BEFORE DELETE ON core_event "
        "BEGIN SELECT RAISE(ABORT, 'core_event is append-only: DELETE refused'); END"
    ),
}


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for statement in APPEND_ONLY.values():
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for name in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_event_chain_required")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
