"""Chain the events already stored, and give the tokens already issued an expiry.

Each organisation's events (and those without one) are chained in (created_at, id) order,
the order in which the history pages list them. On PostgreSQL the trigger that refuses
UPDATE on core_event is disabled for this migration only, inside its transaction.
Existing tokens expire COOPGOV_API_TOKEN_MAX_DAYS after their creation.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import migrations

from coopgov.core.audit import event_hash

BATCH = 1000


def chain_events(apps, schema_editor):  # type: ignore[no-untyped-def]
    Event = apps.get_model("core", "Event")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("ALTER TABLE core_event DISABLE TRIGGER core_event_no_update_delete")
    heads: dict[int | None, tuple[int, str]] = {}
    batch = []
    events = Event.objects.order_by("organisation_id", "created_at", "id")
    for event in events.iterator(chunk_size=BATCH):
        seq, prev_hash = heads.get(event.organisation_id, (0, ""))
        event.seq, event.prev_hash = seq + 1, prev_hash
        event.hash = event_hash(event)
        heads[event.organisation_id] = (event.seq, event.hash)
        batch.append(event)
        if len(batch) >= BATCH:
            Event.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    Event.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE core_event ENABLE TRIGGER core_event_no_update_delete")


def unchain_events(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Nothing to undo: going back, 0004 drops the columns."""


def expire_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("core", "ApiToken")
    lifetime = datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    tokens = list(ApiToken.objects.filter(expires_at__isnull=True))
    for token in tokens:
        token.expires_at = token.created_at + lifetime
    ApiToken.objects.bulk_update(tokens, ["expires_at"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_event_chain_fields_token_expiry")]

    operations = [
        migrations.RunPython(chain_events, unchain_events, elidable=False),
        migrations.RunPython(expire_tokens, migrations.RunPython.noop, elidable=False),
    ]
