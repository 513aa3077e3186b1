"""API endpoints for the offers: the service catalogue and its variants in versions, the members'
activities with their path, enrolment (O1) and accompaniment, the competence grid, the needs
stated and fed to a variant's dossier, an adviser's own page and the management's counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Status
from ninja.pagination import paginate

from coopgov.core.access import Actor, access_organisation, require
from coopgov.core.models import Member, MemberCategory, Person, Unit
from coopgov.core.schemas import Day, Int64, PageNumberPagination, Schema, Text
from coopgov.dossiers.access import access_dossier
from coopgov.meetings.access import access_meeting
from coopgov.offers import actions, queries
from coopgov.offers.access import (
    CATALOGUE,
    READ,
    WRITE,
    access_activity,
    access_offer,
    is_holder,
    may_keep,
    visible_activities,
)
from coopgov.offers.models import (
    Activity,
    ActivityMilestone,
    Competence,
    Contribution,
    Enrolment,
    Evaluation,
    Holding,
    Need,
    Offer,
    OfferService,
    OfferVersion,
    PathStage,
    Score,
    Service,
    Stage,
    SupportMeeting,
)

router = Router(tags=["offers"])

BASE = "/organisations/{org}/offers"

REVIEW_AHEAD = datetime.timedelta(days=30)
"""An adviser sees the commitments to review within this many days (and those overdue)."""


def actor(request: HttpRequest, org: str) -> Actor:
    return access_organisation(request.auth, org)  # type: ignore[attr-defined]


def signed_in(current: Actor) -> Person:
    if current.person is None:
        raise Http404
    return current.person


# The catalogue


class ServiceOut(Schema):
    code: str
    name: str
    description: str
    unit: str | None = Field(None, alias="unit.code", description="The delivering unit's code.")
    funding: str
    funding_note: str
    position: int


class ServiceIn(Schema):
    code: str
    name: str
    description: Text = ""
    unit: str | None = Field(None, description="Code of the unit that delivers the service.")
    funding: str = Service.Funding.CONTRIBUTION
    funding_note: str = ""
    position: int = 0


class LevelOut(Schema):
    service: str = Field(..., alias="service.code")
    service_name: str = Field(..., alias="service.name")
    level: str
    note: str


class VersionOut(Schema):
    number: int
    valid_from: datetime.date
    valid_until: datetime.date | None
    cooperative_commitments: str
    shares_required: int
    contribution_rate: Decimal
    contribution_base: str
    minimum_annual_activity: Decimal | None
    support_meetings_per_year: int
    participation_duties: str
    eligible_categories: list[str] = Field(..., description="Member category codes (all if empty).")
    eligible_profiles: list[str] = Field(..., description="Activity profiles (all if empty).")
    levels: list[LevelOut]

    @staticmethod
    def resolve_eligible_categories(version: OfferVersion) -> list[str]:
        return [category.code for category in version.eligible_categories.all()]

    @staticmethod
    def resolve_levels(version: OfferVersion) -> list[OfferService]:
        return list(version.levels.all())


class OfferOut(Schema):
    code: str
    name: str
    summary: str
    position: int
    hypothesis: bool
    dossier: UUID | None = Field(None, alias="dossier.code", description="The design dossier.")
    current: VersionOut | None = Field(
        None, alias="api_current", description="The version valid on the day asked (today)."
    )


class OfferDetailOut(OfferOut):
    versions: list[VersionOut] = Field(..., alias="api_versions")


class OfferIn(Schema):
    code: str
    name: str
    summary: Text = ""
    hypothesis: bool = False
    dossier: UUID | None = Field(None, description="The dossier in which the variant is designed.")
    position: int = 0


class LevelIn(Schema):
    service: str = Field(..., description="The service's code.")
    level: str
    note: str = ""


class VersionIn(Schema):
    valid_from: datetime.date
    valid_until: datetime.date | None = None
    cooperative_commitments: Text
    contribution_rate: Decimal
    levels: list[LevelIn]
    shares_required: int = 1
    contribution_base: str = OfferVersion.Base.TURNOVER
    minimum_annual_activity: Decimal | None = None
    support_meetings_per_year: int = 0
    participation_duties: Text = ""
    eligible_categories: list[str] = Field([], description="Member category codes.")
    eligible_profiles: list[str] = []


class RowOut(Schema):
    service: str
    name: str
    levels: list[str | None] = Field(..., description="The level in each variant, in order.")


class ComparisonOut(Schema):
    on: datetime.date
    services: list[ServiceOut]
    offers: list[OfferOut]
    rows: list[RowOut]


def _versions() -> QuerySet[OfferVersion]:
    return OfferVersion.objects.prefetch_related(
        Prefetch("levels", queryset=OfferService.objects.select_related("service")),
        "eligible_categories",
    )


def _offer_detail(offer: Offer) -> Offer:
    today = timezone.localdate()
    of: Any = offer
    of.api_versions = list(_versions().filter(offer=offer).order_by("-number"))
    of.api_current = next((v for v in of.api_versions if v.is_valid_on(today)), None)
    return offer


def _comparison(current: Actor, day: datetime.date) -> dict[str, Any]:
    services, columns = queries.comparison(current.organisation, day)
    offers = []
    for column in columns:
        column.offer.api_current = column.version  # type: ignore[attr-defined]
        offers.append(column.offer)
    rows = [
        {
            "service": service.code,
            "name": service.name,
            "levels": [
                column.levels[service.pk].level if service.pk in column.levels else None
                for column in columns
            ],
        }
        for service in services
    ]
    return {"on": day, "services": services, "offers": offers, "rows": rows}


@router.get(f"{BASE}/services", response=list[ServiceOut])
def list_services(request: HttpRequest, org: str) -> QuerySet[Service]:
    current = actor(request, org)
    return Service.objects.filter(organisation=current.organisation).select_related("unit")


@router.post(f"{BASE}/services", response={201: ServiceOut})
def add_service(request: HttpRequest, org: str, payload: ServiceIn) -> Status[Service]:
    current = actor(request, org)
    require(current, CATALOGUE)
    unit = (
        get_object_or_404(Unit.objects.of(current.organisation), code=payload.unit)
        if payload.unit
        else None
    )
    service = actions.add_service(
        current.person,
        organisation=current.organisation,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        unit=unit,
        funding=payload.funding,
        funding_note=payload.funding_note,
        position=payload.position,
    )
    return Status(201, service)


@router.get(f"{BASE}/offers", response=list[OfferOut])
def list_offers(request: HttpRequest, org: str) -> list[Offer]:
    """The variants, each with its version valid today: services and levels, commitments and
    eligibility."""
    current = actor(request, org)
    return _comparison(current, timezone.localdate())["offers"]


@router.get(f"{BASE}/offers/compare", response=ComparisonOut)
def compare_offers(request: HttpRequest, org: str, on: Day | None = None) -> dict[str, Any]:
    """The variants side by side on a day (today by default): each one's version valid that day
    and, per service of the catalogue, the level each variant renders it at."""
    current = actor(request, org)
    return _comparison(current, on or timezone.localdate())


@router.get(f"{BASE}/offers/{{code}}", response=OfferDetailOut)
def get_offer(request: HttpRequest, org: str, code: str) -> Offer:
    return _offer_detail(access_offer(actor(request, org), code))


@router.post(f"{BASE}/offers", response={201: OfferDetailOut})
def create_offer(request: HttpRequest, org: str, payload: OfferIn) -> Status[Offer]:
    current = actor(request, org)
    require(current, CATALOGUE)
    offer = actions.create_offer(
        current.person,
        organisation=current.organisation,
        code=payload.code,
        name=payload.name,
        summary=payload.summary,
        hypothesis=payload.hypothesis,
        dossier=access_dossier(current, str(payload.dossier)) if payload.dossier else None,
        position=payload.position,
    )
    return Status(201, _offer_detail(offer))


@router.post(f"{BASE}/offers/{{code}}/versions", response={201: VersionOut})
def publish_version(
    request: HttpRequest, org: str, code: str, payload: VersionIn
) -> Status[OfferVersion]:
    """A new version of the variant; an open-ended earlier version ends the day before."""
    current = actor(request, org)
    offer = access_offer(current, code, for_write=True)
    organisation = current.organisation
    wanted = [level.service for level in payload.levels]
    services = {
        s.code: s for s in Service.objects.filter(organisation=organisation, code__in=wanted)
    }
    errors: dict[str, str] = {}
    unknown = sorted(set(wanted) - set(services))
    if unknown:
        errors["levels"] = _("Unknown services: %s") % ", ".join(unknown)
    elif len(set(wanted)) < len(wanted):
        errors["levels"] = _("A service is listed twice.")
    categories = list(
        MemberCategory.objects.filter(
            organisation=organisation, code__in=payload.eligible_categories
        )
    )
    missing = sorted(set(payload.eligible_categories) - {c.code for c in categories})
    if missing:
        errors["eligible_categories"] = _("Unknown member categories: %s") % ", ".join(missing)
    if errors:
        raise ValidationError(errors)
    version = actions.publish_version(
        current.person,
        offer=offer,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        cooperative_commitments=payload.cooperative_commitments,
        contribution_rate=payload.contribution_rate,
        levels={services[level.service]: (level.level, level.note) for level in payload.levels},
        shares_required=payload.shares_required,
        contribution_base=payload.contribution_base,
        minimum_annual_activity=payload.minimum_annual_activity,
        support_meetings_per_year=payload.support_meetings_per_year,
        participation_duties=payload.participation_duties,
        eligible_categories=categories,
        eligible_profiles=payload.eligible_profiles,
    )
    return Status(201, _versions().get(pk=version.pk))


# Activities


class PersonRefOut(Schema):
    code: UUID
    name: str = Field(..., alias="full_name")


class HolderOut(Schema):
    number: int = Field(..., alias="member.number")
    name: str = Field(..., alias="member.display_name")


class ActivityOut(Schema):
    code: UUID
    name: str
    sector: str
    profile: str
    stage: str
    started_on: datetime.date
    office: str | None = Field(None, alias="office.code")
    offer: str | None = Field(None, description="The code of the variant the activity is in now.")
    version: int | None = Field(None, description="The number of that variant's version.")
    holders: list[HolderOut]
    advisers: list[PersonRefOut]

    @staticmethod
    def resolve_offer(activity: Activity) -> str | None:
        enrolment = _open(activity)
        return enrolment.version.offer.code if enrolment else None

    @staticmethod
    def resolve_version(activity: Activity) -> int | None:
        enrolment = _open(activity)
        return enrolment.version.number if enrolment else None

    @staticmethod
    def resolve_holders(activity: Activity) -> list[Holding]:
        return list(activity.holdings.all())

    @staticmethod
    def resolve_advisers(activity: Activity) -> list[Person]:
        return list(activity.advisers.all())


class FlagOut(Schema):
    kind: str = Field(
        ..., description="shares, contribution, support, activity, acceptance, review"
    )
    message: str


class HoldingOut(Schema):
    member: int = Field(..., alias="member.number")
    name: str = Field(..., alias="member.display_name")
    shares_verified: int | None = Field(None, description="Shares held, as last verified.")
    verified_on: datetime.date | None


class PathStageOut(Schema):
    stage: str
    on: datetime.date
    note: str
    exit_reason: str
    recorded_by: UUID | None = Field(None, alias="recorded_by.code")


class EnrolmentOut(Schema):
    id: int
    offer: str = Field(..., alias="version.offer.code")
    offer_name: str = Field(..., alias="version.offer.name")
    version: int = Field(..., alias="version.number")
    starts_on: datetime.date
    ends_on: datetime.date | None
    review_on: datetime.date
    member_accepted_by: PersonRefOut | None
    member_accepted_at: datetime.datetime | None
    cooperative_accepted_by: PersonRefOut | None
    cooperative_accepted_at: datetime.datetime | None
    accepted: bool


class ParticipantOut(Schema):
    person: UUID = Field(..., alias="person.code")
    name: str = Field(..., alias="person.full_name")
    attendance: str


class SupportMeetingOut(Schema):
    id: int
    held_on: datetime.date
    status: str
    advisers: list[PersonRefOut]
    participants: list[ParticipantOut]
    objectives: str
    agreed_actions: str
    next_steps: str
    next_meeting_on: datetime.date | None

    @staticmethod
    def resolve_advisers(meeting: SupportMeeting) -> list[Person]:
        return list(meeting.advisers.all())

    @staticmethod
    def resolve_participants(meeting: SupportMeeting) -> list[object]:
        return list(meeting.participations.all())


class ActivityMilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    done_on: datetime.date | None


class ScoreOut(Schema):
    competence: int = Field(..., alias="competence_id")
    name: str = Field(..., alias="competence.name")
    score: int


class EvaluationOut(Schema):
    id: int
    evaluated_on: datetime.date
    evaluator: PersonRefOut
    comment: str
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(evaluation: Evaluation) -> list[Score]:
        return list(evaluation.scores.all())


class ContributionOut(Schema):
    id: int
    period_start: datetime.date
    period_end: datetime.date
    base_amount: Decimal
    rate: Decimal
    amount_due: Decimal
    due_on: datetime.date
    amount_paid: Decimal
    paid_on: datetime.date | None
    unpaid: bool = Field(False, description="Due before today and not fully paid.")

    @staticmethod
    def resolve_unpaid(contribution: Contribution) -> bool:
        return contribution.is_unpaid(timezone.localdate())


class NeedOut(Schema):
    service: str = Field(..., alias="service.code")
    service_name: str = Field(..., alias="service.name")
    level: str
    comment: str
    stated_by: PersonRefOut
    stated_on: datetime.date


class ActivityDetailOut(ActivityOut):
    description: str
    holdings: list[HoldingOut] = Field(..., alias="api_holdings")
    path: list[PathStageOut] = Field(..., alias="api_path")
    enrolments: list[EnrolmentOut] = Field(..., alias="api_enrolments")
    support_meetings: list[SupportMeetingOut] = Field(..., alias="api_support_meetings")
    milestones: list[ActivityMilestoneOut] = Field(..., alias="api_milestones")
    evaluations: list[EvaluationOut] = Field(..., alias="api_evaluations")
    contributions: list[ContributionOut] = Field(..., alias="api_contributions")
    needs: list[NeedOut] = Field(..., alias="api_needs")
    flags: list[FlagOut] = Field(
        ..., alias="api_flags", description="Commitments of the current enrolment not met today."
    )


def _open_enrolments() -> Prefetch:
    return Prefetch(
        "enrolments",
        queryset=Enrolment.objects.filter(ends_on__isnull=True).select_related("version__offer"),
        to_attr="api_open",
    )


def _holdings() -> Prefetch:
    return Prefetch(
        "holdings",
        queryset=Holding.objects.select_related("member__person").order_by("member__number"),
    )


def _open(activity: Activity) -> Enrolment | None:
    """The activity's current enrolment, as prefetched (or read once)."""
    found: list[Enrolment] | None = getattr(activity, "api_open", None)
    if found is None:
        found = list(
            activity.enrolments.filter(ends_on__isnull=True).select_related("version__offer")
        )
        activity.api_open = found  # type: ignore[attr-defined]
    return found[0] if found else None


