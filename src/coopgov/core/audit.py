"""Appending to the audit trail, and checking that nobody rewrote it.

Every action calls record_event once, inside its transaction. The events of one organisation
form a hash chain (events without an organisation form their own): each carries its position
`seq`, the hash of the event before it and its own hash, a SHA-256 over its content. Editing,
removing, reordering or inserting an event breaks the chain; verify_chains names where.
Removing the newest events of a chain leaves a shorter, valid chain: operators keep the heads
printed by `coopgov verify_audit` outside the database to notice that too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from coopgov.core.models import Event, Organisation, Person

HASH_VERSION = 1  # part of the hashed content: a new format gets a new number


def record_event(
    actor: Person | None,
    action: str,
    *,
    target: models.Model | None,
    organisation: Organisation | None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to its organisation's chain; `action` is namespaced like
    "core.member.admitted"."""
    chain = organisation.pk if organisation is not None else None
    # The lock lasts until the outermost transaction ends; no savepoint: a failure here fails
    # the action that called it.
    with transaction.atomic(savepoint=False):
        lock_chain(chain)
        seq, prev_hash = chain_head(chain)
        event = Event(
            actor=actor,
            organisation=organisation,
            action=action,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            # Stored as it reads back from the database, so that the hash holds on reading.
            data=json.loads(json.dumps(data or {})),
            created_at=timezone.now(),
            seq=seq + 1,
            prev_hash=prev_hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
    return event


def lock_chain(chain: int | None) -> None:
    """Serialise appends to one chain until the transaction ends, so that two writers never
    read the same head. PostgreSQL: an advisory lock keyed on the chain. SQLite: the
    IMMEDIATE transaction already holds the database's write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(chain)])


def _lock_key(chain: int | None) -> int:
    digest = hashlib.sha256(f"coopgov.audit-chain:{chain}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def chain_head(chain: int | None) -> tuple[int, str]:
    """The position and hash of the chain's newest event; (0, "") for an empty chain."""
    head = _chain(Event.objects.all(), chain).order_by("-seq").values_list("seq", "hash").first()
    return head if head is not None else (0, "")


def _chain(events: models.QuerySet[Event], chain: int | None) -> models.QuerySet[Event]:
    if chain is None:
        return events.filter(organisation__isnull=True)
    return events.filter(organisation_id=chain)


class HashedEvent(Protocol):
    """What the hash reads: an Event, or the historical model of a migration."""

    organisation_id: int | None
    actor_id: int | None
    target_type_id: int | None
    target_id: str
    target_label: str
    action: str
    data: Any
    created_at: datetime.datetime
    seq: int
    prev_hash: str


def event_hash(event: HashedEvent) -> str:
    """SHA-256 over a canonical JSON of the event's content and its place in the chain."""
    content = {
        "v": HASH_VERSION,
        "organisation": event.organisation_id,
        "actor": event.actor_id,
        "target_type": event.target_type_id,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "action": event.action,
        "data": _canonical(event.data),
        "created_at": event.created_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "seq": event.seq,
        "prev_hash": event.prev_hash,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _canonical(value: Any) -> Any:
    """JSON values as both databases give them back: PostgreSQL's jsonb keeps numbers as
    decimals, so 1e16 comes back as the integer 10000000000000000 and -0.0 as 0.0; whole
    floats therefore count as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as {field: [old, new]} in JSON-friendly strings."""
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def last_change(organisation_id: int) -> int | None:
    """The organisation's newest audit event: every change goes through an action that writes
    one, so a value computed from its data stays valid as long as this does not change. Caches
    of derived figures put it in their key."""
    return (
        Event.objects.filter(organisation_id=organisation_id)
        .order_by("-seq")
        .values_list("pk", flat=True)
        .first()
    )


# Verifying the chains


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain."""

    kind: str  # "edited", "missing", "reordered", "inserted", "forked"
    seq: int
    event_id: int | None
    detail: str


@dataclass
class ChainReport:
    organisation_id: int | None
    events: int = 0
    head_seq: int = 0
    head_hash: str = ""
    broken: Break | None = None


def chains() -> list[int | None]:
    """Every chain that holds an event: organisation ids, None for events without one."""
    ids = Event.objects.order_by().values_list("organisation_id", flat=True).distinct()
    return sorted(ids, key=lambda chain: (chain is not None, chain or 0))


def verify_chains() -> Iterator[ChainReport]:
    """Walk every chain and recompute its hashes."""
    for chain in chains():
        yield verify_chain(chain)


def verify_chain(chain: int | None) -> ChainReport:
    report = ChainReport(organisation_id=chain)
    previous: Event | None = None
    before_previous = ""  # the hash the previous event should point to
    for event in _in_order(chain):
        expected = report.events + 1
        problem = _first_problem(event, previous, expected, before_previous)
        if problem is not None:
            report.broken = problem
            return report
        report.events += 1
        before_previous = previous.hash if previous is not None else ""
        previous = event
    if previous is not None:
        report.head_seq, report.head_hash = previous.seq, previous.hash
    return report


def _in_order(chain: int | None, batch: int = 5000) -> Iterator[Event]:
    """The chain's events by position, read in batches: memory stays flat however long the
    trail (client-side cursors would otherwise load it whole)."""
    events = _chain(Event.objects.all(), chain).order_by("seq", "id")
    after = Q()
    while rows := list(events.filter(after)[:batch]):
        yield from rows
        last = rows[-1]
        after = Q(seq__gt=last.seq) | Q(seq=last.seq, id__gt=last.pk)


def _first_problem(
    event: Event, previous: Event | None, expected: int, before_previous: str
) -> Break | None:
    """What is wrong at this position, if anything, named as an operator would: which event,
    and whether it was edited, removed, moved or slipped in."""
    previous_hash = previous.hash if previous is not None else ""
    if previous is not None and event.seq == previous.seq:
        return Break(
            "forked",
            event.seq,
            event.pk,
            f"events {previous.pk} and {event.pk} both claim position {event.seq}",
        )
    if event.seq != expected:
        return Break(
            "missing",
            expected,
            None,
            f"no event at position {expected}: the chain jumps to {event.seq} "
            f"(event {event.pk}); the events in between were removed",
        )
    intact = event_hash(event) == event.hash
    linked = event.prev_hash == previous_hash
    if intact and linked:
        return None
    same_chain = _chain(Event.objects.all(), event.organisation_id)
    later = same_chain.filter(seq__gt=event.seq)
    follows = later.filter(hash=event.prev_hash).values_list("pk", "seq").first()
    if event.prev_hash and follows is not None:
        return Break(
            "reordered",
            event.seq,
            event.pk,
            f"event {event.pk} was chained after event {follows[0]}, "
            f"which now comes after it (position {follows[1]})",
        )
    if previous is not None and not linked and event.prev_hash == before_previous:
        return Break(
            "inserted",
            previous.seq,
            previous.pk,
            f"event {previous.pk} was slipped in: event {event.pk} is chained to the event "
            f"before it",
        )
    following = later.order_by("seq", "id").values_list("prev_hash", flat=True).first()
    if following is not None and following == previous_hash and following != event.hash:
        return Break(
            "inserted",
            event.seq,
            event.pk,
            f"event {event.pk} was slipped in: the next event is chained to the event before it",
        )
    if not linked and not intact and not same_chain.filter(hash=event.prev_hash).exists():
        return Break(
            "missing",
            event.seq,
            event.pk,
            f"event {event.pk} was chained to an event that is no longer there: events before "
            f"it were removed and the later ones renumbered",
        )
    if not intact:
        return Break(
            "edited",
            event.seq,
            event.pk,
            f"the content of event {event.pk} no longer matches its hash",
        )
    # The event is intact but points to another hash: its predecessor was edited and given
    # a new hash to hide it.
    assert previous is not None
    return Break(
        "edited",
        previous.seq,
        previous.pk,
        f"event {previous.pk} was edited and its hash recomputed: event {event.pk} was chained "
        f"to its former hash",
    )
