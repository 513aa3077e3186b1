"""The audit trail is a hash chain per organisation: `coopgov verify_audit` recomputes it and
names the first broken link, whatever was done to the rows with the triggers lifted."""

from __future__ import annotations

import datetime
import io
import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from coopgov.core import audit
from coopgov.core.audit import event_hash, record_event, verify_chain
from coopgov.core.models import ApiToken, Event, Organisation

APPEND_ONLY = __import__(
    "coopgov.core.migrations.0007_event_append_only_sqlite", fromlist=["APPEND_ONLY"]
).APPEND_ONLY


def chain_of(org: Organisation) -> list[Event]:
    return list(Event.objects.filter(organisation=org).order_by("seq"))


def append(org: Organisation, count: int) -> list[Event]:
    return [
        record_event(None, "tests.step", target=org, organisation=org, data={"step": n})
        for n in range(count)
    ]


@contextmanager
def triggers_lifted() -> Iterator[None]:
    """What a database superuser can do: switch the append-only triggers off, then on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of this transaction's inserts must run before ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_event DISABLE TRIGGER core_event_no_update_delete")
        else:
            cursor.execute("DROP TRIGGER core_event_no_update")
            cursor.execute("DROP TRIGGER core_event_no_delete")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_event ENABLE TRIGGER core_event_no_update_delete")
        else:
            for statement in APPEND_ONLY.values():
                cursor.execute(statement)


def tamper(sql: str, params: list[Any]) -> None:
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify() -> tuple[str, str]:
    """Run the command as an operator does; (stdout, stderr), stderr ending with the error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}")
    return out.getvalue(), err.getvalue()


# The chain


def test_each_event_is_chained_to_the_one_before_it(org: Organisation) -> None:
    append(org, 3)
    events = chain_of(org)
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    for before, event in itertools.pairwise(events):
        assert event.prev_hash == before.hash
    assert all(event.hash == event_hash(event) for event in events)


def test_each_organisation_has_its_own_chain_and_events_without_one_form_another(
    org: Organisation, other_org: Organisation
) -> None:
    append(org, 2)
    first = record_event(None, "tests.system", target=None, organisation=None)
    second = record_event(None, "tests.system", target=None, organisation=None)
    assert (first.seq, second.seq, second.prev_hash) == (1, 2, first.hash)
    assert chain_of(other_org)[0].seq == 1
    assert {report.organisation_id for report in audit.verify_chains()} == {
        None,
        org.pk,
        other_org.pk,
    }


def test_the_hash_holds_for_details_as_the_database_gives_them_back(org: Organisation) -> None:
    """PostgreSQL's jsonb gives 1e16 back as an integer and -0.0 as 0.0; keys become text."""
    event = record_event(
        None,
        "tests.json",
        target=org,
        organisation=org,
        data={
            "share": 0.1,
            "large": 1e16,
            "negative_zero": -0.0,
            "whole": 2.0,
            "tuple": (1, 2),
            3: "integer key",
            "nested": {"b": [1, 2.5, "é", None, True]},
        },
    )
    stored = Event.objects.get(pk=event.pk)
    assert event_hash(stored) == stored.hash == event.hash
    assert verify_chain(org.pk).broken is None


def test_an_event_without_a_lock_on_the_chain_is_still_refused_a_taken_position(
    org: Organisation,
) -> None:
    """The unique constraint on (organisation, seq) backs the chain lock up."""
    head = chain_of(org)[-1]
    forged = Event(organisation=org, action="tests.forged", seq=head.seq, prev_hash="")
    forged.hash = event_hash(forged)
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()


def test_verify_audit_reports_an_intact_trail_with_each_chain_s_head(
    org: Organisation, other_org: Organisation
) -> None:
    append(org, 2)
    out, err = verify()
    total = Event.objects.count()
    assert err == ""
    assert f"audit trail intact: {total} events in 2 chains, heads:" in out
    head = chain_of(org)[-1]
    assert f"  coop: position {head.seq} {head.hash}" in out
    assert f"  other: position 1 {chain_of(other_org)[0].hash}" in out


def test_verify_audit_prints_only_the_heads_for_anchoring(org: Organisation) -> None:
    out = io.StringIO()
    call_command("verify_audit", "--heads-only", stdout=out)
    head = chain_of(org)[-1]
    assert out.getvalue() == f"coop {head.seq} {head.hash}\n"


# Tampering, each named where it happened