def _listed(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with what a list shows of them, in a fixed number of queries."""
    return (
        activities.select_related("office")
        .prefetch_related(_holdings(), "advisers", _open_enrolments())
        .order_by("name", "pk")
    )


def _activity_detail(activity: Activity) -> Activity:
    """Attach the activity's whole record to it, for the response schema (fixed queries)."""
    accepted = ("version__offer", "member_accepted_by", "cooperative_accepted_by")
    prefetch_related_objects(
        [activity],
        _holdings(),
        "advisers",
        Prefetch("path", queryset=PathStage.objects.select_related("recorded_by")),
        Prefetch("enrolments", queryset=Enrolment.objects.select_related(*accepted)),
        Prefetch(
            "support_meetings",
            queryset=SupportMeeting.objects.prefetch_related("advisers", "participations__person"),
        ),
        "milestones",
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.select_related("evaluator").prefetch_related(
                Prefetch(
                    "scores",
                    queryset=Score.objects.select_related("competence").order_by(
                        "competence__position", "competence__name"
                    ),
                )
            ),
        ),
        "contributions",
        Prefetch("needs", queryset=Need.objects.select_related("service", "stated_by")),
    )
    ac: Any = activity
    ac.api_holdings = list(activity.holdings.all())
    ac.api_path = list(activity.path.all())
    ac.api_enrolments = list(activity.enrolments.all())
    ac.api_open = [e for e in ac.api_enrolments if e.ends_on is None]
    ac.api_support_meetings = list(activity.support_meetings.all())
    ac.api_milestones = list(activity.milestones.all())
    ac.api_evaluations = list(activity.evaluations.all())
    ac.api_contributions = list(activity.contributions.all())
    ac.api_needs = list(activity.needs.all())
    ac.api_flags = queries.flags([activity], timezone.localdate()).get(activity.pk, [])
    return activity


