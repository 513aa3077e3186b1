from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import MemberCategory, Organisation, Person
from coopgov.meetings import actions
from coopgov.meetings.models import Meeting, MeetingKind
from tests.bodies.conftest import assembly, board, seat

__all__ = ["assembly", "board"]


def at(year: int, month: int, day: int, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def directors(board: Body, category_a: MemberCategory, category_b: MemberCategory) -> list[Mandate]:
    """Seven directors and one works-council observer on the board from June 2023."""
    mandates = [
        seat(board, category_a, gender="female" if index % 2 else "male") for index in range(5)
    ]
    mandates += [
        seat(board, category_b, group_name="B/C", gender="female" if index else "male")
        for index in range(2)
    ]
    return mandates


@pytest.fixture
def observer(board: Body, org: Organisation) -> Mandate:
    from tests.conftest import make_person

    mandate, _ = body_actions.appoint(
        None,
        body=board,
        person=make_person(org),
        start=datetime.date(2023, 6, 20),
        end=datetime.date(2027, 6, 20),
        origin="social_elections",
        role=Mandate.Role.ADVISORY_OBSERVER,
    )
    return mandate


@pytest.fixture
def board_meeting_kind(board: Body) -> MeetingKind:
    return actions.add_meeting_kind(
        None,
        body=board,
        code="ordinary",
        name="Réunion du conseil",
        category="ordinary",
        notice_days=7,
    )


@pytest.fixture
def seminar_kind(board: Body) -> MeetingKind:
    return actions.add_meeting_kind(
        None, body=board, code="seminar", name="Séminaire", category="seminar", notice_days=14
    )


@pytest.fixture
def board_meeting(
    board_meeting_kind: MeetingKind, directors: list[Mandate], observer: Mandate
) -> Meeting:
    return actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Conseil d'administration",
        starts_at=at(2024, 3, 12),
        ends_at=at(2024, 3, 12, 21),
        venue="Siège",
    )


@pytest.fixture
def seminar(seminar_kind: MeetingKind, directors: list[Mandate]) -> Meeting:
    return actions.schedule_meeting(
        None,
        kind=seminar_kind,
        title="Séminaire d'hiver",
        starts_at=at(2024, 1, 24, 9),
        ends_at=at(2024, 1, 25, 17),
        venue="Monceau-Fontaine",
        address="Rue de Monceau-Fontaine 42/1, 6031 Charleroi",
    )


def person_of(mandate: Mandate) -> Person:
    return mandate.person
