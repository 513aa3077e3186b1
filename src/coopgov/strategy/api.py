"""API endpoints for the strategy: plans and their revisions, axes, objectives and workstreams
with their milestones, indicators and links, the directions' progress updates, the news round
of a meeting, and the reviews in which a body checks the strategy."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Status
from ninja.pagination import paginate

from coopgov.bodies.models import Body
from coopgov.core.access import Actor, access_organisation, may_read, require
from coopgov.core.models import Confidentiality, Person, Unit
from coopgov.core.schemas import Int64, PageNumberPagination, Schema, Text
from coopgov.dossiers.access import access_dossier, may_read_dossier
from coopgov.dossiers.models import Action
from coopgov.dossiers.queries import readable_decisions
from coopgov.meetings.access import access_meeting
from coopgov.meetings.models import Invitation, Session
from coopgov.strategy import actions
from coopgov.strategy.access import (
    WRITE,
    access_direction,
    access_plan,
    access_review,
    access_workstream,
    may_read_plan,
    readable_updates,
)
from coopgov.strategy.models import (
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    Plan,
    ProgressUpdate,
    Review,
    Workstream,
)
from coopgov.strategy.queries import PlanState, current_state, review_results, revision_changes
from coopgov.strategy.rules import is_overdue

router = Router(tags=["strategy"])

BASE = "/organisations/{org}/strategy"


def actor(request: HttpRequest, org: str) -> Actor:
    return access_organisation(request.auth, org)  # type: ignore[attr-defined]


# Plans


class ApprovalOut(Schema):
    decision: str | None = Field(None, description="The approving decision's number.")
    reference: str = Field("", description="An approval recorded outside coopgov.")
    approved_on: datetime.date


class PlanOut(Schema):
    code: UUID
    title: str
    starts_year: int
    ends_year: int
    status: str
    body: str = Field(..., alias="body.code")
    confidentiality: str
    derived_from: UUID | None = Field(None, alias="derived_from.code")
    approved_on: datetime.date | None
    progress: float | None = Field(None, description="Weighted progress of the plan, in %.")
    workstreams: int = 0
    flagged: int = Field(0, description="Workstreams with late milestones or overdue.")

    @staticmethod
    def resolve_progress(plan: Plan) -> float | None:
        return _state(plan).progress

    @staticmethod
    def resolve_workstreams(plan: Plan) -> int:
        return len(_state(plan).workstreams)

    @staticmethod
    def resolve_flagged(plan: Plan) -> int:
        return sum(1 for state in _state(plan).workstreams if state.flagged)


class LateMilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date


class WorkstreamSummaryOut(Schema):
    code: UUID
    title: str
    direction: str
    sponsor: UUID | None
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    progress: int
    weight: int
    late_milestones: list[LateMilestoneOut]
    overdue: bool
    flagged: bool


class ObjectiveOut(Schema):
    id: int
    position: int
    title: str
    description: str
    weight: int


class ObjectiveStateOut(ObjectiveOut):
    progress: float | None
    workstreams: list[WorkstreamSummaryOut]


class AxisOut(Schema):
    id: int
    position: int
    title: str
    description: str
    weight: int


class AxisStateOut(AxisOut):
    progress: float | None
    objectives: list[ObjectiveStateOut]


class PlanDetailOut(PlanOut):
    summary: str
    change_note: str
    dossier: UUID | None = Field(None, alias="dossier.code")
    approval: ApprovalOut | None = None
    status_counts: dict[str, int] = {}
    axes: list[AxisStateOut] = []

    @staticmethod
    def resolve_approval(plan: Plan) -> dict[str, Any] | None:
        if plan.approved_on is None:
            return None
        return {
            "decision": plan.decision.number if plan.decision else None,
            "reference": plan.approval_reference,
            "approved_on": plan.approved_on,
        }

    @staticmethod
    def resolve_status_counts(plan: Plan) -> dict[str, int]:
        return {value: count for value, _label, count in _state(plan).status_counts}

    @staticmethod
    def resolve_axes(plan: Plan) -> list[dict[str, Any]]:
        return [
            {
                **_fields(axis_state.axis, AxisOut),
                "progress": axis_state.progress,
                "objectives": [
                    {
                        **_fields(objective_state.objective, ObjectiveOut),
                        "progress": objective_state.progress,
                        "workstreams": [
                            _summary(s.workstream, s.late_milestones, s.overdue)
                            for s in objective_state.workstreams
                        ],
                    }
                    for objective_state in axis_state.objectives
                ],
            }
            for axis_state in _state(plan).axes
        ]


def _state(plan: Plan) -> PlanState:
    """The plan's state, computed once per response (and, in lists, for the page only)."""
    state: PlanState | None = getattr(plan, "api_state", None)
    if state is None:
        state = current_state(plan)
        plan.api_state = state  # type: ignore[attr-defined]
    return state