class ActivityIn(Schema):
    name: str
    sector: str
    profile: str
    started_on: datetime.date
    holders: list[int] = Field(..., description="Member numbers of the holders.")
    advisers: list[UUID] = Field([], description="Person codes of the advisers.")
    office: str | None = Field(None, description="The office's unit code.")
    description: Text = ""


def _members(current: Actor, numbers: list[int], field: str) -> list[Member]:
    found = {
        m.number: m
        for m in Member.objects.of(current.organisation).with_names().filter(number__in=numbers)
    }
    unknown = [str(n) for n in numbers if n not in found]
    if unknown:
        raise ValidationError({field: _("Unknown member numbers: %s") % ", ".join(unknown)})
    return [found[n] for n in dict.fromkeys(numbers)]


def _people(current: Actor, codes: list[UUID], field: str) -> list[Person]:
    found = {p.code: p for p in Person.objects.of(current.organisation).filter(code__in=codes)}
    if any(code not in found for code in codes):
        raise ValidationError({field: _("A person named here is unknown.")})
    return [found[code] for code in dict.fromkeys(codes)]


@router.get(f"{BASE}/activities", response=list[ActivityOut])
@paginate(PageNumberPagination)
def list_activities(
    request: HttpRequest,
    org: str,
    stage: str = "",
    offer: str = "",
    adviser: str = "",
    mine: bool = False,
) -> QuerySet[Activity]:
    """The activities the reader may see (staff: all; advisers and holders: their own), by
    stage, current variant (its code), adviser (a person code), or those the reader advises."""
    current = actor(request, org)
    activities = visible_activities(current)
    if stage:
        activities = activities.filter(stage=stage)
    if offer:
        activities = activities.filter(
            enrolments__ends_on__isnull=True, enrolments__version__offer__code=offer
        )
    if adviser:
        try:
            activities = activities.filter(advisers__code=UUID(adviser))
        except ValueError:
            raise ValidationError({"adviser": _("Give the adviser's person code.")}) from None
    if mine:
        activities = activities.filter(advisers=signed_in(current))
    return _listed(activities)


