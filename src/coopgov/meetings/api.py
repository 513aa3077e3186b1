"""API endpoints for meetings: list, details with programme and agenda, quorum, planning,
agenda items (refused in non-deciding meetings), attendance and convocation."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status
from ninja.pagination import paginate

from coopgov.bodies.access import may_see_internals
from coopgov.core.access import Actor, access_organisation, require
from coopgov.core.schemas import Int64, PageNumberPagination, Schema, Text
from coopgov.meetings import actions
from coopgov.meetings.access import WRITE, access_meeting
from coopgov.meetings.models import AgendaItem, Meeting, MeetingKind
from coopgov.meetings.queries import (
    may_read_minutes,
    meeting_bodies,
    readable_documents,
    readable_items,
    readable_outcomes,
    readable_sections,
)
from coopgov.meetings.rules import quorum

router = Router(tags=["meetings"])


def actor(request: HttpRequest, org: str) -> Actor:
    return access_organisation(request.auth, org)  # type: ignore[attr-defined]


class MeetingOut(Schema):
    code: UUID
    title: str
    kind: str = Field(..., alias="kind.code")
    body: str = Field(..., alias="kind.body.code")
    may_decide: bool
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    address: str
    status: str
    convened_at: datetime.datetime | None
    urgency_reason: str


class SpeakerOut(Schema):
    name: str
    organisation: str = Field("", alias="guest_organisation")


class SessionOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    kind: str
    title: str
    description: str
    speakers: list[SpeakerOut]

    @staticmethod
    def resolve_speakers(session: object) -> list[object]:
        return list(session.speakers.select_related("person"))  # type: ignore[attr-defined]


class ItemOut(Schema):
    id: int
    position: int
    title: str
    purpose: str
    status: str
    duration_minutes: int
    description: str


class InvitationOut(Schema):
    id: int
    person: UUID = Field(..., alias="person.code")
    name: str = Field(..., alias="person.full_name")
    capacity: str
    answer: str
    attendance: str


class QuorumOut(Schema):
    seats_filled: int
    required: int
    present: int
    represented: int
    recused: int
    counted: int
    reached: bool


class MeetingDetailOut(MeetingOut):
    sessions: list[SessionOut] = Field(..., alias="api_sessions")
    items: list[ItemOut] = Field(..., alias="api_items")
    invitations: list[InvitationOut] = Field(..., alias="api_invitations")
    quorum: QuorumOut | None = Field(None, alias="api_quorum")


class MeetingIn(Schema):
    kind: str
    body: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str = ""
    address: str = ""


class ItemIn(Schema):
    title: str
    purpose: str
    description: Text = ""
    duration_minutes: int = 15


class AttendanceIn(Schema):
    attendance: str


class ConveneIn(Schema):
    urgency_reason: Text = ""


@router.get("/organisations/{org}/meetings", response=list[MeetingOut])
@paginate(PageNumberPagination)
def list_meetings(request: HttpRequest, org: str, body: str = "") -> QuerySet[Meeting]:
    current = actor(request, org)
    meetings = Meeting.objects.of(current.organisation).listed().order_by("-starts_at")
    readable = [
        kind.body_id
        for kind in MeetingKind.objects.filter(organisation=current.organisation).select_related(
            "body"
        )
        if may_see_internals(current, kind.body) and (not body or kind.body.code == body)
    ]
    return meetings.filter(kind__body__in=readable)


@router.get("/organisations/{org}/meetings/{code}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, org: str, code: UUID) -> Meeting:
    current = actor(request, org)
    meeting = access_meeting(current, str(code))
    # What this reader may see, attached for the response schema.
    meeting.api_sessions = list(meeting.sessions.all())  # type: ignore[attr-defined]
    meeting.api_items = list(readable_items(current, meeting))  # type: ignore[attr-defined]
    meeting.api_invitations = list(meeting.invitations.select_related("person"))  # type: ignore[attr-defined]
    meeting.api_quorum = quorum(meeting) if meeting.may_decide else None  # type: ignore[attr-defined]
    return meeting


@router.post("/organisations/{org}/meetings", response={201: MeetingOut})
def plan_meeting(request: HttpRequest, org: str, payload: MeetingIn) -> Status[Meeting]:
    current = actor(request, org)
    require(current, WRITE)
    kind = get_object_or_404(
        MeetingKind, organisation=current.organisation, body__code=payload.body, code=payload.kind
    )
    meeting = actions.schedule_meeting(
        current.person,
        kind=kind,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        venue=payload.venue,
        address=payload.address,
    )
    return Status(201, Meeting.objects.listed().get(pk=meeting.pk))


@router.post("/organisations/{org}/meetings/{code}/items", response={201: ItemOut})
def add_item(request: HttpRequest, org: str, code: UUID, payload: ItemIn) -> Status[AgendaItem]:
    current = actor(request, org)
    meeting = access_meeting(current, str(code), for_write=True)
    item = actions.add_to_agenda(current.person, meeting=meeting, **payload.dict())
    return Status(201, item)


@router.post("/organisations/{org}/meetings/{code}/attendance/{invitation}", response=InvitationOut)
def record_attendance(
    request: HttpRequest, org: str, code: UUID, invitation: Int64, payload: AttendanceIn
) -> object:
    current = actor(request, org)
    meeting = access_meeting(current, str(code), for_write=True)
    row = meeting.invitations.select_related("person").filter(pk=invitation).first()
    if row is None:
        raise Http404
    return actions.record_attendance(current.person, invitation=row, attendance=payload.attendance)


@router.post("/organisations/{org}/meetings/{code}/convene", response=MeetingOut)
def convene(request: HttpRequest, org: str, code: UUID, payload: ConveneIn) -> Meeting:
    current = actor(request, org)
    meeting = access_meeting(current, str(code), for_write=True)
    return actions.convene(current.person, meeting=meeting, urgency_reason=payload.urgency_reason)


class OutcomeIn(Schema):
    kind: str
    text: Text
    item: int | None = None


class OutcomeOut(Schema):
    kind: str
    text: str
    item: int | None = Field(None, alias="item_id")
    session: int | None = Field(None, alias="session_id")


class AnswerIn(Schema):
    answer: str


class ProxyIn(Schema):
    giver: int
    holder: int


class SectionOut(Schema):
    heading: str
    text: str


class MinutesOut(Schema):
    status: str
    introduction: str
    approved_on: datetime.date | None
    sections: list[SectionOut]
    errata: list[str]

    @staticmethod
    def resolve_sections(minutes: object) -> list[object]:
        return minutes.api_sections  # type: ignore[attr-defined]

    @staticmethod
    def resolve_errata(minutes: object) -> list[str]:
        return [erratum.text for erratum in minutes.errata.all()]  # type: ignore[attr-defined]


class DocumentOut(Schema):
    code: UUID
    title: str
    confidentiality: str
    item: int | None = Field(None, alias="item_id")
    versions: list[int]

    @staticmethod
    def resolve_versions(document: object) -> list[int]:
        return [version.number for version in document.versions.all()]  # type: ignore[attr-defined]


@router.get("/organisations/{org}/meetings/{code}/outcomes", response=list[OutcomeOut])
def list_outcomes(request: HttpRequest, org: str, code: UUID) -> list[object]:
    current = actor(request, org)
    meeting = access_meeting(current, str(code))
    return list(readable_outcomes(current, meeting))


@router.post("/organisations/{org}/meetings/{code}/outcomes", response={201: OutcomeOut})
def add_outcome(request: HttpRequest, org: str, code: UUID, payload: OutcomeIn) -> Status[object]:
    current = actor(request, org)
    meeting = access_meeting(current, str(code), for_write=True)
    item = get_object_or_404(meeting.items, pk=payload.item) if payload.item else None
    outcome = actions.record_outcome(
        current.person, meeting=meeting, kind=payload.kind, text=payload.text, item=item
    )
    return Status(201, outcome)


@router.post("/organisations/{org}/meetings/{code}/answer", response=InvitationOut)
def answer(request: HttpRequest, org: str, code: UUID, payload: AnswerIn) -> object:
    current = actor(request, org)
    meeting = access_meeting(current, str(code))
    invitation = meeting.invitations.select_related("person").filter(person=current.person).first()
    if invitation is None or current.person is None:
        raise Http404
    return actions.answer_invitation(current.person, invitation=invitation, answer=payload.answer)


@router.post("/organisations/{org}/meetings/{code}/proxies", response={201: dict[str, int]})
def give_proxy(
    request: HttpRequest, org: str, code: UUID, payload: ProxyIn
) -> Status[dict[str, int]]:
    current = actor(request, org)
    meeting = access_meeting(current, str(code), for_write=True)
    invitations = meeting.invitations.select_related("person", "mandate")
    proxy = actions.give_proxy(
        current.person,
        giver=get_object_or_404(invitations, pk=payload.giver),
        holder=get_object_or_404(invitations, pk=payload.holder),
    )
    return Status(201, {"giver": proxy.giver_id, "holder": proxy.holder_id})


@router.get("/organisations/{org}/meetings/{code}/minutes", response=MinutesOut)
def get_minutes(request: HttpRequest, org: str, code: UUID) -> object:
    current = actor(request, org)
    meeting = access_meeting(current, str(code))
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not may_read_minutes(current, minutes, meeting_bodies(meeting)):
        raise Http404
    # The sections this reader may read, attached for the response schema.
    minutes.api_sections = list(readable_sections(current, minutes))
    return minutes


@router.get("/organisations/{org}/meetings/{code}/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, org: str, code: UUID) -> list[object]:
    current = actor(request, org)
    meeting = access_meeting(current, str(code))
    return list(readable_documents(current, meeting).prefetch_related("versions"))