def _fields(obj: object, schema: type[Schema]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in schema.model_fields}


def _summary(workstream: Workstream, late: list[Milestone], overdue: bool) -> dict[str, Any]:
    return {
        "code": workstream.code,
        "title": workstream.title,
        "direction": workstream.owner_unit.code,
        "sponsor": workstream.sponsor.code if workstream.sponsor else None,
        "starts_on": workstream.starts_on,
        "ends_on": workstream.ends_on,
        "status": workstream.status,
        "progress": workstream.progress,
        "weight": workstream.weight,
        "late_milestones": [_fields(m, LateMilestoneOut) for m in late],
        "overdue": overdue,
        "flagged": bool(late) or overdue,
    }


class PlanIn(Schema):
    title: str
    starts_year: int
    ends_year: int
    body: str = Field(..., description="Code of the body that follows the plan, e.g. ca.")
    summary: Text = ""
    confidentiality: str = Confidentiality.MEMBERS
    dossier: UUID | None = None


class AxisIn(Schema):
    title: str
    description: Text = ""
    weight: int = 1


class DeriveIn(Schema):
    title: str
    starts_year: int
    ends_year: int
    change_note: Text


class ApproveIn(Schema):
    decision: str | None = Field(None, description="A decision's number, e.g. CA-2023-004.")
    reference: str = Field("", description="Or an approval recorded outside coopgov…")
    approved_on: datetime.date | None = Field(None, description="…and its date.")


class ChangeOut(Schema):
    level: str
    kind: str
    title: str
    details: list[str]


@router.get(f"{BASE}/plans", response=list[PlanOut])
@paginate(PageNumberPagination)
def list_plans(request: HttpRequest, org: str, status: str = "") -> list[Plan]:
    """Plans the reader may see; progress is computed for the page shown only."""
    current = actor(request, org)
    plans = Plan.objects.of(current.organisation).select_related("body", "derived_from")
    if status:
        plans = plans.filter(status=status)
    return [plan for plan in plans if may_read_plan(current, plan)]


@router.post(f"{BASE}/plans", response={201: PlanDetailOut})
def create_plan(request: HttpRequest, org: str, payload: PlanIn) -> Status[Plan]:
    current = actor(request, org)
    require(current, WRITE)
    plan = actions.create_plan(
        current.person,
        organisation=current.organisation,
        title=payload.title,
        starts_year=payload.starts_year,
        ends_year=payload.ends_year,
        body=get_object_or_404(Body, organisation=current.organisation, code=payload.body),
        summary=payload.summary,
        confidentiality=payload.confidentiality,
        dossier=access_dossier(current, str(payload.dossier)) if payload.dossier else None,
    )
    return Status(201, plan)


@router.get(f"{BASE}/plans/{{code}}", response=PlanDetailOut)
def get_plan(request: HttpRequest, org: str, code: UUID) -> Plan:
    return access_plan(actor(request, org), str(code))