@router.post(f"{BASE}/activities", response={201: ActivityDetailOut})
def open_activity(request: HttpRequest, org: str, payload: ActivityIn) -> Status[Activity]:
    """A candidate activity, opened by the secretariat."""
    current = actor(request, org)
    require(current, WRITE)
    activity = actions.open_activity(
        current.person,
        organisation=current.organisation,
        name=payload.name,
        sector=payload.sector,
        profile=payload.profile,
        started_on=payload.started_on,
        holders=_members(current, payload.holders, "holders"),
        advisers=_people(current, payload.advisers, "advisers"),
        office=get_object_or_404(Unit.objects.of(current.organisation), code=payload.office)
        if payload.office
        else None,
        description=payload.description,
    )
    return Status(201, _activity_detail(activity))


@router.get(f"{BASE}/activities/{{code}}", response=ActivityDetailOut)
def get_activity(request: HttpRequest, org: str, code: UUID) -> Activity:
    """The activity's record: holders and their shares, path, enrolments and who accepted them,
    support meetings, milestones, evaluations, contributions, needs, and today's flags."""
    return _activity_detail(access_activity(actor(request, org), str(code)))


class StageIn(Schema):
    stage: str
    on: datetime.date
    note: Text = ""
    exit_reason: str = ""


class EnrolIn(Schema):
    offer: str = Field(..., description="The variant's code.")
    version: int | None = Field(
        None, description="Its version number; by default the version valid on starts_on."
    )
    starts_on: datetime.date
    review_on: datetime.date | None = None


