"""A small strategy for the tests: a plan in force with two axes, three objectives and three
workstreams carried by two directions, whose heads are Isabelle (general direction) and
Laurent (finance)."""

from __future__ import annotations

import datetime

import pytest

from coopgov.bodies.models import Body, Mandate
from coopgov.core import actions as core_actions
from coopgov.core.models import Organisation, Person, Role, Unit
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Decision
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from coopgov.strategy import actions
from coopgov.strategy.models import Plan, Workstream
from tests.conftest import make_person
from tests.meetings.conftest import (
    assembly,
    board,
    board_meeting,
    board_meeting_kind,
    directors,
    observer,
    seminar,
    seminar_kind,
)

# Fixtures shared with the meetings tests.
__all__ = [
    "assembly",
    "board",
    "board_meeting",
    "board_meeting_kind",
    "directors",
    "observer",
    "seminar",
    "seminar_kind",
]

D = datetime.date


@pytest.fixture
def head_general(org: Organisation) -> Person:
    person = make_person(org, first_name="Isabelle", last_name="Moreau")
    core_actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    return person


@pytest.fixture
def head_finance(org: Organisation) -> Person:
    person = make_person(org, first_name="Laurent", last_name="Simon")
    core_actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    return person


@pytest.fixture
def general(org: Organisation, head_general: Person) -> Unit:
    return core_actions.create_unit(
        None,
        organisation=org,
        code="direction-generale",
        name="Direction générale",
        kind="direction",
        head=head_general,
    )


@pytest.fixture
def finance(org: Organisation, head_finance: Person) -> Unit:
    return core_actions.create_unit(
        None,
        organisation=org,
        code="finances",
        name="Direction financière",
        kind="direction",
        head=head_finance,
    )


@pytest.fixture
def draft(org: Organisation, board: Body) -> Plan:
    """A draft 2021-2025 plan with two axes (weights 2 and 1) and three objectives."""
    plan = actions.create_plan(
        None,
        organisation=org,
        title="Stratégie 2021-2025",
        starts_year=2021,
        ends_year=2025,
        body=board,
    )
    security = actions.add_axis(None, plan=plan, title="Sécuriser le cadre", weight=2)
    services = actions.add_axis(None, plan=plan, title="Développer les services", weight=1)
    actions.add_objective(None, axis=security, title="Un cadre juridique solide")
    actions.add_objective(None, axis=security, title="Des finances saines")
    actions.add_objective(None, axis=services, title="Un accompagnement dans la durée")
    return plan


@pytest.fixture
def plan(draft: Plan, general: Unit, finance: Unit, head_general: Person) -> Plan:
    """The draft with three workstreams, approved by a reference to the 2021 assembly."""
    legal, money, support = (o for axis in draft.axes.all() for o in axis.objectives.all())
    actions.add_workstream(
        None,
        objective=legal,
        title="Statuts révisés",
        owner_unit=general,
        sponsor=head_general,
        starts_on=D(2021, 9, 1),
        ends_on=D(2025, 6, 30),
    )
    actions.add_workstream(
        None,
        objective=money,
        title="Fonds de garantie",
        owner_unit=finance,
        starts_on=D(2021, 9, 1),
        ends_on=D(2024, 12, 31),
        weight=3,
    )
    actions.add_workstream(
        None,
        objective=support,
        title="Conseillers attitrés",
        owner_unit=general,
        starts_on=D(2022, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    return actions.approve_plan(
        None, plan=draft, reference="Assemblée générale du 15 juin 2021", approved_on=D(2021, 6, 15)
    )


def workstream(plan: Plan, title: str) -> Workstream:
    return Workstream.objects.get(objective__axis__plan=plan, title=title)


@pytest.fixture
def decisions(board_meeting: Meeting, directors: list[Mandate]) -> tuple[Decision, Decision]:
    """Two decisions of the March 2024 board: CA-2024-001 adopted, CA-2024-002 rejected."""
    for mandate in directors[:5]:
        meeting_actions.record_attendance(
            None,
            invitation=board_meeting.invitations.get(person=mandate.person),
            attendance="present",
        )
    result = []
    for title, yes, no in (("Stratégie", 4, 1), ("Autre stratégie", 1, 4)):
        dossier = dossier_actions.open_dossier(
            None, organisation=board_meeting.organisation, title=title
        )
        appearance = dossier_actions.put_on_agenda(
            None, dossier=dossier, meeting=board_meeting, stage="decide"
        )
        result.append(
            dossier_actions.record_decision(
                None,
                item=appearance.item,
                title=title,
                text="Approuvée",
                method="hands",
                yes=yes,
                no=no,
            )
        )
    return result[0], result[1]
