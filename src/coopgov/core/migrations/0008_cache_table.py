"""The table of Django's database cache (settings.CACHES["default"]), which holds what every
worker must share: django-allauth's login throttling counts."""

from __future__ import annotations

from django.core.management import call_command
from django.db import migrations

TABLE = "coopgov_cache"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_event_append_only_sqlite")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