class AcceptIn(Schema):
    side: str = Field(..., description="member or cooperative")


class CommitmentReviewIn(Schema):
    next_review_on: datetime.date
    note: str = ""


class SharesIn(Schema):
    shares: int = Field(..., ge=0, le=32767)
    on: datetime.date | None = None


class ContributionIn(Schema):
    period_start: datetime.date
    period_end: datetime.date
    base_amount: Decimal
    due_on: datetime.date


class PaymentIn(Schema):
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    paid_on: datetime.date


class ParticipantIn(Schema):
    person: UUID
    attendance: str


class SupportMeetingIn(Schema):
    held_on: datetime.date
    advisers: list[UUID] = Field(..., description="Person codes of the advisers.")
    attendance: list[ParticipantIn] = []
    status: str = SupportMeeting.Status.HELD
    objectives: Text = ""
    agreed_actions: Text = ""
    next_steps: Text = ""
    next_meeting_on: datetime.date | None = None


class ActivityMilestoneIn(Schema):
    title: str
    due_on: datetime.date


class MilestoneReachIn(Schema):
    done_on: datetime.date | None = None


class ScoreIn(Schema):
    competence: int = Field(..., description="The competence's id.")
    score: int


class EvaluationIn(Schema):
    evaluated_on: datetime.date
    scores: list[ScoreIn]
    comment: Text = ""


class NeedIn(Schema):
    service: str = Field(..., description="The service's code.")
    level: str = Field(..., description="essential, useful or not_needed")
    comment: str = ""


class FollowIn(Schema):
    adviser: UUID = Field(..., description="The adviser's person code.")
    stop: bool = False


def _keep(request: HttpRequest, org: str, code: UUID) -> tuple[Actor, Activity]:
    current = actor(request, org)
    return current, access_activity(current, str(code), for_write=True)


def _enrolment(activity: Activity, pk: int) -> Enrolment:
    enrolment = get_object_or_404(activity.enrolments.select_related("version__offer"), pk=pk)
    enrolment.activity = activity
    return enrolment


@router.post(f"{BASE}/activities/{{code}}/stages", response={201: PathStageOut})
def advance(request: HttpRequest, org: str, code: UUID, payload: StageIn) -> Status[PathStage]:
    """The next dated stage: candidate → integrated → active ⇄ paused → exited."""
    current, activity = _keep(request, org, code)
    return Status(201, actions.advance(current.person, activity=activity, **payload.dict()))


