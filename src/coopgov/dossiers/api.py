"""API endpoints for dossiers, consultations, decisions, the register, actions, written
resolutions and the dialogue between bodies."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Status
from ninja.pagination import paginate

from coopgov.bodies.access import may_see_internals
from coopgov.bodies.models import Body
from coopgov.core.access import Actor, access_organisation, require
from coopgov.core.models import Person
from coopgov.core.schemas import Int64, PageNumberPagination, Schema, Text
from coopgov.dossiers import actions
from coopgov.dossiers.access import WRITE, access_dossier
from coopgov.dossiers.models import (
    Action,
    Decision,
    Dossier,
    Expectation,
    InformationDuty,
    WrittenResolution,
)
from coopgov.dossiers.queries import (
    hidden_dossiers,
    readable_decisions,
    readable_dossiers,
    search_decisions,
    timeline,
)
from coopgov.meetings.models import Meeting

router = Router(tags=["dossiers"])


def actor(request: HttpRequest, org: str) -> Actor:
    return access_organisation(request.auth, org)  # type: ignore[attr-defined]


class DossierOut(Schema):
    code: UUID
    title: str
    description: str
    stage: str
    tags: list[str]
    confidentiality: str
    origin_body: str | None = Field(None, alias="origin_body.code")


class StepOut(Schema):
    day: datetime.date
    kind: str
    title: str
    detail: str


class ConsultationOut(Schema):
    id: int
    consulted_body: str = Field(..., alias="consulted_body.code")
    kind: str
    due_date: datetime.date
    status: str
    opinion: str


class DossierDetailOut(DossierOut):
    path: list[StepOut] = Field(..., alias="api_path")
    consultations: list[ConsultationOut] = Field(..., alias="api_consultations")


class DossierIn(Schema):
    title: str
    description: Text = ""
    tags: list[str] = []
    origin_body: str | None = None


class ScheduleIn(Schema):
    meeting: UUID
    stage: str


class ConsultIn(Schema):
    consulted_body: str
    kind: str
    due_date: datetime.date


class OpinionIn(Schema):
    opinion: Text
    given_on: datetime.date | None = None


class DecisionIn(Schema):
    item: int
    title: str
    text: Text
    method: str
    majority: str = "simple"
    abstentions_count: bool = False
    yes: int = 0
    no: int = 0
    abstain: int = 0
    votes: dict[UUID, str] = Field(
        {}, description="Roll call: each voting member's code → yes, no or abstain."
    )


class VoteOut(Schema):
    person: str = Field(..., alias="person.full_name")
    vote: str


class DecisionOut(Schema):
    number: str
    body: str = Field(..., alias="body.code")
    title: str
    text: str
    method: str
    majority: str
    yes: int
    no: int
    abstain: int
    adopted: bool
    decided_on: datetime.date
    dossier: UUID | None = Field(None, alias="dossier.code")
    votes: list[VoteOut] = Field([], description="Individual votes of a roll call.")


class ActionOut(Schema):
    code: UUID
    title: str
    owner: str = Field(..., alias="owner.full_name")
    due_on: datetime.date
    status: str
    dossier: UUID | None = Field(None, alias="dossier.code")
    decision: str | None = Field(None, alias="decision.number")
    meeting: UUID | None = Field(None, alias="meeting.code")


class ActionIn(Schema):
    title: str
    owner: UUID
    due_on: datetime.date
    meeting: UUID | None = None
    dossier: UUID | None = None
    decision: str | None = Field(None, description="A decision's number, e.g. CA-2023-014.")


@router.get("/organisations/{org}/dossiers", response=list[DossierOut])
@paginate(PageNumberPagination)
def list_dossiers(request: HttpRequest, org: str) -> QuerySet[Dossier]:
    current = actor(request, org)
    return readable_dossiers(current).select_related("origin_body")


@router.get("/organisations/{org}/dossiers/{code}", response=DossierDetailOut)
def get_dossier(request: HttpRequest, org: str, code: UUID) -> Dossier:
    current = actor(request, org)
    dossier = access_dossier(current, str(code))
    dossier.api_path = timeline(dossier, current)  # type: ignore[attr-defined]
    dossier.api_consultations = list(dossier.consultations.select_related("consulted_body"))  # type: ignore[attr-defined]
    return dossier


@router.post("/organisations/{org}/dossiers", response={201: DossierOut})
def open_dossier(request: HttpRequest, org: str, payload: DossierIn) -> Status[Dossier]:
    current = actor(request, org)
    require(current, WRITE)
    origin = (
        get_object_or_404(Body, organisation=current.organisation, code=payload.origin_body)
        if payload.origin_body
        else None
    )
    dossier = actions.open_dossier(
        current.person,
        organisation=current.organisation,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
        origin_body=origin,
    )
    return Status(201, dossier)


@router.post("/organisations/{org}/dossiers/{code}/agenda", response={201: dict[str, int]})
def schedule(
    request: HttpRequest, org: str, code: UUID, payload: ScheduleIn
) -> Status[dict[str, int]]:
    current = actor(request, org)
    dossier = access_dossier(current, str(code), for_write=True)
    meeting = get_object_or_404(Meeting, organisation=current.organisation, code=payload.meeting)
    appearance = actions.put_on_agenda(
        current.person, dossier=dossier, meeting=meeting, stage=payload.stage
    )
    return Status(201, {"item": appearance.item_id})


@router.post("/organisations/{org}/dossiers/{code}/consultations", response={201: ConsultationOut})
def consult(request: HttpRequest, org: str, code: UUID, payload: ConsultIn) -> Status[object]:
    current = actor(request, org)
    dossier = access_dossier(current, str(code), for_write=True)
    body = get_object_or_404(Body, organisation=current.organisation, code=payload.consulted_body)
    consultation = actions.request_consultation(
        current.person,
        dossier=dossier,
        consulted_body=body,
        kind=payload.kind,
        due_date=payload.due_date,
    )
    return Status(201, consultation)


@router.post(
    "/organisations/{org}/dossiers/{code}/consultations/{consultation}/opinion",
    response=ConsultationOut,
)
def opinion(
    request: HttpRequest, org: str, code: UUID, consultation: Int64, payload: OpinionIn
) -> object:
    current = actor(request, org)
    dossier = access_dossier(current, str(code), for_write=True)
    gate = dossier.consultations.select_related("consulted_body").filter(pk=consultation).first()
    if gate is None:
        raise Http404
    return actions.record_opinion(
        current.person, consultation=gate, opinion=payload.opinion, given_on=payload.given_on
    )


@router.post("/organisations/{org}/dossiers/{code}/decisions", response={201: DecisionOut})
def decide(request: HttpRequest, org: str, code: UUID, payload: DecisionIn) -> Status[Decision]:
    current = actor(request, org)
    dossier = access_dossier(current, str(code), for_write=True)
    appearance = (
        dossier.appearances.select_related("item__meeting__kind__body")
        .filter(item_id=payload.item)
        .first()
    )
    if appearance is None:
        raise Http404
    data = payload.dict()
    data.pop("item")
    codes = data.pop("votes")
    if data["method"] == Decision.Method.ROLL_CALL:
        people = dict(
            Person.objects.filter(organisation=current.organisation, code__in=codes).values_list(
                "code", "pk"
            )
        )
        if len(people) < len(codes):
            raise ValidationError({"votes": _("Roll call: a vote names an unknown person.")})
        data["votes"] = {people[code]: vote for code, vote in codes.items()}
    decision = actions.record_decision(current.person, item=appearance.item, **data)
    return Status(
        201,
        Decision.objects.select_related("body", "dossier")
        .prefetch_related("votes__person")
        .get(pk=decision.pk),
    )


@router.get("/organisations/{org}/decisions", response=list[DecisionOut])
@paginate(PageNumberPagination)
def register(
    request: HttpRequest,
    org: str,
    text: str = "",
    body: str = "",
    year: str = "",
    tag: str = "",
    adopted: str = "",
) -> object:
    current = actor(request, org)
    return search_decisions(
        readable_decisions(current), text=text, body=body, year=year, tag=tag, adopted=adopted
    ).prefetch_related("votes__person")


@router.post("/organisations/{org}/actions", response={201: ActionOut})
def add_action(request: HttpRequest, org: str, payload: ActionIn) -> Status[Action]:
    """An action from a meeting, a dossier or a decision (give at least one)."""
    current = actor(request, org)
    require(current, WRITE)
    organisation = current.organisation
    action = actions.add_action(
        current.person,
        title=payload.title,
        owner=get_object_or_404(Person.objects.of(organisation), code=payload.owner),
        due_on=payload.due_on,
        meeting=get_object_or_404(Meeting, organisation=organisation, code=payload.meeting)
        if payload.meeting
        else None,
        dossier=access_dossier(current, str(payload.dossier), for_write=True)
        if payload.dossier
        else None,
        decision=get_object_or_404(readable_decisions(current), number=payload.decision)
        if payload.decision
        else None,
    )
    return Status(
        201,
        Action.objects.select_related("owner", "dossier", "decision", "meeting").get(pk=action.pk),
    )


@router.get("/organisations/{org}/actions", response=list[ActionOut])
@paginate(PageNumberPagination)
def list_actions(request: HttpRequest, org: str, overdue: bool = False) -> QuerySet[Action]:
    current = actor(request, org)
    items = (
        Action.objects.filter(organisation=current.organisation)
        .exclude(dossier__in=hidden_dossiers(current))
        .select_related("owner", "dossier", "decision", "meeting")
    )
    if overdue:
        items = items.filter(due_on__lt=timezone.localdate()).exclude(
            status__in=["done", "cancelled"]
        )
    return items


class AnswerOut(Schema):
    person: str = Field(..., alias="person.full_name")
    answer: str


class ResolutionOut(Schema):
    code: UUID
    body: str = Field(..., alias="body.code")
    title: str
    text: str
    deadline: datetime.date
    status: str
    decision: str | None = Field(None, alias="decision.number")
    dossier: UUID | None = Field(None, alias="dossier.code")


class ResolutionDetailOut(ResolutionOut):
    answers: list[AnswerOut] = Field(..., alias="api_answers")


class ResolutionIn(Schema):
    body: str
    title: str
    text: Text
    deadline: datetime.date
    dossier: UUID | None = None


class WrittenAnswerIn(Schema):
    answer: str


class ExpectationOut(Schema):
    id: int
    from_body: str = Field(..., alias="from_body.code")
    to_body: str = Field(..., alias="to_body.code")
    text: str
    voiced_on: datetime.date
    meeting: UUID | None = Field(None, alias="meeting.code")
    status: str
    answer: str


class ExpectationIn(Schema):
    from_body: str
    to_body: str
    text: Text
    meeting: UUID | None = None


class ExpectationAnswerIn(Schema):
    answer: Text
    close: bool = False


class DutyOut(Schema):
    id: int
    from_body: str = Field(..., alias="from_body.code")
    to_body: str = Field(..., alias="to_body.code")
    title: str
    period: str
    months: list[int]


def _resolution(current: Actor, code: UUID) -> WrittenResolution:
    resolution = (
        WrittenResolution.objects.select_related("body", "decision", "dossier")
        .filter(organisation=current.organisation, code=code)
        .first()
    )
    if resolution is None or not may_see_internals(current, resolution.body):
        raise Http404
    return resolution


def _detail(resolution: WrittenResolution) -> WrittenResolution:
    resolution.api_answers = list(resolution.answers.select_related("person"))  # type: ignore[attr-defined]
    return resolution


@router.get("/organisations/{org}/resolutions", response=list[ResolutionOut])
@paginate(PageNumberPagination)
def list_resolutions(request: HttpRequest, org: str) -> list[WrittenResolution]:
    current = actor(request, org)
    resolutions = WrittenResolution.objects.filter(
        organisation=current.organisation
    ).select_related("body", "decision", "dossier")
    return [r for r in resolutions if may_see_internals(current, r.body)]


@router.post("/organisations/{org}/resolutions", response={201: ResolutionDetailOut})
def propose_resolution(
    request: HttpRequest, org: str, payload: ResolutionIn
) -> Status[WrittenResolution]:
    current = actor(request, org)
    require(current, WRITE)
    body = get_object_or_404(Body, organisation=current.organisation, code=payload.body)
    dossier = (
        access_dossier(current, str(payload.dossier), for_write=True) if payload.dossier else None
    )
    resolution = actions.propose_written_resolution(
        current.person,
        body=body,
        title=payload.title,
        text=payload.text,
        deadline=payload.deadline,
        dossier=dossier,
    )
    return Status(201, _detail(resolution))


@router.get("/organisations/{org}/resolutions/{code}", response=ResolutionDetailOut)
def get_resolution(request: HttpRequest, org: str, code: UUID) -> WrittenResolution:
    return _detail(_resolution(actor(request, org), code))


@router.post("/organisations/{org}/resolutions/{code}/answer", response=ResolutionDetailOut)
def answer_resolution(
    request: HttpRequest, org: str, code: UUID, payload: WrittenAnswerIn
) -> WrittenResolution:
    """The signed-in voting member answers yes, no or abstain."""
    current = actor(request, org)
    resolution = _resolution(current, code)
    if current.person is None:
        raise Http404
    actions.answer_written_resolution(current.person, resolution=resolution, answer=payload.answer)
    return _detail(resolution)


@router.post("/organisations/{org}/resolutions/{code}/conclude", response=ResolutionDetailOut)
def conclude_resolution(request: HttpRequest, org: str, code: UUID) -> WrittenResolution:
    current = actor(request, org)
    require(current, WRITE)
    return _detail(
        actions.conclude_written_resolution(current.person, resolution=_resolution(current, code))
    )


@router.get("/organisations/{org}/expectations", response=list[ExpectationOut])
@paginate(PageNumberPagination)
def list_expectations(request: HttpRequest, org: str, status: str = "") -> object:
    current = actor(request, org)
    expectations = Expectation.objects.filter(organisation=current.organisation).select_related(
        "from_body", "to_body", "meeting"
    )
    return expectations.filter(status=status) if status else expectations


@router.post("/organisations/{org}/expectations", response={201: ExpectationOut})
def voice_expectation(
    request: HttpRequest, org: str, payload: ExpectationIn
) -> Status[Expectation]:
    current = actor(request, org)
    require(current, WRITE)
    bodies = Body.objects.filter(organisation=current.organisation)
    meeting = (
        get_object_or_404(Meeting, organisation=current.organisation, code=payload.meeting)
        if payload.meeting
        else None
    )
    expectation = actions.voice_expectation(
        current.person,
        from_body=get_object_or_404(bodies, code=payload.from_body),
        to_body=get_object_or_404(bodies, code=payload.to_body),
        text=payload.text,
        meeting=meeting,
    )
    return Status(201, expectation)


@router.post("/organisations/{org}/expectations/{expectation}/answer", response=ExpectationOut)
def answer_expectation(
    request: HttpRequest, org: str, expectation: Int64, payload: ExpectationAnswerIn
) -> Expectation:
    current = actor(request, org)
    require(current, WRITE)
    row = get_object_or_404(
        Expectation.objects.select_related("from_body", "to_body", "meeting"),
        organisation=current.organisation,
        pk=expectation,
    )
    return actions.answer_expectation(
        current.person, expectation=row, answer=payload.answer, close=payload.close
    )


@router.get("/organisations/{org}/information-duties", response=list[DutyOut])
def list_duties(request: HttpRequest, org: str) -> object:
    current = actor(request, org)
    return InformationDuty.objects.filter(organisation=current.organisation).select_related(
        "from_body", "to_body"
    )
