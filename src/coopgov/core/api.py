"""API endpoints for organisations, units, people and members, with the pages' access rules."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status
from ninja.pagination import paginate

from coopgov.core import actions
from coopgov.core.access import (
    Actor,
    access_member,
    access_organisation,
    access_person,
    access_unit,
    require,
)
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Unit
from coopgov.core.schemas import Int64, PageNumberPagination, Schema

router = Router(tags=["organisation"])


def actor(request: HttpRequest, org: str, *, for_write: bool = False) -> Actor:
    return access_organisation(request.auth, org, for_write=for_write)  # type: ignore[attr-defined]


class OrganisationOut(Schema):
    code: str
    name: str
    legal_form: str
    enterprise_number: str
    street: str
    postal_code: str
    city: str
    country: str
    default_language: str
    general_assembly_notice_days: int
    board_notice_days: int
    min_gender_share: int
    term_years: int
    max_consecutive_terms: int
    college_voting: bool
    require_mfa: bool


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = Field(None, alias="parent.code")
    head: UUID | None = Field(None, alias="head.code")
    description: str
    address: str


class PersonOut(Schema):
    code: UUID
    first_name: str
    last_name: str
    email: str
    phone: str
    preferred_language: str
    gender: str


class PersonIn(Schema):
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    email: str = ""
    phone: str = ""
    preferred_language: str = ""
    gender: str = Person.Gender.NOT_DECLARED


class MemberOut(Schema):
    number: int
    kind: str
    name: str = Field(..., alias="display_name")
    person: UUID | None = Field(None, alias="person.code")
    legal_name: str
    legal_enterprise_number: str
    representative: UUID | None = Field(None, alias="representative.code")
    category: str = Field(..., alias="category.code")
    status: str
    admission_date: datetime.date | None
    exit_date: datetime.date | None


class MemberIn(Schema):
    category: str
    person: UUID | None = None
    legal_name: str = ""
    legal_enterprise_number: str = ""
    representative: UUID | None = None
    status: str = Member.Status.ADMITTED
    admission_date: datetime.date | None = None


@router.get("/organisations", response=list[OrganisationOut])
@paginate(PageNumberPagination)
def list_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.filter(people__user=request.auth).distinct()  # type: ignore[attr-defined]


@router.get("/organisations/{org}", response=OrganisationOut)
def get_organisation(request: HttpRequest, org: str) -> Organisation:
    return actor(request, org).organisation


@router.get("/organisations/{org}/units", response=list[UnitOut])
@paginate(PageNumberPagination)
def list_units(request: HttpRequest, org: str) -> QuerySet[Unit]:
    current = actor(request, org)
    require(current, "core.units:read")
    return Unit.objects.of(current.organisation).select_related("parent", "head").order_by("name")


@router.get("/organisations/{org}/units/{code}", response=UnitOut)
def get_unit(request: HttpRequest, org: str, code: str) -> Unit:
    return access_unit(actor(request, org), code)


@router.get("/organisations/{org}/people", response=list[PersonOut])
@paginate(PageNumberPagination)
def list_people(request: HttpRequest, org: str, q: str = "") -> QuerySet[Person]:
    current = actor(request, org)
    require(current, "core.people:read")
    people = Person.objects.of(current.organisation).order_by("last_name", "first_name", "pk")
    return people.search(q) if q else people


@router.get("/organisations/{org}/people/{code}", response=PersonOut)
def get_person(request: HttpRequest, org: str, code: UUID) -> Person:
    return access_person(actor(request, org), str(code))


@router.post("/organisations/{org}/people", response={201: PersonOut})
def add_person(request: HttpRequest, org: str, payload: PersonIn) -> Status[Person]:
    current = actor(request, org)
    require(current, "core.people:write")
    person = actions.add_person(current.person, organisation=current.organisation, **payload.dict())
    return Status(201, person)


@router.get("/organisations/{org}/members", response=list[MemberOut])
@paginate(PageNumberPagination)
def list_members(
    request: HttpRequest, org: str, q: str = "", category: str = "", status: str = ""
) -> QuerySet[Member]:
    current = actor(request, org)
    require(current, "core.members:read")
    return Member.objects.of(current.organisation).listing(q=q, category=category, status=status)


@router.get("/organisations/{org}/members/{number}", response=MemberOut)
def get_member(request: HttpRequest, org: str, number: Int64) -> Member:
    return access_member(actor(request, org), number)


@router.post("/organisations/{org}/members", response={201: MemberOut})
def admit_member(request: HttpRequest, org: str, payload: MemberIn) -> Status[Member]:
    current = actor(request, org)
    require(current, "core.members:write")
    organisation = current.organisation
    people = Person.objects.of(organisation)
    member = actions.admit_member(
        current.person,
        organisation=organisation,
        category=get_object_or_404(
            MemberCategory, organisation=organisation, code=payload.category
        ),
        admission_date=payload.admission_date,
        person=get_object_or_404(people, code=payload.person) if payload.person else None,
        legal_name=payload.legal_name,
        legal_enterprise_number=payload.legal_enterprise_number,
        representative=(
            get_object_or_404(people, code=payload.representative)
            if payload.representative
            else None
        ),
        status=payload.status,
    )
    return Status(201, Member.objects.with_names().get(pk=member.pk))