@router.get(f"{BASE}/plans/{{code}}/changes", response=list[ChangeOut])
def plan_changes(request: HttpRequest, org: str, code: UUID) -> list[object]:
    """What a revision changed against the plan it was derived from (empty for a first plan)."""
    return list(revision_changes(access_plan(actor(request, org), str(code))))


@router.post(f"{BASE}/plans/{{code}}/axes", response={201: AxisOut})
def add_axis(request: HttpRequest, org: str, code: UUID, payload: AxisIn) -> Status[object]:
    current = actor(request, org)
    plan = access_plan(current, str(code), for_write=True)
    return Status(201, actions.add_axis(current.person, plan=plan, **payload.dict()))


@router.post(f"{BASE}/plans/{{code}}/axes/{{position}}/objectives", response={201: ObjectiveOut})
def add_objective(
    request: HttpRequest, org: str, code: UUID, position: Int64, payload: AxisIn
) -> Status[object]:
    current = actor(request, org)
    plan = access_plan(current, str(code), for_write=True)
    axis = plan.axes.filter(position=position).first()
    if axis is None:
        raise Http404
    axis.plan = plan
    return Status(201, actions.add_objective(current.person, axis=axis, **payload.dict()))


@router.post(f"{BASE}/plans/{{code}}/derive", response={201: PlanDetailOut})
def derive_plan(request: HttpRequest, org: str, code: UUID, payload: DeriveIn) -> Status[Plan]:
    """A draft revision of a plan that was approved, carrying its whole tree."""
    current = actor(request, org)
    source = access_plan(current, str(code), for_write=True)
    return Status(201, actions.derive_plan(current.person, source=source, **payload.dict()))


@router.post(f"{BASE}/plans/{{code}}/approve", response=PlanDetailOut)
def approve_plan(request: HttpRequest, org: str, code: UUID, payload: ApproveIn) -> Plan:
    """By an adopted decision (its number), or by a reference and date recorded elsewhere."""
    current = actor(request, org)
    plan = access_plan(current, str(code), for_write=True)
    decision = (
        get_object_or_404(readable_decisions(current), number=payload.decision)
        if payload.decision
        else None
    )
    return actions.approve_plan(
        current.person,
        plan=plan,
        decision=decision,
        reference=payload.reference,
        approved_on=payload.approved_on,
    )


# Workstreams


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None
    late: bool = False

    @staticmethod
    def resolve_late(milestone: Milestone) -> bool:
        return milestone.is_late(timezone.localdate())


class ValueOut(Schema):
    measured_on: datetime.date
    value: Decimal
    note: str


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    target_on: datetime.date | None
    higher_is_better: bool
    values: list[ValueOut] = []

    @staticmethod
    def resolve_values(indicator: Indicator) -> list[IndicatorValue]:
        return list(indicator.values.all())


class ReportOut(Schema):
    update: UUID = Field(..., alias="update.code")
    direction: str = Field(..., alias="update.unit.code")
    period_start: datetime.date = Field(..., alias="update.period_start")
    period_end: datetime.date = Field(..., alias="update.period_end")
    headline: str = Field(..., alias="update.title")
    progress: int
    status: str
    comment: str


class DossierLinkOut(Schema):
    code: UUID
    title: str
    stage: str


class DecisionLinkOut(Schema):
    number: str
    title: str
    adopted: bool
    decided_on: datetime.date


class ActionLinkOut(Schema):
    code: UUID
    title: str
    status: str
    due_on: datetime.date


class PlaceOut(Schema):
    id: int
    position: int
    title: str


