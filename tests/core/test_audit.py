from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from coopgov.core.models import Event, Organisation


def test_a_stored_event_cannot_be_changed_or_deleted_through_the_orm(org: Organisation) -> None:
    event = Event.objects.filter(action="core.organisation.created").get()
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert Event.objects.filter(action="core.organisation.created").exists()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is installed on PostgreSQL"
)


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_event SET action = 'tampered'",
        "DELETE FROM core_event",
        "TRUNCATE core_event",
    ],
)
def test_the_database_refuses_to_rewrite_the_audit_trail(org: Organisation, statement: str) -> None:
    with connection.cursor() as cursor:
        # Check the deferred foreign keys now, so TRUNCATE is not refused for that reason.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert "append-only" in str(error.value)
    assert Event.objects.filter(action="core.organisation.created").exists()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_event SET action = 'tampered'", "DELETE FROM core_event"]
)
def test_the_database_refuses_to_update_or_delete_an_event_on_every_engine(
    org: Organisation, statement: str
) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert "append-only" in str(error.value)
    assert Event.objects.filter(action="core.organisation.created").exists()