@router.post(f"{BASE}/activities/{{code}}/enrolments", response={201: EnrolmentOut})
def enrol(request: HttpRequest, org: str, code: UUID, payload: EnrolIn) -> Status[Enrolment]:
    """O1: the activity enters a variant; the current enrolment ends the day before."""
    current, activity = _keep(request, org, code)
    offer = get_object_or_404(Offer, organisation=current.organisation, code=payload.offer)
    if payload.version is not None:
        version = get_object_or_404(offer.versions, number=payload.version)
    else:
        found = offer.versions.valid_on(payload.starts_on).first()
        if found is None:
            raise ValidationError(
                {
                    "version": _("O1: no version of “%(offer)s” is valid on that day.")
                    % {"offer": offer.name}
                }
            )
        version = found
    version.offer = offer
    enrolment = actions.enrol(
        current.person,
        activity=activity,
        version=version,
        starts_on=payload.starts_on,
        review_on=payload.review_on,
    )
    return Status(201, enrolment)


@router.post(f"{BASE}/activities/{{code}}/enrolments/{{enrolment}}/accept", response=EnrolmentOut)
def accept_commitments(
    request: HttpRequest, org: str, code: UUID, enrolment: Int64, payload: AcceptIn
) -> Enrolment:
    """The signed-in person accepts the variant's commitments: a holder for the member's side,
    an adviser of the activity for the cooperative's."""
    current = actor(request, org)
    activity = access_activity(current, str(code))
    return actions.accept_commitments(
        signed_in(current), enrolment=_enrolment(activity, enrolment), side=payload.side
    )


@router.post(f"{BASE}/activities/{{code}}/enrolments/{{enrolment}}/review", response=EnrolmentOut)
def review_commitments(
    request: HttpRequest, org: str, code: UUID, enrolment: Int64, payload: CommitmentReviewIn
) -> Enrolment:
    """The commitments were reviewed with the holders; the next review is set."""
    current, activity = _keep(request, org, code)
    return actions.review_commitments(
        current.person, enrolment=_enrolment(activity, enrolment), **payload.dict()
    )


@router.post(f"{BASE}/activities/{{code}}/holdings/{{member}}/shares", response=HoldingOut)
def verify_shares(
    request: HttpRequest, org: str, code: UUID, member: Int64, payload: SharesIn
) -> Holding:
    """The shares a holder holds, as the adviser verified them."""
    current, activity = _keep(request, org, code)
    holding = get_object_or_404(
        activity.holdings.select_related("member__person"), member__number=member
    )
    holding.activity = activity
    return actions.verify_shares(current.person, holding=holding, **payload.dict())


@router.post(f"{BASE}/activities/{{code}}/contributions", response={201: ContributionOut})
def record_contribution(
    request: HttpRequest, org: str, code: UUID, payload: ContributionIn
) -> Status[Contribution]:
    """The contribution of a period, at the rate of the variant the activity was in."""
    current, activity = _keep(request, org, code)
    contribution = actions.record_contribution(current.person, activity=activity, **payload.dict())
    contribution.refresh_from_db()  # amounts as stored
    return Status(201, contribution)


@router.post(
    f"{BASE}/activities/{{code}}/contributions/{{contribution}}/payments",
    response=ContributionOut,
)
def record_payment(
    request: HttpRequest, org: str, code: UUID, contribution: Int64, payload: PaymentIn
) -> Contribution:
    current, activity = _keep(request, org, code)
    row = get_object_or_404(activity.contributions, pk=contribution)
    row.activity = activity
    actions.record_payment(current.person, contribution=row, **payload.dict())
    row.refresh_from_db()
    return row


@router.post(f"{BASE}/activities/{{code}}/support-meetings", response={201: SupportMeetingOut})
def record_support_meeting(
    request: HttpRequest, org: str, code: UUID, payload: SupportMeetingIn
) -> Status[SupportMeeting]:
    """A support meeting with its advisers and the participants' attendance."""
    current, activity = _keep(request, org, code)
    codes = [entry.person for entry in payload.attendance]
    people = {p.code: p for p in _people(current, codes, "attendance")}
    meeting = actions.record_support_meeting(
        current.person,
        activity=activity,
        held_on=payload.held_on,
        advisers=_people(current, payload.advisers, "advisers"),
        attendance={people[entry.person]: entry.attendance for entry in payload.attendance},
        status=payload.status,
        objectives=payload.objectives,
        agreed_actions=payload.agreed_actions,
        next_steps=payload.next_steps,
        next_meeting_on=payload.next_meeting_on,
    )
    prefetch_related_objects([meeting], "advisers", "participations__person")
    return Status(201, meeting)