class WorkstreamOut(Schema):
    code: UUID
    title: str
    description: str
    plan: UUID = Field(..., alias="objective.axis.plan.code")
    axis: PlaceOut = Field(..., alias="objective.axis")
    objective: PlaceOut
    direction: str = Field(..., alias="owner_unit.code")
    sponsor: UUID | None = Field(None, alias="sponsor.code")
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    progress: int
    weight: int
    overdue: bool = False
    milestones: list[MilestoneOut] = Field(..., alias="api_milestones")
    indicators: list[IndicatorOut] = Field(..., alias="api_indicators")
    reports: list[ReportOut] = Field(..., alias="api_reports")
    dossiers: list[DossierLinkOut] = Field(..., alias="api_dossiers")
    decisions: list[DecisionLinkOut] = Field(..., alias="api_decisions")
    actions: list[ActionLinkOut] = Field(..., alias="api_actions")

    @staticmethod
    def resolve_overdue(workstream: Workstream) -> bool:
        return is_overdue(workstream.ends_on, workstream.status, timezone.localdate())


def _workstream_detail(current: Actor, workstream: Workstream) -> Workstream:
    """Attach what this reader may see of the workstream, for the response schema."""
    ws: Any = workstream
    ws.api_milestones = list(workstream.milestones.all())
    ws.api_indicators = list(
        workstream.indicators.prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on"))
        )
    )
    ws.api_reports = list(
        workstream.reports.select_related("update__unit").order_by(
            "-update__period_end", "-update__written_at"
        )
    )
    ws.api_dossiers = [
        d for d in workstream.dossiers.select_related("origin_body") if may_read_dossier(current, d)
    ]
    ws.api_decisions = list(readable_decisions(current).filter(workstreams=workstream))
    ws.api_actions = [
        a
        for a in workstream.actions.select_related("dossier")
        if a.dossier is None or may_read_dossier(current, a.dossier)
    ]
    return workstream


class WorkstreamIn(Schema):
    objective: int = Field(..., description="The objective's id in this plan.")
    title: str
    owner_unit: str = Field(..., description="The code of the direction that carries it.")
    sponsor: UUID | None = Field(None, description="The sponsoring director's person code.")
    starts_on: datetime.date
    ends_on: datetime.date
    description: Text = ""
    weight: int = 1


class MilestoneIn(Schema):
    title: str
    due_on: datetime.date


class ReachIn(Schema):
    done_on: datetime.date | None = None


class IndicatorIn(Schema):
    name: str
    target: Decimal
    unit: str = ""
    baseline: Decimal | None = None
    target_on: datetime.date | None = None
    higher_is_better: bool = True


class ValueIn(Schema):
    measured_on: datetime.date
    value: Decimal
    note: str = ""


class LinkIn(Schema):
    dossier: UUID | None = None
    decision: str | None = Field(None, description="A decision's number, e.g. CA-2023-014.")
    action: UUID | None = None


@router.post(f"{BASE}/plans/{{code}}/workstreams", response={201: WorkstreamOut})
def add_workstream(
    request: HttpRequest, org: str, code: UUID, payload: WorkstreamIn
) -> Status[Workstream]:
    current = actor(request, org)
    organisation = current.organisation
    plan = access_plan(current, str(code), for_write=True)
    objective = get_object_or_404(
        Objective.objects.filter(axis__plan=plan).select_related("axis__plan"),
        pk=payload.objective,
    )
    workstream = actions.add_workstream(
        current.person,
        objective=objective,
        title=payload.title,
        owner_unit=get_object_or_404(Unit.objects.of(organisation), code=payload.owner_unit),
        sponsor=get_object_or_404(Person.objects.of(organisation), code=payload.sponsor)
        if payload.sponsor
        else None,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        description=payload.description,
        weight=payload.weight,
    )
    return Status(201, _workstream_detail(current, workstream))


@router.get(f"{BASE}/workstreams/{{code}}", response=WorkstreamOut)
def get_workstream(request: HttpRequest, org: str, code: UUID) -> Workstream:
    current = actor(request, org)
    return _workstream_detail(current, access_workstream(current, str(code)))


@router.post(f"{BASE}/workstreams/{{code}}/milestones", response={201: MilestoneOut})
def add_milestone(
    request: HttpRequest, org: str, code: UUID, payload: MilestoneIn
) -> Status[Milestone]:
    current = actor(request, org)
    workstream = access_workstream(current, str(code), for_write=True)
    return Status(
        201, actions.add_milestone(current.person, workstream=workstream, **payload.dict())
    )


