"""Trigram indexes for searches in large registers, on PostgreSQL only.

A search with `icontains` compares UPPER(column) LIKE '%WORDS%', which no B-tree index can
answer: PostgreSQL reads the whole table. A GIN trigram index on the same expression (pg_trgm)
answers it from the index. SQLite has no such index and is left as it is; the models' state
does not change, so these are plain migration operations.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def trigram_indexes(*indexes: tuple[str, str, str]) -> migrations.RunPython:
    """(index name, table, expression) → one operation creating them on PostgreSQL."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table, expression in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _table, _expression in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forwards, backwards, elidable=False)