def test_edited_details_are_named_at_the_edited_event(org: Organisation) -> None:
    target = append(org, 4)[1]
    tamper("UPDATE core_event SET data = %s WHERE id = %s", ['{"step": 99}', target.pk])
    _out, err = verify()
    assert (
        f"coop: broken at position {target.seq} (event {target.pk}), edited: the content of "
        f"event {target.pk} no longer matches its hash" in err
    )
    assert err.endswith("CommandError: audit trail NOT intact: 1 of 1 chains broken")


def test_an_edit_hidden_by_a_recomputed_hash_is_named(org: Organisation) -> None:
    target = append(org, 4)[1]
    target.data = {"step": 99}
    tamper(
        "UPDATE core_event SET data = %s, hash = %s WHERE id = %s",
        ['{"step": 99}', event_hash(target), target.pk],
    )
    _out, err = verify()
    assert f"broken at position {target.seq} (event {target.pk}), edited: event {target.pk} " in err
    assert "its hash recomputed" in err


def test_a_deleted_event_is_named_as_missing(org: Organisation) -> None:
    target = append(org, 4)[1]
    tamper("DELETE FROM core_event WHERE id = %s", [target.pk])
    _out, err = verify()
    assert f"broken at position {target.seq} (event -), missing: no event at position" in err


def test_a_deletion_hidden_by_renumbering_is_named_as_missing(org: Organisation) -> None:
    events = append(org, 4)
    target = events[1]
    tamper("DELETE FROM core_event WHERE id = %s", [target.pk])
    shift(org, from_seq=target.seq + 1, by=-1)
    _out, err = verify()
    assert f"broken at position {target.seq} (event {events[2].pk}), missing:" in err


def test_two_swapped_events_are_named_as_reordered(org: Organisation) -> None:
    first, second = append(org, 4)[1:3]
    tamper("UPDATE core_event SET seq = %s WHERE id = %s", [10**9, first.pk])
    tamper("UPDATE core_event SET seq = %s WHERE id = %s", [first.seq, second.pk])
    tamper("UPDATE core_event SET seq = %s WHERE id = %s", [second.seq, first.pk])
    _out, err = verify()
    assert (
        f"broken at position {first.seq} (event {second.pk}), reordered: event {second.pk} was "
        f"chained after event {first.pk}, which now comes after it (position {second.seq})"
    ) in err


def test_a_forged_event_slipped_into_the_chain_is_named_as_inserted(org: Organisation) -> None:
    """The forger renumbers what follows and computes a valid hash for the forged event."""
    events = append(org, 4)
    before = events[1]
    shift(org, from_seq=before.seq + 1, by=1)
    forged = Event(
        organisation=org,
        action="core.member.admitted",
        data={"number": 1},
        created_at=before.created_at,
        seq=before.seq + 1,
        prev_hash=before.hash,
    )
    forged.hash = event_hash(forged)
    forged.save()
    _out, err = verify()
    assert (
        f"broken at position {forged.seq} (event {forged.pk}), inserted: event {forged.pk} was "
        "slipped in"
    ) in err


def test_a_forged_event_with_a_made_up_hash_is_named_as_inserted(org: Organisation) -> None:
    events = append(org, 4)
    before = events[1]
    shift(org, from_seq=before.seq + 1, by=1)
    forged = Event(organisation=org, action="x", seq=before.seq + 1, prev_hash=before.hash)
    forged.hash = "0" * 64
    forged.save()
    _out, err = verify()
    assert f"(event {forged.pk}), inserted: event {forged.pk} was slipped in" in err


def test_only_the_broken_chain_is_reported(org: Organisation, other_org: Organisation) -> None:
    target = append(org, 2)[0]
    tamper("UPDATE core_event SET action = %s WHERE id = %s", ["tampered", target.pk])
    out, err = verify()
    assert "coop: broken" in err and "other" not in err
    assert out == ""
    assert err.endswith("1 of 2 chains broken")


def test_verify_audit_fails_when_the_append_only_triggers_are_gone(org: Organisation) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_event DISABLE TRIGGER core_event_no_update_delete")
        else:
            cursor.execute("DROP TRIGGER core_event_no_delete")
    _out, err = verify()
    assert "the database no longer refuses to rewrite core_event" in err
    assert err.endswith("audit trail chains verify, but the append-only triggers are missing")


def shift(org: Organisation, *, from_seq: int, by: int) -> None:
    """Renumber the events from `from_seq` on, in two steps so no position is taken twice."""
    tamper(
        "UPDATE core_event SET seq = seq + %s WHERE organisation_id = %s AND seq >= %s",
        [10**9, org.pk, from_seq],
    )
    tamper(
        "UPDATE core_event SET seq = seq - %s WHERE organisation_id = %s AND seq >= %s",
        [10**9 - by, org.pk, 10**9],
    )


# Concurrency, on PostgreSQL (SQLite's IMMEDIATE transactions serialise every writer)

