from __future__ import annotations

import datetime
from typing import Any

import pytest

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Mandate, SeatGroup
from coopgov.core.models import MemberCategory, Organisation, Person
from tests.conftest import make_member, make_person

JUNE_2023 = datetime.date(2023, 6, 20)


@pytest.fixture
def assembly(org: Organisation) -> Body:
    return actions.create_body(
        None,
        organisation=org,
        code="ag",
        name="Assemblée générale",
        kind=Body.Kind.GENERAL_ASSEMBLY,
        next_ordinary_meeting=datetime.date(2027, 6, 15),
    )


@pytest.fixture
def board(
    org: Organisation,
    assembly: Body,
    category_a: MemberCategory,
    category_b: MemberCategory,
    category_c: MemberCategory,
) -> Body:
    """15 seats: 11 for category A, 4 for B or C; each gender at least 40 %; 4-year terms,
    renewable once; two advisory seats for the works council; two legal-person seats."""
    body = actions.create_body(
        None,
        organisation=org,
        code="ca",
        name="Conseil d'administration",
        kind=Body.Kind.BOARD,
        confidentiality="members",
    )
    actions.set_seat_rule(
        None,
        body=body,
        groups=[("A", 11, [category_a]), ("B/C", 4, [category_b, category_c])],
        min_seats=3,
        max_seats=15,
        min_gender_share=40,
        term_years=4,
        max_consecutive_terms=2,
        advisory_seats=2,
        legal_person_seats=2,
        selection_modes=["elected", "co_opted"],
    )
    actions.relate_bodies(None, source=assembly, kind="elects", target=body)
    return body


def group(body: Body, name: str) -> SeatGroup:
    return SeatGroup.objects.get(rule__body=body, name=name)


def seat(
    body: Body,
    category: MemberCategory,
    *,
    gender: str = Person.Gender.FEMALE,
    group_name: str = "A",
    start: datetime.date = JUNE_2023,
    **fields: Any,
) -> Mandate:
    """Elect a new member of `category` to a seat of `group_name`."""
    person = make_person(body.organisation, gender=gender)
    make_member(body.organisation, category, person)
    mandate, _warnings = actions.appoint(
        None,
        body=body,
        person=person,
        start=start,
        origin=Mandate.Origin.ELECTED,
        seat_group=group(body, group_name),
        **fields,
    )
    return mandate
