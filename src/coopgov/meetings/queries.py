"""Which agenda content an actor may read: one rule, applied wherever it appears.

An agenda item is read by whoever may see its meeting (core.access.may_read on the body, or an
invitation) and may read the item's confidentiality level with the meeting's bodies (the body
and the others taking part). What belongs to an item (its outcomes, minutes section, conflict
declarations, documents and decision) is hidden with it; what belongs to no item (an outcome of
a session or of the whole meeting, the minutes' introduction) follows the meeting. A document
also follows its own level. Draft minutes are read only by the members of the meeting's bodies
and the secretariat; once approved, they follow the items.

The rule is written as database filters, so lists apply it in their query and the number of
queries does not grow with the rows. The filters are derived from core.access.may_read itself,
level by level, so that rule keeps one definition.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from coopgov.core.access import Actor, may_read
from coopgov.core.models import Confidentiality
from coopgov.meetings.models import (
    AgendaItem,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesSection,
    Outcome,
)


def _levels(actor: Actor) -> tuple[list[str], list[str]]:
    """The levels the actor reads wherever they appear, and the further levels they read only
    in what belongs to one of their own bodies."""
    everywhere = [level for level in Confidentiality.values if may_read(actor, level)]
    own = [
        level
        for level in Confidentiality.values
        if level not in everywhere and may_read(actor, level, bodies=actor.body_ids)
    ]
    return everywhere, own


def _level(actor: Actor, level: str, *, in_own_bodies: Q) -> Q:
    """`level` (a field path) is one the actor reads, where `in_own_bodies` says that the row
    belongs to one of the actor's bodies."""
    everywhere, own = _levels(actor)
    rule = Q(**{f"{level}__in": everywhere})
    if own and actor.body_ids:
        rule |= Q(**{f"{level}__in": own}) & in_own_bodies
    return rule


def _meeting_of_own_body(actor: Actor, meeting: str) -> Q:
    """The meeting (a field path) is one of a body where the actor holds a mandate, as its
    body or as another body taking part."""
    joint = Meeting.other_bodies.through.objects.filter(body_id__in=actor.body_ids).values(
        "meeting_id"
    )
    return Q(**{f"{meeting}__kind__body_id__in": actor.body_ids}) | Q(**{f"{meeting}__in": joint})


def seen_meetings(actor: Actor, meeting: str = "meeting") -> Q:
    """The meeting (a field path) is one the actor may see: its body's internals are open to
    them (meetings.access.may_see_meeting), or they are invited."""
    body = f"{meeting}__kind__body"
    rule = _level(
        actor,
        f"{body}__confidentiality",
        in_own_bodies=Q(**{f"{body}_id__in": actor.body_ids}),
    )
    if actor.person is not None:
        invited = Invitation.objects.filter(person=actor.person).values("meeting_id")
        rule |= Q(**{f"{meeting}__in": invited})
    return rule & Q(**{f"{meeting}__organisation": actor.organisation})


def readable_items(actor: Actor, meeting: Meeting | None = None) -> QuerySet[AgendaItem]:
    """The agenda items the actor may read: of `meeting` (which the caller has already
    fetched through access_meeting), or of every meeting the actor may see."""
    return _items(actor, _id(meeting))


def _items(actor: Actor, meeting_id: int | None) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(
        _level(actor, "confidentiality", in_own_bodies=_meeting_of_own_body(actor, "meeting"))
    )
    if meeting_id is not None:
        return items.filter(meeting_id=meeting_id)
    return items.filter(seen_meetings(actor))


def of_readable_item(actor: Actor, meeting: Meeting | None = None, *, field: str = "item") -> Q:
    """What belongs (through `field`) to an item the actor may read, or to no item: outcomes,
    minutes sections, documents, decisions."""
    return _of_readable_item(actor, _id(meeting), field=field)


def _of_readable_item(actor: Actor, meeting_id: int | None, *, field: str = "item") -> Q:
    if _reads_everything(actor):
        return Q()
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__in": _items(actor, meeting_id).values("pk")}
    )


def _reads_everything(actor: Actor) -> bool:
    """The secretariat reads every level in every meeting: no filter to apply."""
    return set(_levels(actor)[0]) == set(Confidentiality.values)


def _id(meeting: Meeting | None) -> int | None:
    return meeting.pk if meeting is not None else None


def readable_outcomes(actor: Actor, meeting: Meeting | None = None) -> QuerySet[Outcome]:
    """Outcomes of readable items, of sessions and of whole meetings (which follow the meeting)."""
    outcomes = Outcome.objects.filter(_of_readable_item(actor, _id(meeting)))
    if meeting is not None:
        return outcomes.filter(meeting=meeting)
    return outcomes.filter(seen_meetings(actor))


def readable_documents(actor: Actor, meeting: Meeting | None = None) -> QuerySet[Document]:
    """Documents the actor may read by their own level, and that belong to no item or to an
    item the actor may read."""
    documents = Document.objects.filter(
        _level(actor, "confidentiality", in_own_bodies=_meeting_of_own_body(actor, "meeting")),
        _of_readable_item(actor, _id(meeting)),
    )
    if meeting is not None:
        return documents.filter(meeting=meeting)
    return documents.filter(seen_meetings(actor))


def may_read_drafts(actor: Actor, body_ids: list[int]) -> bool:
    """Draft minutes are read only by the members of the meeting's bodies (`body_ids`) and
    the secretariat: until approved, the record is the body's own."""
    return may_read(actor, Confidentiality.BODIES, bodies=body_ids)


def may_read_minutes(actor: Actor, minutes: Minutes, body_ids: list[int]) -> bool:
    """Approved minutes follow the meeting (and their sections, the items); drafts do not."""
    return minutes.is_locked or may_read_drafts(actor, body_ids)


def readable_sections(actor: Actor, minutes: Minutes) -> QuerySet[MinutesSection]:
    """The sections about items the actor may read, and those about no item."""
    return minutes.sections.filter(_of_readable_item(actor, minutes.meeting_id))


def meeting_bodies(meeting: Meeting) -> list[int]:
    """The meeting's body and the other bodies taking part."""
    return [meeting.kind.body_id, *meeting.other_bodies.values_list("pk", flat=True)]