@router.post(f"{BASE}/activities/{{code}}/milestones", response={201: ActivityMilestoneOut})
def add_milestone(
    request: HttpRequest, org: str, code: UUID, payload: ActivityMilestoneIn
) -> Status[ActivityMilestone]:
    current, activity = _keep(request, org, code)
    return Status(
        201, actions.add_activity_milestone(current.person, activity=activity, **payload.dict())
    )


@router.post(
    f"{BASE}/activities/{{code}}/milestones/{{milestone}}/reach", response=ActivityMilestoneOut
)
def reach_milestone(
    request: HttpRequest, org: str, code: UUID, milestone: Int64, payload: MilestoneReachIn
) -> ActivityMilestone:
    current, activity = _keep(request, org, code)
    row = get_object_or_404(activity.milestones, pk=milestone)
    row.activity = activity
    return actions.reach_activity_milestone(current.person, milestone=row, done_on=payload.done_on)


@router.post(f"{BASE}/activities/{{code}}/evaluations", response={201: EvaluationOut})
def evaluate(
    request: HttpRequest, org: str, code: UUID, payload: EvaluationIn
) -> Status[Evaluation]:
    """The competence grid evaluated on a day: a score for every competence of the grid."""
    current, activity = _keep(request, org, code)
    ids = [entry.competence for entry in payload.scores]
    grid = {c.pk: c for c in Competence.objects.filter(organisation=current.organisation)}
    if any(pk not in grid for pk in ids):
        raise ValidationError({"scores": _("A competence named here is unknown.")})
    evaluation = actions.evaluate(
        signed_in(current),
        activity=activity,
        evaluated_on=payload.evaluated_on,
        scores={grid[entry.competence]: entry.score for entry in payload.scores},
        comment=payload.comment,
    )
    prefetch_related_objects(
        [evaluation],
        Prefetch(
            "scores",
            queryset=Score.objects.select_related("competence").order_by(
                "competence__position", "competence__name"
            ),
        ),
    )
    return Status(201, evaluation)


@router.post(f"{BASE}/activities/{{code}}/needs", response={201: NeedOut})
def state_need(request: HttpRequest, org: str, code: UUID, payload: NeedIn) -> Status[Need]:
    """What the activity needs from a service, said by a holder (or recorded by its keepers);
    saying it again replaces it."""
    current = actor(request, org)
    activity = access_activity(current, str(code))
    if not (is_holder(current, activity) or may_keep(current, activity)):
        raise Http404
    service = get_object_or_404(Service, organisation=current.organisation, code=payload.service)
    need = actions.state_need(
        signed_in(current),
        activity=activity,
        service=service,
        level=payload.level,
        comment=payload.comment,
    )
    return Status(201, need)


@router.post(f"{BASE}/activities/{{code}}/advisers", response=list[PersonRefOut])
def follow(request: HttpRequest, org: str, code: UUID, payload: FollowIn) -> list[Person]:
    """An adviser starts (or, with stop, stops) following the activity. Its keepers name any
    adviser; a member of staff may start or stop following it themselves."""
    current = actor(request, org)
    activity = access_activity(current, str(code))
    adviser = get_object_or_404(Person.objects.of(current.organisation), code=payload.adviser)
    if not (may_keep(current, activity) or (current.has(READ) and adviser == current.person)):
        raise Http404
    actions.follow(current.person, activity=activity, adviser=adviser, stop=payload.stop)
    return list(activity.advisers.order_by("last_name", "first_name"))


# The competence grid


class CompetenceOut(Schema):
    id: int
    name: str
    position: int


class CompetenceIn(Schema):
    name: str
    position: int = 0


@router.get(f"{BASE}/competences", response=list[CompetenceOut])
def list_competences(request: HttpRequest, org: str) -> QuerySet[Competence]:
    current = actor(request, org)
    return Competence.objects.filter(organisation=current.organisation)


@router.post(f"{BASE}/competences", response={201: CompetenceOut})
def add_competence(request: HttpRequest, org: str, payload: CompetenceIn) -> Status[Competence]:
    current = actor(request, org)
    require(current, CATALOGUE)
    return Status(
        201,
        actions.add_competence(current.person, organisation=current.organisation, **payload.dict()),
    )


# Needs


class NeedSummaryOut(Schema):
    service: str = Field(..., alias="service.code")
    name: str = Field(..., alias="service.name")
    counts: dict[str, int] = Field(..., description="Activities per level of need.")
    total: int
    comments: list[str]


class FeedIn(Schema):
    meeting: UUID = Field(..., description="The meeting where the dossier receives the needs.")