@router.post(f"{BASE}/workstreams/{{code}}/milestones/{{milestone}}/reach", response=MilestoneOut)
def reach_milestone(
    request: HttpRequest, org: str, code: UUID, milestone: Int64, payload: ReachIn
) -> Milestone:
    current = actor(request, org)
    workstream = access_workstream(current, str(code), for_write=True)
    row = get_object_or_404(workstream.milestones, pk=milestone)
    row.workstream = workstream
    return actions.reach_milestone(current.person, milestone=row, done_on=payload.done_on)


@router.post(f"{BASE}/workstreams/{{code}}/indicators", response={201: IndicatorOut})
def add_indicator(
    request: HttpRequest, org: str, code: UUID, payload: IndicatorIn
) -> Status[Indicator]:
    current = actor(request, org)
    workstream = access_workstream(current, str(code), for_write=True)
    indicator = actions.add_indicator(current.person, workstream=workstream, **payload.dict())
    indicator.refresh_from_db()  # decimals as stored, as the workstream's page shows them
    return Status(201, indicator)


@router.post(
    f"{BASE}/workstreams/{{code}}/indicators/{{indicator}}/values", response={201: ValueOut}
)
def record_indicator_value(
    request: HttpRequest, org: str, code: UUID, indicator: Int64, payload: ValueIn
) -> Status[IndicatorValue]:
    current = actor(request, org)
    workstream = access_workstream(current, str(code), for_write=True)
    row = get_object_or_404(workstream.indicators, pk=indicator)
    row.workstream = workstream
    entry = actions.record_indicator_value(current.person, indicator=row, **payload.dict())
    entry.refresh_from_db()
    return Status(201, entry)


@router.post(f"{BASE}/workstreams/{{code}}/links", response=WorkstreamOut)
def link_workstream(request: HttpRequest, org: str, code: UUID, payload: LinkIn) -> Workstream:
    """Tie the workstream to a dossier, a decision or an action the steerer may read."""
    current = actor(request, org)
    workstream = access_workstream(current, str(code), for_write=True)
    action = (
        get_object_or_404(
            Action.objects.select_related("dossier"),
            organisation=current.organisation,
            code=payload.action,
        )
        if payload.action
        else None
    )
    if (
        action is not None
        and action.dossier is not None
        and not may_read_dossier(current, action.dossier)
    ):
        raise Http404
    actions.link_workstream(
        current.person,
        workstream=workstream,
        dossier=access_dossier(current, str(payload.dossier)) if payload.dossier else None,
        decision=get_object_or_404(readable_decisions(current), number=payload.decision)
        if payload.decision
        else None,
        action=action,
    )
    return _workstream_detail(current, workstream)


# Progress updates and the news round


class UpdateReportOut(Schema):
    workstream: UUID = Field(..., alias="workstream.code")
    title: str = Field(..., alias="workstream.title")
    progress: int
    status: str
    comment: str


class UpdateOut(Schema):
    code: UUID
    direction: str = Field(..., alias="unit.code")
    direction_name: str = Field(..., alias="unit.name")
    period_start: datetime.date
    period_end: datetime.date
    title: str
    text: str
    author: UUID | None = Field(None, alias="author.code")
    written_at: datetime.datetime
    reports: list[UpdateReportOut] = Field(
        ..., alias="visible_reports", description="Reports on workstreams of plans the reader sees."
    )


class ReportIn(Schema):
    workstream: UUID
    progress: int
    status: str
    comment: Text = ""


class UpdateIn(Schema):
    direction: str = Field(..., description="The direction's unit code.")
    period_start: datetime.date
    period_end: datetime.date
    title: str
    text: Text
    reports: list[ReportIn] = []


class NewsItemOut(Schema):
    id: int
    position: int
    title: str
    purpose: str
    description: str


