"""API endpoints for bodies, seat rules, mandates, composition at a date and the rule report."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Status
from ninja.pagination import paginate

from coopgov.bodies import actions
from coopgov.bodies.access import access_body, may_see_internals
from coopgov.bodies.models import Body, Mandate, SeatGroup
from coopgov.bodies.rules import composition, rule_report
from coopgov.core.access import Actor, access_organisation, access_person, require
from coopgov.core.models import Member, Person
from coopgov.core.schemas import Day, PageNumberPagination, Schema

router = Router(tags=["bodies"])


def actor(request: HttpRequest, org: str) -> Actor:
    return access_organisation(request.auth, org)  # type: ignore[attr-defined]


def readable_body(current: Actor, code: str) -> Body:
    body = access_body(current, code)
    if not may_see_internals(current, body):
        raise Http404
    return body


class SeatGroupOut(Schema):
    name: str
    seats: int
    categories: list[str]

    @staticmethod
    def resolve_categories(group: SeatGroup) -> list[str]:
        return [category.code for category in group.categories.all()]


class SeatRuleOut(Schema):
    min_seats: int
    max_seats: int | None
    min_gender_share: int | None
    term_years: int | None
    max_consecutive_terms: int | None
    advisory_seats: int
    legal_person_seats: int
    selection_modes: list[str]
    quorum_numerator: int
    quorum_denominator: int
    quorum_base: str
    size_enforcement: str
    quota_enforcement: str
    gender_enforcement: str
    term_enforcement: str
    groups: list[SeatGroupOut]

    @staticmethod
    def resolve_groups(rule: object) -> list[SeatGroup]:
        return list(rule.groups.prefetch_related("categories"))  # type: ignore[attr-defined]


class RelationOut(Schema):
    kind: str
    target: str = Field(..., alias="target.code")
    seats: int | None


class BodyOut(Schema):
    code: str
    name: str
    kind: str
    purpose: str
    powers: str
    may_decide: bool
    confidentiality: str
    next_ordinary_meeting: datetime.date | None


class BodyDetailOut(BodyOut):
    seat_rule: SeatRuleOut | None
    relations: list[RelationOut]

    @staticmethod
    def resolve_seat_rule(body: Body) -> object:
        return getattr(body, "seat_rule", None)

    @staticmethod
    def resolve_relations(body: Body) -> list[object]:
        return list(body.relations_out.select_related("target"))


class MandateOut(Schema):
    code: UUID
    body: str = Field(..., alias="body.code")
    person: UUID = Field(..., alias="person.code")
    name: str = Field(..., alias="holder_name")
    legal_member: int | None = Field(None, alias="legal_member.number")
    role: str
    seat_group: str | None = Field(None, alias="seat_group.name")
    start: datetime.date
    end: datetime.date | None
    term_end: datetime.date | None
    origin: str
    end_reason: str
    term_number: int
    decision_reference: str


class CompositionOut(Schema):
    body: str
    on: datetime.date
    filled: int
    vacancies: int
    quorum: int | None
    members: list[MandateOut]
    observers: list[MandateOut]
    seats: dict[str, list[int]]
    up_for_renewal: list[MandateOut]


class FindingOut(Schema):
    rule: str
    ok: bool
    enforcement: str
    message: str
    fix: str


class AppointIn(Schema):
    person: UUID
    start: datetime.date
    origin: str
    role: str = Mandate.Role.MEMBER
    seat_group: str | None = None
    legal_member: int | None = None
    end: datetime.date | None = None
    decision_reference: str = ""


class AppointOut(Schema):
    mandate: MandateOut
    warnings: list[str]


@router.get("/organisations/{org}/bodies", response=list[BodyOut])
@paginate(PageNumberPagination)
def list_bodies(request: HttpRequest, org: str) -> QuerySet[Body]:
    return Body.objects.filter(organisation=actor(request, org).organisation)


@router.get("/organisations/{org}/bodies/{code}", response=BodyDetailOut)
def get_body(request: HttpRequest, org: str, code: str) -> Body:
    return access_body(actor(request, org), code)


@router.get("/organisations/{org}/bodies/{code}/composition", response=CompositionOut)
def get_composition(
    request: HttpRequest, org: str, code: str, on: Day | None = None
) -> dict[str, object]:
    body = readable_body(actor(request, org), code)
    comp = composition(body, on or timezone.localdate())
    return {
        "body": body.code,
        "on": comp.day,
        "filled": comp.filled,
        "vacancies": comp.vacancies,
        "quorum": comp.quorum,
        "members": comp.members,
        "observers": comp.observers,
        "seats": {use.group.name: [use.used, use.group.seats] for use in comp.groups},
        "up_for_renewal": comp.renewals,
    }


@router.get("/organisations/{org}/bodies/{code}/report", response=list[FindingOut])
def get_report(request: HttpRequest, org: str, code: str, on: Day | None = None) -> list[object]:
    body = readable_body(actor(request, org), code)
    return list(rule_report(composition(body, on or timezone.localdate())))


@router.get("/organisations/{org}/bodies/{code}/mandates", response=list[MandateOut])
@paginate(PageNumberPagination)
def list_mandates(request: HttpRequest, org: str, code: str) -> QuerySet[Mandate]:
    body = readable_body(actor(request, org), code)
    return Mandate.objects.of_body(body).with_people().order_by("-start", "pk")


@router.post("/organisations/{org}/bodies/{code}/mandates", response={201: AppointOut})
def appoint(
    request: HttpRequest, org: str, code: str, payload: AppointIn
) -> Status[dict[str, object]]:
    current = actor(request, org)
    body = access_body(current, code, for_write=True)
    people = Person.objects.of(current.organisation)
    mandate, warnings = actions.appoint(
        current.person,
        body=body,
        person=get_object_or_404(people, code=payload.person),
        start=payload.start,
        end=payload.end,
        origin=payload.origin,
        role=payload.role,
        seat_group=(
            get_object_or_404(SeatGroup, rule__body=body, name=payload.seat_group)
            if payload.seat_group
            else None
        ),
        legal_member=(
            get_object_or_404(Member.objects.of(current.organisation), number=payload.legal_member)
            if payload.legal_member
            else None
        ),
        decision_reference=payload.decision_reference,
    )
    return Status(
        201, {"mandate": Mandate.objects.with_people().get(pk=mandate.pk), "warnings": warnings}
    )


@router.get("/organisations/{org}/people/{code}/mandates", response=list[MandateOut])
@paginate(PageNumberPagination)
def person_mandates(request: HttpRequest, org: str, code: str) -> list[Mandate]:
    # A plain string: the pagination wrapper cannot resolve postponed UUID annotations.
    current = actor(request, org)
    try:
        person = access_person(current, str(UUID(code)))
    except ValueError as error:
        raise Http404 from error
    require(current, "core.organisation:read")
    return [
        mandate
        for mandate in Mandate.objects.filter(person=person).with_people().order_by("-start")
        if may_see_internals(current, mandate.body)
    ]