THREADS = 32
WAIT = 60  # seconds a barrier waits before the test fails rather than hangs
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers with its database-wide write lock: no race to test",
)


def race(org: Organisation, *, threads: int = THREADS) -> list[BaseException]:
    """`threads` threads, each with its own connection, start together and each append one
    event in its own transaction."""
    start = threading.Barrier(threads, timeout=WAIT)
    errors: list[BaseException] = []

    def append_one(n: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                record_event(None, "tests.race", target=None, organisation=org, data={"n": n})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=append_one, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def heads_read_together(monkeypatch: pytest.MonkeyPatch, threads: int = THREADS) -> None:
    """The negative control: no chain lock, and every writer reads the head before any writes,
    so every one of them appends after the same head."""
    read = threading.Barrier(threads, timeout=WAIT)
    real_head: Callable[[int | None], tuple[int, str]] = audit.chain_head

    def head_then_wait(chain: int | None) -> tuple[int, str]:
        head = real_head(chain)
        read.wait()
        return head

    monkeypatch.setattr(audit, "lock_chain", lambda chain: None)
    monkeypatch.setattr(audit, "chain_head", head_then_wait)


@contextmanager
def without_the_position_constraint(org: Organisation) -> Iterator[None]:
    """Drop the unique (organisation, seq) constraint; put it back once the forks are gone."""
    constraint = next(
        c for c in Event._meta.constraints if c.name == "event_one_per_position_in_chain"
    )
    with connection.schema_editor() as editor:
        editor.remove_constraint(Event, constraint)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_event DISABLE TRIGGER core_event_no_update_delete")
            cursor.execute("DELETE FROM core_event WHERE action = 'tests.race'")
            cursor.execute("ALTER TABLE core_event ENABLE TRIGGER core_event_no_update_delete")
        with connection.schema_editor() as editor:
            editor.add_constraint(Event, constraint)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_writers_racing_on_one_chain_leave_one_linear_chain(org: Organisation) -> None:
    before = verify_chain(org.pk).events
    assert race(org) == []
    report = verify_chain(org.pk)
    assert report.broken is None
    assert report.events == report.head_seq == before + THREADS
    assert Event.objects.filter(action="tests.race").count() == THREADS


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_constraint_refuses_the_forks(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    heads_read_together(monkeypatch)
    errors = race(org)
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, IntegrityError) for error in errors)
    report = verify_chain(org.pk)
    assert report.broken is None and Event.objects.filter(action="tests.race").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_and_the_constraint_the_chain_forks_and_the_verifier_says_so(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = verify_chain(org.pk).head_seq
    with without_the_position_constraint(org):
        heads_read_together(monkeypatch)
        assert race(org) == []
        assert set(Event.objects.filter(action="tests.race").values_list("seq", flat=True)) == {
            head + 1
        }
        report = verify_chain(org.pk)
        assert report.broken is not None
        assert (report.broken.kind, report.broken.seq) == ("forked", head + 1)
        _out, err = verify()
        assert f"coop: broken at position {head + 1}" in err and "forked" in err


# The migration that chains the events stored before chains existed


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_stored_events_in_time_order_and_gives_tokens_an_expiry(
    org: Organisation,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0004_event_chain_fields_token_expiry")])
    old = executor.loader.project_state([("core", "0004_event_chain_fields_token_expiry")]).apps
    OldEvent = old.get_model("core", "Event")
    now = timezone.now()
    later = OldEvent.objects.create(organisation_id=org.pk, action="old.later", created_at=now)
    earlier = OldEvent.objects.create(
        organisation_id=org.pk, action="old.earlier", created_at=now - datetime.timedelta(hours=1)
    )
    loose = OldEvent.objects.create(organisation_id=None, action="old.loose", created_at=now)
    user = old.get_model("auth", "User").objects.create(username="old-token-owner")
    old.get_model("core", "ApiToken").objects.create(
        user_id=user.pk, name="old", prefix="cg_old", digest="d" * 64, created_at=now
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    chain = chain_of(org)
    assert (chain[0].pk, chain[-1].pk) == (earlier.pk, later.pk)
    assert [event.seq for event in chain] == list(range(1, len(chain) + 1))
    assert Event.objects.get(pk=loose.pk).seq == 1
    assert all(report.broken is None for report in audit.verify_chains())
    token = ApiToken.objects.get(name="old")
    assert token.expires_at == token.created_at + datetime.timedelta(days=365)


def test_the_verifier_reads_a_long_chain_in_batches_without_skipping(org: Organisation) -> None:
    append(org, 5)
    assert list(audit._in_order(org.pk, batch=2)) == chain_of(org)