@router.get(f"{BASE}/updates", response=list[UpdateOut])
@paginate(PageNumberPagination)
def list_updates(request: HttpRequest, org: str, direction: str = "") -> QuerySet[ProgressUpdate]:
    updates = readable_updates(actor(request, org))
    return updates.filter(unit__code=direction) if direction else updates


@router.post(f"{BASE}/updates", response={201: UpdateOut})
def write_progress_update(
    request: HttpRequest, org: str, payload: UpdateIn
) -> Status[ProgressUpdate]:
    """A direction's news; its head (or the secretariat) reports on the direction's workstreams."""
    current = actor(request, org)
    unit = access_direction(current, payload.direction)
    codes = [report.workstream for report in payload.reports]
    workstreams = {
        ws.code: ws
        for ws in Workstream.objects.filter(
            organisation=current.organisation, code__in=codes
        ).select_related("objective__axis__plan")
        if may_read_plan(current, ws.objective.axis.plan)
    }
    if len(workstreams) < len(set(codes)):
        raise ValidationError({"reports": _("A report names an unknown workstream.")})
    update = actions.write_progress_update(
        current.person,
        unit=unit,
        period_start=payload.period_start,
        period_end=payload.period_end,
        title=payload.title,
        text=payload.text,
        reports=[
            actions.Report(
                workstream=workstreams[report.workstream],
                progress=report.progress,
                status=report.status,
                comment=report.comment,
            )
            for report in payload.reports
        ],
    )
    return Status(201, readable_updates(current).get(pk=update.pk))


@router.post(
    f"{BASE}/meetings/{{meeting}}/sessions/{{session}}/news", response={201: list[NewsItemOut]}
)
def gather_news(
    request: HttpRequest, org: str, meeting: UUID, session: Int64
) -> Status[list[object]]:
    """The secretariat gathers each direction's latest update into a news-round session."""
    current = actor(request, org)
    require(current, WRITE)
    found = access_meeting(current, str(meeting))
    row = get_object_or_404(Session.objects.filter(meeting=found), pk=session)
    row.meeting = found
    return Status(201, list(actions.gather_news(current.person, session=row)))


# Reviews


class ReviewOut(Schema):
    code: UUID
    title: str
    plan: UUID = Field(..., alias="plan.code")
    body: str = Field(..., alias="body.code")
    meeting: UUID | None = Field(None, alias="meeting.code")
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    scale: int
    open: bool = False
    concluded_at: datetime.datetime | None

    @staticmethod
    def resolve_open(review: Review) -> bool:
        return review.is_open()


class QuestionOut(Schema):
    id: int
    position: int
    text: str


class QuestionResultOut(Schema):
    question: str
    count: int
    mean: float | None
    distribution: list[int] = Field(..., description="Answers per score, from 1 to the scale.")


class AxisResultOut(Schema):
    axis: int = Field(..., alias="axis.id")
    position: int = Field(..., alias="axis.position")
    title: str = Field(..., alias="axis.title")
    questions: list[QuestionResultOut]
    comments: list[str] = Field(..., description="Without names.")


class ResultsOut(Schema):
    respondents: int
    eligible: int
    axes: list[AxisResultOut]


class ReviewDetailOut(ReviewOut):
    orientation: str | None = Field(None, alias="orientation.text")
    questions: list[QuestionOut] = Field(..., alias="api_questions")
    axes: list[PlaceOut] = Field(..., alias="api_axes")
    results: ResultsOut = Field(..., alias="api_results")


class ReviewIn(Schema):
    body: str = Field(..., description="Code of the body consulted.")
    title: str
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    meeting: UUID | None = Field(None, description="Open during this meeting (its hours).")
    questions: list[str] = []
    scale: int = 5


class ReviewAnswerIn(Schema):
    axis: int | None = Field(None, description="The axis's position in the plan…")
    axis_id: int | None = Field(None, description="…or its id.")
    scores: dict[int, int] = Field(..., description="Question id → score from 1 to the scale.")
    comment: Text = ""