class FeedOut(Schema):
    dossier: UUID
    meeting: UUID
    item: int | None
    text: str


@router.get(f"{BASE}/needs", response=list[NeedSummaryOut])
def needs_summary(request: HttpRequest, org: str) -> list[queries.NeedSummary]:
    """Per service, how many activities find it essential, useful or not needed (staff)."""
    current = actor(request, org)
    require(current, READ)
    return queries.needs_summary(current.organisation)


@router.post(f"{BASE}/offers/{{code}}/needs-to-dossier", response={201: FeedOut})
def feed_needs(
    request: HttpRequest, org: str, code: str, payload: FeedIn
) -> Status[dict[str, Any]]:
    """The needs summary feeds the variant's design dossier, as a contribution recorded at a
    meeting (the dossier is put on its agenda for information if it is not)."""
    current = actor(request, org)
    offer = access_offer(current, code, for_write=True)
    if offer.dossier is None:
        raise ValidationError({"dossier": _("This variant has no design dossier.")})
    dossier = access_dossier(current, str(offer.dossier.code))
    meeting = access_meeting(current, str(payload.meeting), for_write=True)
    outcome = actions.feed_needs(
        current.person,
        dossier=dossier,
        meeting=meeting,
        summary=queries.summary_text(queries.needs_summary(current.organisation)),
    )
    return Status(
        201,
        {
            "dossier": dossier.code,
            "meeting": meeting.code,
            "item": outcome.item_id,
            "text": outcome.text,
        },
    )


# The adviser's page and the management's counts


class AdvisedOut(ActivityOut):
    flags: list[FlagOut] = Field(..., alias="api_flags")


class FollowUpOut(Schema):
    activity: UUID = Field(..., alias="activity.code")
    name: str = Field(..., alias="activity.name")
    stage: str = Field(..., alias="activity.stage")
    last_meeting: datetime.date | None
    days_since: int | None
    planned: datetime.date | None


class ReviewDueOut(Schema):
    activity: UUID
    name: str
    enrolment: int
    offer: str
    review_on: datetime.date
    overdue: bool


class AdviserPageOut(Schema):
    activities: list[AdvisedOut]
    follow_ups: list[FollowUpOut] = Field(
        ..., description="No support meeting for six months and none planned."
    )
    reviews: list[ReviewDueOut] = Field(
        ..., description="Commitments to review within 30 days, or overdue."
    )


class CountOut(Schema):
    name: str
    count: int


class StageCountOut(Schema):
    stage: str
    label: str
    count: int


class ManagementOut(Schema):
    stages: list[StageCountOut]
    variants: list[CountOut] = Field(..., description="Activities per variant they are in now.")
    delays: list[CountOut] = Field(..., description="Months since the last support meeting.")


@router.get(f"{BASE}/advisers/me", response=AdviserPageOut)
def adviser_page(request: HttpRequest, org: str) -> dict[str, Any]:
    """The signed-in adviser's activities on their way, with their flags, the follow-ups due
    and the commitments to review."""
    current = actor(request, org)
    person = signed_in(current)
    activities = list(
        _listed(
            Activity.objects.filter(organisation=current.organisation, advisers=person).exclude(
                stage=Stage.EXITED
            )
        )
    )
    today = timezone.localdate()
    flags = queries.flags(activities, today)
    reviews = []
    for activity in activities:
        activity.api_flags = flags.get(activity.pk, [])  # type: ignore[attr-defined]
        enrolment = _open(activity)
        if enrolment is not None and enrolment.review_on <= today + REVIEW_AHEAD:
            reviews.append(
                {
                    "activity": activity.code,
                    "name": activity.name,
                    "enrolment": enrolment.pk,
                    "offer": enrolment.version.offer.code,
                    "review_on": enrolment.review_on,
                    "overdue": enrolment.review_on < today,
                }
            )
    return {
        "activities": activities,
        "follow_ups": queries.follow_ups(activities, today),
        "reviews": sorted(reviews, key=lambda r: r["review_on"]),
    }


@router.get(f"{BASE}/management", response=ManagementOut)
def management(request: HttpRequest, org: str) -> dict[str, Any]:
    """Activities per stage, per variant they are in, and by time since their last support
    meeting (staff)."""
    current = actor(request, org)
    require(current, READ)
    activities = visible_activities(current)
    today = timezone.localdate()
    return {
        "stages": [
            {"stage": stage, "label": label, "count": count}
            for stage, label, count in queries.stage_counts(activities)
        ],
        "variants": [
            {"name": name, "count": count} for name, count in queries.variant_counts(activities)
        ],
        "delays": [
            {"name": name, "count": count}
            for name, count in queries.delay_buckets(activities, today)
        ],
    }
