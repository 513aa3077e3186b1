"""Plans in versions: drafting, workstreams and their milestones and indicators, approval by a
decision, revisions derived from a plan in force and what they change."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django import DjangoAssertNumQueries

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core import actions as core_actions
from coopgov.core.models import Event, Organisation, Person, Unit
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Decision, Dossier
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from coopgov.strategy import actions
from coopgov.strategy.models import (
    Axis,
    IndicatorValue,
    Milestone,
    Objective,
    Plan,
    Workstream,
)
from coopgov.strategy.queries import revision_changes
from tests.strategy.conftest import workstream

D = datetime.date


def noon(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"strategy.{action}").order_by("pk"))


def objective(plan: Plan, title: str) -> Objective:
    return Objective.objects.get(axis__plan=plan, title=title)


def axis(plan: Plan, title: str) -> Axis:
    return Axis.objects.get(plan=plan, title=title)


def decide(meeting: Meeting, directors: list[Mandate], *, yes: int, no: int) -> Decision:
    """A decision of the board, taken at a meeting with quorum on a decision item."""
    for mandate in directors[:5]:
        invitation = meeting.invitations.get(person=mandate.person)
        meeting_actions.record_attendance(None, invitation=invitation, attendance="present")
    item = meeting_actions.add_to_agenda(
        None, meeting=meeting, title="Stratégie 2021-2025", purpose="decision"
    )
    return dossier_actions.record_decision(
        None,
        item=item,
        title="Approve the strategy",
        text="The board approves the strategy.",
        method="hands",
        yes=yes,
        no=no,
    )


@pytest.fixture
def adopted(board_meeting: Meeting, directors: list[Mandate]) -> Decision:
    return decide(board_meeting, directors, yes=4, no=1)


@pytest.fixture
def revision(plan: Plan) -> Plan:
    return actions.derive_plan(
        None,
        source=plan,
        title="Stratégie 2025 resserrée",
        starts_year=2024,
        ends_year=2025,
        change_note="Narrowed to what can still be done by 2025.",
    )


@pytest.fixture
def team(org: Organisation) -> Unit:
    return core_actions.create_unit(
        None, organisation=org, code="vie-cooperative", name="Vie coopérative", kind="team"
    )


# Drafting


def test_a_plan_is_created_as_a_draft(org: Organisation, board: Body) -> None:
    plan = actions.create_plan(
        None,
        organisation=org,
        title="  Stratégie 2026-2030 ",
        starts_year=2026,
        ends_year=2030,
        body=board,
    )
    assert (plan.status, plan.title, plan.body) == (Plan.Status.DRAFT, "Stratégie 2026-2030", board)
    (event,) = events("plan.created")
    assert event.target_id == str(plan.pk) and event.data == {"title": "Stratégie 2026-2030"}


def test_a_plan_ends_on_or_after_its_first_year(org: Organisation, board: Body) -> None:
    with pytest.raises(ValidationError, match="Horizon: the horizon year comes after"):
        actions.create_plan(
            None, organisation=org, title="Backwards", starts_year=2026, ends_year=2025, body=board
        )
    assert not Plan.objects.exists()
    one_year = actions.create_plan(
        None, organisation=org, title="One year", starts_year=2026, ends_year=2026, body=board
    )
    assert one_year.pk


def test_a_plan_is_followed_by_a_body_of_its_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    elsewhere = body_actions.create_body(
        None, organisation=other_org, code="ca", name="Board elsewhere", kind=Body.Kind.BOARD
    )
    with pytest.raises(ValidationError) as error:
        actions.create_plan(
            None, organisation=org, title="Plan", starts_year=2026, ends_year=2030, body=elsewhere
        )
    assert "body" in error.value.message_dict


def test_axes_and_objectives_are_numbered_in_order_and_audited(draft: Plan) -> None:
    third = actions.add_axis(None, plan=draft, title=" Coopérer ", weight=4)
    assert (third.position, third.title, third.weight) == (3, "Coopérer", 4)
    first = actions.add_objective(None, axis=third, title="Des alliances")
    second = actions.add_objective(None, axis=third, title="Des achats groupés", weight=2)
    assert [first.position, second.position] == [1, 2]
    assert events("axis.added")[-1].data == {"title": "Coopérer", "weight": 4}
    assert events("objective.added")[-1].data == {"title": "Des achats groupés"}


@pytest.mark.parametrize("weight", [0, 101])
def test_an_axis_weighs_from_1_to_100(draft: Plan, weight: int) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_axis(None, plan=draft, title="Too light or too heavy", weight=weight)
    assert list(error.value.message_dict) == ["weight"]
    assert actions.add_axis(None, plan=draft, title="Heaviest", weight=100).weight == 100
    assert actions.add_axis(None, plan=draft, title="Lightest", weight=1).weight == 1


@pytest.mark.parametrize("weight", [0, 101])
def test_an_objective_weighs_from_1_to_100(draft: Plan, weight: int) -> None:
    security = axis(draft, "Sécuriser le cadre")
    with pytest.raises(ValidationError) as error:
        actions.add_objective(None, axis=security, title="Out of bounds", weight=weight)
    assert list(error.value.message_dict) == ["weight"]
    assert actions.add_objective(None, axis=security, title="Heaviest", weight=100).weight == 100


@pytest.mark.parametrize("weight", [0, 101])
def test_a_workstream_weighs_from_1_to_100(plan: Plan, general: Unit, weight: int) -> None:
    legal = objective(plan, "Un cadre juridique solide")
    fields = {
        "objective": legal,
        "owner_unit": general,
        "starts_on": D(2024, 1, 1),
        "ends_on": D(2024, 12, 31),
    }
    with pytest.raises(ValidationError) as error:
        actions.add_workstream(None, title="Out of bounds", weight=weight, **fields)  # type: ignore[arg-type]
    assert list(error.value.message_dict) == ["weight"]
    assert actions.add_workstream(None, title="Heaviest", weight=100, **fields).weight == 100  # type: ignore[arg-type]


def test_axes_and_objectives_are_removed_from_a_draft(draft: Plan) -> None:
    services = axis(draft, "Développer les services")
    actions.remove_objective(None, objective=objective(draft, "Un accompagnement dans la durée"))
    actions.remove_axis(None, axis=services)
    assert [a.title for a in draft.axes.all()] == ["Sécuriser le cadre"]
    assert events("objective.removed")[0].data == {"title": "Un accompagnement dans la durée"}
    assert events("axis.removed")[0].data == {"title": "Développer les services"}


def test_an_axis_or_objective_with_workstreams_is_not_removed(draft: Plan, general: Unit) -> None:
    support = objective(draft, "Un accompagnement dans la durée")
    actions.add_workstream(
        None,
        objective=support,
        title="Conseillers attitrés",
        owner_unit=general,
        starts_on=D(2022, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    with pytest.raises(ValidationError, match="This objective has workstreams"):
        actions.remove_objective(None, objective=support)
    with pytest.raises(ValidationError, match="This axis has workstreams"):
        actions.remove_axis(None, axis=support.axis)
    assert Objective.objects.filter(pk=support.pk).exists()
    assert not events("axis.removed") and not events("objective.removed")


def test_the_structure_of_a_plan_in_force_is_fixed(plan: Plan) -> None:
    security = axis(plan, "Sécuriser le cadre")
    legal = objective(plan, "Un cadre juridique solide")
    attempts = [
        lambda: actions.add_axis(None, plan=plan, title="New axis"),
        lambda: actions.add_objective(None, axis=security, title="New objective"),
        lambda: actions.remove_axis(None, axis=axis(plan, "Développer les services")),
        lambda: actions.remove_objective(None, objective=legal),
        lambda: actions.remove_workstream(None, workstream=workstream(plan, "Statuts révisés")),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="Versions: "):
            attempt()
    assert (Axis.objects.filter(plan=plan).count(), Objective.objects.count()) == (2, 3)
    assert Workstream.objects.count() == 3


def test_a_workstream_is_removed_from_a_draft(draft: Plan, general: Unit) -> None:
    added = actions.add_workstream(
        None,
        objective=objective(draft, "Des finances saines"),
        title="Fonds de garantie",
        owner_unit=general,
        starts_on=D(2022, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    actions.remove_workstream(None, workstream=added)
    assert not Workstream.objects.exists()
    assert events("workstream.removed")[0].data == {"title": "Fonds de garantie"}


# Workstreams


def test_a_workstream_is_added_to_a_plan_in_force_and_carried_by_a_direction(
    plan: Plan, finance: Unit, head_finance: Person
) -> None:
    added = actions.add_workstream(
        head_finance,
        objective=objective(plan, "Des finances saines"),
        title=" Épargne solidaire ",
        owner_unit=finance,
        sponsor=head_finance,
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 12, 31),
        weight=2,
    )
    assert (added.title, added.owner_unit, added.status, added.progress) == (
        "Épargne solidaire",
        finance,
        Workstream.Status.ON_TRACK,
        0,
    )
    event = events("workstream.added")[-1]
    assert event.actor == head_finance
    assert event.data == {"plan": str(plan.code), "direction": "finances"}


def test_a_workstream_is_carried_by_a_direction_not_a_team(plan: Plan, team: Unit) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_workstream(
            None,
            objective=objective(plan, "Des finances saines"),
            title="Épargne solidaire",
            owner_unit=team,
            starts_on=D(2024, 1, 1),
            ends_on=D(2025, 12, 31),
        )
    assert error.value.message_dict == {
        "owner_unit": ["Direction: a workstream is carried by a direction of the management."]
    }


def test_a_workstream_ends_after_it_starts(plan: Plan, finance: Unit) -> None:
    with pytest.raises(ValidationError, match="Dates: a workstream ends after it starts"):
        actions.add_workstream(
            None,
            objective=objective(plan, "Des finances saines"),
            title="Épargne solidaire",
            owner_unit=finance,
            starts_on=D(2024, 1, 2),
            ends_on=D(2024, 1, 1),
        )
    assert Workstream.objects.count() == 3


def test_a_superseded_plan_takes_no_new_workstream_milestone_or_indicator(
    plan: Plan, revision: Plan, finance: Unit
) -> None:
    actions.approve_plan(None, plan=revision, reference="AG 2024", approved_on=D(2024, 6, 15))
    plan.refresh_from_db()
    fund = workstream(plan, "Fonds de garantie")
    attempts = [
        lambda: actions.add_workstream(
            None,
            objective=objective(plan, "Des finances saines"),
            title="Épargne solidaire",
            owner_unit=finance,
            starts_on=D(2024, 1, 1),
            ends_on=D(2024, 12, 31),
        ),
        lambda: actions.add_milestone(None, workstream=fund, title="Late", due_on=D(2024, 9, 1)),
        lambda: actions.add_indicator(None, workstream=fund, name="Fonds", target=Decimal(10)),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="Versions: this plan was replaced"):
            attempt()


# Milestones and indicators


@pytest.mark.parametrize("due_on", [D(2021, 8, 31), D(2025, 7, 1)])
def test_a_milestone_falls_within_its_workstream_dates(plan: Plan, due_on: D) -> None:
    statutes = workstream(plan, "Statuts révisés")  # 1 September 2021 to 30 June 2025
    with pytest.raises(ValidationError) as error:
        actions.add_milestone(None, workstream=statutes, title="Outside", due_on=due_on)
    assert list(error.value.message_dict) == ["due_on"]
    assert not Milestone.objects.exists()


def test_milestones_on_the_workstream_first_and_last_days_are_accepted(plan: Plan) -> None:
    statutes = workstream(plan, "Statuts révisés")
    first = actions.add_milestone(None, workstream=statutes, title="Kick-off", due_on=D(2021, 9, 1))
    last = actions.add_milestone(None, workstream=statutes, title="Vote", due_on=D(2025, 6, 30))
    assert list(statutes.milestones.all()) == [first, last]
    assert events("milestone.added")[-1].data == {"title": "Vote", "due_on": "2025-06-30"}


def test_a_milestone_is_reached_today_by_default_and_the_event_says_if_late(plan: Plan) -> None:
    statutes = workstream(plan, "Statuts révisés")
    milestone = actions.add_milestone(
        None, workstream=statutes, title="Projet", due_on=D(2024, 2, 1)
    )
    on_time = actions.add_milestone(
        None, workstream=statutes, title="Consultation", due_on=D(2024, 3, 1)
    )
    with time_machine.travel(noon(D(2024, 3, 1))):
        actions.reach_milestone(None, milestone=milestone)
        actions.reach_milestone(None, milestone=on_time)
    milestone.refresh_from_db()
    assert milestone.done_on == D(2024, 3, 1)
    assert [(e.data["title"], e.data["late"]) for e in events("milestone.reached")] == [
        ("Projet", True),
        ("Consultation", False),
    ]


def test_a_milestone_is_not_reached_in_the_future(plan: Plan) -> None:
    milestone = actions.add_milestone(
        None, workstream=workstream(plan, "Statuts révisés"), title="Projet", due_on=D(2024, 6, 1)
    )
    with time_machine.travel(noon(D(2024, 3, 1))):
        with pytest.raises(ValidationError) as error:
            actions.reach_milestone(None, milestone=milestone, done_on=D(2024, 3, 2))
        assert list(error.value.message_dict) == ["done_on"]
        actions.reach_milestone(None, milestone=milestone, done_on=D(2024, 3, 1))
    milestone.refresh_from_db()
    assert milestone.done_on == D(2024, 3, 1)


def test_a_milestone_is_reached_once(plan: Plan) -> None:
    milestone = actions.add_milestone(
        None, workstream=workstream(plan, "Statuts révisés"), title="Projet", due_on=D(2024, 6, 1)
    )
    actions.reach_milestone(None, milestone=milestone, done_on=D(2024, 5, 1))
    with pytest.raises(ValidationError, match="already reached"):
        actions.reach_milestone(None, milestone=milestone, done_on=D(2024, 5, 20))
    milestone.refresh_from_db()
    assert milestone.done_on == D(2024, 5, 1)
    assert len(events("milestone.reached")) == 1


def test_an_indicator_is_followed_with_dated_values(plan: Plan, head_finance: Person) -> None:
    fund = workstream(plan, "Fonds de garantie")
    indicator = actions.add_indicator(
        head_finance,
        workstream=fund,
        name=" Fonds de garantie constitué ",
        unit="k€",
        baseline=Decimal(0),
        target=Decimal(500),
        target_on=D(2024, 12, 31),
    )
    with time_machine.travel(noon(D(2024, 3, 1))):
        actions.record_indicator_value(
            head_finance, indicator=indicator, measured_on=D(2024, 1, 31), value=Decimal(120)
        )
        actions.record_indicator_value(
            head_finance, indicator=indicator, measured_on=D(2024, 3, 1), value=Decimal("180.5")
        )
    assert indicator.name == "Fonds de garantie constitué"
    assert [(v.measured_on, v.value) for v in indicator.values.all()] == [
        (D(2024, 1, 31), Decimal(120)),
        (D(2024, 3, 1), Decimal("180.50")),
    ]
    assert events("indicator.added")[0].data == {"name": indicator.name, "target": "500"}
    assert events("indicator.measured")[-1].data == {
        "indicator": indicator.name,
        "measured_on": "2024-03-01",
        "value": "180.5",
    }


def test_an_indicator_takes_one_value_per_day(plan: Plan) -> None:
    indicator = actions.add_indicator(
        None, workstream=workstream(plan, "Fonds de garantie"), name="Fonds", target=Decimal(500)
    )
    actions.record_indicator_value(
        None, indicator=indicator, measured_on=D(2024, 1, 31), value=Decimal(120)
    )
    with pytest.raises(ValidationError, match="Dates: this indicator already has a value on"):
        actions.record_indicator_value(
            None, indicator=indicator, measured_on=D(2024, 1, 31), value=Decimal(130)
        )
    assert [v.value for v in indicator.values.all()] == [Decimal(120)]


def test_an_indicator_value_is_not_measured_in_the_future(plan: Plan) -> None:
    indicator = actions.add_indicator(
        None, workstream=workstream(plan, "Fonds de garantie"), name="Fonds", target=Decimal(500)
    )
    with time_machine.travel(noon(D(2024, 3, 1))), pytest.raises(ValidationError) as error:
        actions.record_indicator_value(
            None, indicator=indicator, measured_on=D(2024, 3, 2), value=Decimal(1)
        )
    assert list(error.value.message_dict) == ["measured_on"]
    assert not IndicatorValue.objects.exists()


# Links


def test_a_workstream_is_linked_to_dossiers_decisions_and_actions(
    org: Organisation, plan: Plan, adopted: Decision, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Révision des statuts")
    follow_up = dossier_actions.add_action(
        None, title="Draft the statutes", owner=head_general, due_on=D(2024, 9, 1), dossier=dossier
    )
    actions.link_workstream(None, workstream=statutes, dossier=dossier, decision=adopted)
    actions.link_workstream(None, workstream=statutes, action=follow_up)
    assert list(statutes.dossiers.all()) == [dossier]
    assert list(statutes.decisions.all()) == [adopted]
    assert list(statutes.actions.all()) == [follow_up]
    assert [e.data["linked"] for e in events("workstream.linked")] == [
        [str(dossier), str(adopted)],
        [str(follow_up)],
    ]


def test_a_workstream_is_not_linked_to_another_organisation(
    plan: Plan, other_org: Organisation
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    foreign = dossier_actions.open_dossier(None, organisation=other_org, title="Ailleurs")
    with pytest.raises(ValidationError) as error:
        actions.link_workstream(None, workstream=statutes, dossier=foreign)
    assert list(error.value.message_dict) == ["dossier"]
    with pytest.raises(ValidationError, match="Choose a dossier, a decision or an action"):
        actions.link_workstream(None, workstream=statutes)
    assert not statutes.dossiers.exists()
    assert not events("workstream.linked")


# Approval


def test_a_plan_is_approved_by_an_adopted_decision(draft: Plan, adopted: Decision) -> None:
    approved = actions.approve_plan(None, plan=draft, decision=adopted, reference="ignored")
    approved.refresh_from_db()
    assert (approved.status, approved.decision, approved.approved_on) == (
        Plan.Status.APPROVED,
        adopted,
        D(2024, 3, 12),
    )
    assert approved.approval_reference == ""
    assert events("plan.approved")[0].data == {
        "decision": adopted.number,
        "reference": "",
        "approved_on": "2024-03-12",
    }


def test_a_rejected_decision_approves_nothing(
    draft: Plan, board_meeting: Meeting, directors: list[Mandate]
) -> None:
    rejected = decide(board_meeting, directors, yes=1, no=4)
    assert rejected.adopted is False
    with pytest.raises(ValidationError) as error:
        actions.approve_plan(None, plan=draft, decision=rejected)
    assert error.value.message_dict == {
        "decision": ["Approval: this decision was not adopted; it approves nothing."]
    }
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    assert not events("plan.approved")


def test_an_approval_recorded_elsewhere_needs_its_reference_and_date(draft: Plan) -> None:
    for reference, day in (("AG du 15 juin 2021", None), ("  ", D(2021, 6, 15))):
        with pytest.raises(ValidationError) as error:
            actions.approve_plan(None, plan=draft, reference=reference, approved_on=day)
        assert list(error.value.message_dict) == ["decision"]
    actions.approve_plan(
        None, plan=draft, reference=" AG du 15 juin 2021 ", approved_on=D(2021, 6, 15)
    )
    draft.refresh_from_db()
    assert (draft.status, draft.approval_reference, draft.approved_on, draft.decision) == (
        Plan.Status.APPROVED,
        "AG du 15 juin 2021",
        D(2021, 6, 15),
        None,
    )


def test_a_plan_without_an_axis_is_not_approved(org: Organisation, board: Body) -> None:
    empty = actions.create_plan(
        None, organisation=org, title="Empty", starts_year=2026, ends_year=2030, body=board
    )
    with pytest.raises(ValidationError, match="at least one axis"):
        actions.approve_plan(None, plan=empty, reference="CA", approved_on=D(2026, 1, 10))
    empty.refresh_from_db()
    assert empty.status == Plan.Status.DRAFT


def test_a_plan_is_approved_once(plan: Plan) -> None:
    with pytest.raises(ValidationError, match="already approved"):
        actions.approve_plan(None, plan=plan, reference="Again", approved_on=D(2022, 1, 1))


def test_approving_a_revision_supersedes_the_plan_it_came_from(plan: Plan, revision: Plan) -> None:
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED  # until then
    actions.approve_plan(None, plan=revision, reference="AG 2024", approved_on=D(2024, 6, 15))
    assert list(Plan.objects.in_force()) == [revision]
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.SUPERSEDED


def test_a_second_revision_of_a_replaced_plan_is_not_approved(plan: Plan, revision: Plan) -> None:
    rival = actions.derive_plan(
        None, source=plan, title="Rival", starts_year=2024, ends_year=2026, change_note="Other."
    )
    actions.approve_plan(None, plan=revision, reference="AG 2024", approved_on=D(2024, 6, 15))
    rival = Plan.objects.get(pk=rival.pk)
    with pytest.raises(ValidationError, match="Versions: the plan this revision came from was"):
        actions.approve_plan(None, plan=rival, reference="CA", approved_on=D(2024, 7, 1))
    assert list(Plan.objects.in_force()) == [revision]


def test_a_decision_of_another_organisation_approves_nothing(
    draft: Plan, other_org: Organisation, adopted: Decision
) -> None:
    Decision.objects.filter(pk=adopted.pk).update(organisation=other_org)
    adopted.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.approve_plan(None, plan=draft, decision=adopted)
    assert list(error.value.message_dict) == ["decision"]
    assert Plan.objects.get(pk=draft.pk).status == Plan.Status.DRAFT


# Revisions


def test_a_revision_copies_the_tree_and_points_to_where_each_part_came_from(
    org: Organisation, plan: Plan, adopted: Decision, head_general: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    reached = actions.add_milestone(None, workstream=statutes, title="Projet", due_on=D(2023, 6, 1))
    actions.reach_milestone(None, milestone=reached, done_on=D(2023, 6, 10))
    actions.add_milestone(None, workstream=statutes, title="Vote", due_on=D(2025, 6, 1))
    indicator = actions.add_indicator(
        None, workstream=statutes, name="Articles revus", unit="%", target=Decimal(100)
    )
    actions.record_indicator_value(
        None, indicator=indicator, measured_on=D(2023, 12, 31), value=Decimal(40), note="mi-course"
    )
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Révision des statuts")
    follow_up = dossier_actions.add_action(
        None, title="Draft", owner=head_general, due_on=D(2024, 9, 1), dossier=dossier
    )
    actions.link_workstream(
        None, workstream=statutes, dossier=dossier, decision=adopted, action=follow_up
    )

    revision = actions.derive_plan(
        head_general,
        source=plan,
        title="Stratégie 2025 resserrée",
        starts_year=2024,
        ends_year=2025,
        change_note=" Narrowed. ",
    )

    assert (revision.status, revision.derived_from, revision.change_note) == (
        Plan.Status.DRAFT,
        plan,
        "Narrowed.",
    )
    assert (revision.body, revision.confidentiality) == (plan.body, plan.confidentiality)
    new_axes = list(revision.axes.all())
    assert [(a.title, a.weight, a.source) for a in new_axes] == [
        (a.title, a.weight, a) for a in plan.axes.all()
    ]
    new_objectives = list(Objective.objects.filter(axis__plan=revision).select_related("axis"))
    sources = {o.pk: o for o in Objective.objects.filter(axis__plan=plan)}
    assert sorted((o.title, sources[o.source_id].title) for o in new_objectives if o.source_id) == [
        (o.title, o.title) for o in sorted(sources.values(), key=lambda o: o.title)
    ]
    assert all(
        o.axis.source_id == sources[o.source_id].axis_id for o in new_objectives if o.source_id
    )
    copy = Workstream.objects.get(objective__axis__plan=revision, title="Statuts révisés")
    assert copy.source == statutes and copy.objective.source == statutes.objective
    assert (copy.owner_unit, copy.sponsor, copy.starts_on, copy.ends_on) == (
        statutes.owner_unit,
        statutes.sponsor,
        statutes.starts_on,
        statutes.ends_on,
    )
    assert [(m.title, m.due_on, m.done_on) for m in copy.milestones.all()] == [
        ("Projet", D(2023, 6, 1), D(2023, 6, 10)),
        ("Vote", D(2025, 6, 1), None),
    ]
    (copied_indicator,) = copy.indicators.all()
    assert copied_indicator.pk != indicator.pk
    assert (copied_indicator.name, copied_indicator.unit, copied_indicator.target) == (
        "Articles revus",
        "%",
        Decimal(100),
    )
    assert [(v.measured_on, v.value, v.note) for v in copied_indicator.values.all()] == [
        (D(2023, 12, 31), Decimal(40), "mi-course")
    ]
    assert (list(copy.dossiers.all()), list(copy.decisions.all()), list(copy.actions.all())) == (
        [dossier],
        [adopted],
        [follow_up],
    )
    assert Workstream.objects.filter(objective__axis__plan=revision).count() == 3
    # The plan in force keeps its own tree, and stays in force until the revision is approved.
    assert list(statutes.milestones.all()) != list(copy.milestones.all())
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.APPROVED
    (event,) = events("plan.derived")
    assert (event.actor, event.data) == (
        head_general,
        {"source": str(plan.code), "change_note": "Narrowed."},
    )


def test_a_revision_is_derived_from_the_plan_in_force(draft: Plan) -> None:
    with pytest.raises(ValidationError, match="Versions: derive a revision from the plan in force"):
        actions.derive_plan(
            None, source=draft, title="Too early", starts_year=2022, ends_year=2025, change_note="x"
        )
    assert Plan.objects.count() == 1
    actions.approve_plan(None, plan=draft, reference="AG 2021", approved_on=D(2021, 6, 15))
    first = actions.derive_plan(
        None, source=draft, title="First", starts_year=2024, ends_year=2025, change_note="x"
    )
    actions.approve_plan(None, plan=first, reference="AG 2024", approved_on=D(2024, 6, 15))
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="Versions: derive a revision from the plan in force"):
        actions.derive_plan(
            None,
            source=draft,
            title="From the past",
            starts_year=2024,
            ends_year=2025,
            change_note="x",
        )
    assert Plan.objects.count() == 2


def test_a_revision_says_what_it_changes(plan: Plan) -> None:
    with pytest.raises(ValidationError) as error:
        actions.derive_plan(
            None, source=plan, title="Revision", starts_year=2024, ends_year=2025, change_note=" "
        )
    assert list(error.value.message_dict) == ["change_note"]
    assert Plan.objects.count() == 1


def test_revision_changes_list_what_was_renamed_reweighted_moved_removed_and_added(
    plan: Plan,
    revision: Plan,
    finance: Unit,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    # A draft's axes and objectives are edited in place (through forms, outside the actions).
    Axis.objects.filter(plan=revision, title="Développer les services").update(
        title="Développer et fidéliser"
    )
    Axis.objects.filter(plan=revision, title="Sécuriser le cadre").update(weight=3)
    Workstream.objects.filter(objective__axis__plan=revision, title="Fonds de garantie").update(
        weight=5
    )
    money = objective(revision, "Des finances saines")
    Workstream.objects.filter(objective__axis__plan=revision, title="Statuts révisés").update(
        objective=money
    )
    actions.remove_workstream(None, workstream=workstream(revision, "Conseillers attitrés"))
    actions.remove_objective(None, objective=objective(revision, "Un accompagnement dans la durée"))
    actions.add_workstream(
        None,
        objective=money,
        title="Épargne solidaire",
        owner_unit=finance,
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 12, 31),
    )

    loaded = Plan.objects.select_related("derived_from").get(pk=revision.pk)
    with django_assert_num_queries(6):
        changes = revision_changes(loaded)

    assert [(c.level, c.kind, c.title, c.details) for c in changes] == [
        ("axis", "changed", "1. Sécuriser le cadre", ["weight: “2” → “3”"]),
        (
            "axis",
            "changed",
            "2. Développer et fidéliser",
            ["title: “Développer les services” → “Développer et fidéliser”"],
        ),
        ("objective", "kept", "Un cadre juridique solide", []),
        ("objective", "kept", "Des finances saines", []),
        ("objective", "removed", "Un accompagnement dans la durée", []),
        ("workstream", "changed", "Statuts révisés", ["moved under “Des finances saines”"]),
        ("workstream", "changed", "Fonds de garantie", ["weight: “3” → “5”"]),
        ("workstream", "removed", "Conseillers attitrés", []),
        ("workstream", "added", "Épargne solidaire", []),
    ]


def test_a_workstream_handed_to_another_direction_is_a_change(
    plan: Plan, revision: Plan, finance: Unit
) -> None:
    Workstream.objects.filter(objective__axis__plan=revision, title="Statuts révisés").update(
        owner_unit=finance
    )
    changes = {(c.level, c.title): (c.kind, c.details) for c in revision_changes(revision)}
    assert changes[("workstream", "Statuts révisés")] == (
        "changed",
        ["direction: “Direction générale” → “Direction financière”"],
    )
    assert changes[("workstream", "Fonds de garantie")] == ("kept", [])
    assert revision_changes(plan) == []


def test_a_dossier_given_to_a_plan_belongs_to_its_organisation(
    org: Organisation, other_org: Organisation, board: Body
) -> None:
    foreign: Dossier = dossier_actions.open_dossier(None, organisation=other_org, title="x")
    with pytest.raises(ValidationError) as error:
        actions.create_plan(
            None,
            organisation=org,
            title="Plan",
            starts_year=2026,
            ends_year=2030,
            body=board,
            dossier=foreign,
        )
    assert list(error.value.message_dict) == ["dossier"]