class ReviewAnswerOut(Schema):
    axis: int = Field(..., alias="axis.position")
    comment: str
    answered_at: datetime.datetime


class ConcludeIn(Schema):
    orientation: Text
    meeting: UUID | None = Field(None, description="By default, the review's meeting.")


def _review_detail(review: Review) -> Review:
    rv: Any = review
    rv.api_questions = list(review.questions.all())
    rv.api_axes = list(review.plan.axes.all())
    rv.api_results = review_results(review)
    return review


@router.get(f"{BASE}/plans/{{code}}/reviews", response=list[ReviewOut])
@paginate(PageNumberPagination)
def list_reviews(request: HttpRequest, org: str, code: str) -> list[Review]:
    # `code` is a str: @paginate's wrapper resolves annotations in its own module, without UUID.
    current = actor(request, org)
    plan = access_plan(current, str(code))
    reviews = list(plan.reviews.select_related("body", "meeting"))
    # access.may_read_review, with the invitations read once rather than per review.
    invited = (
        set(
            Invitation.objects.filter(
                person=current.person, meeting__in=[r.meeting_id for r in reviews if r.meeting_id]
            ).values_list("meeting_id", flat=True)
        )
        if current.person is not None and not current.has(WRITE)
        else set()
    )
    for review in reviews:
        review.plan = plan
    return [
        review
        for review in reviews
        if current.has(WRITE)
        or may_read(current, Confidentiality.BODIES, bodies=[review.body_id])
        or review.meeting_id in invited
    ]


@router.post(f"{BASE}/plans/{{code}}/reviews", response={201: ReviewDetailOut})
def open_review(request: HttpRequest, org: str, code: UUID, payload: ReviewIn) -> Status[Review]:
    current = actor(request, org)
    plan = access_plan(current, str(code), for_write=True)
    review = actions.open_review(
        current.person,
        plan=plan,
        body=get_object_or_404(Body, organisation=current.organisation, code=payload.body),
        title=payload.title,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        meeting=access_meeting(current, str(payload.meeting)) if payload.meeting else None,
        questions=payload.questions,
        scale=payload.scale,
    )
    return Status(201, _review_detail(review))


@router.get(f"{BASE}/reviews/{{code}}", response=ReviewDetailOut)
def get_review(request: HttpRequest, org: str, code: UUID) -> Review:
    """The review with its results: per axis and question, count, mean and distribution of
    the scores, and the comments, without names."""
    return _review_detail(access_review(actor(request, org), str(code)))


@router.post(f"{BASE}/reviews/{{code}}/answers", response={201: ReviewAnswerOut})
def answer_review(
    request: HttpRequest, org: str, code: UUID, payload: ReviewAnswerIn
) -> Status[object]:
    """The signed-in person's answer on one axis (answering again replaces it)."""
    current = actor(request, org)
    review = access_review(current, str(code))
    if current.person is None:
        raise Http404
    if payload.axis_id is not None:
        axis = get_object_or_404(review.plan.axes, pk=payload.axis_id)
    elif payload.axis is not None:
        axis = get_object_or_404(review.plan.axes, position=payload.axis)
    else:
        raise ValidationError({"axis": _("Choose the axis you answer on.")})
    response = actions.answer_review(
        current.person, review=review, axis=axis, scores=payload.scores, comment=payload.comment
    )
    response.axis = axis
    return Status(201, response)


@router.post(f"{BASE}/reviews/{{code}}/conclude", response=ReviewDetailOut)
def conclude_review(request: HttpRequest, org: str, code: UUID, payload: ConcludeIn) -> Review:
    """Close the review with the orientation the body draws from it."""
    current = actor(request, org)
    review = access_review(current, str(code), for_write=True)
    meeting = access_meeting(current, str(payload.meeting)) if payload.meeting else None
    actions.conclude_review(
        current.person, review=review, orientation=payload.orientation, meeting=meeting
    )
    return _review_detail(review)
