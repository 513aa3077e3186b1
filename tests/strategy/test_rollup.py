"""S1: workstream progress rolls up to objectives, axes and plan (weighted); late milestones and
overdue workstreams are flagged."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import assume, given
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from coopgov.core.models import Person, Unit
from coopgov.strategy import actions
from coopgov.strategy.models import Objective, Plan, Workstream
from coopgov.strategy.queries import PlanState, plan_state
from coopgov.strategy.rules import is_overdue, roll_up
from tests.strategy.conftest import workstream

D = datetime.date
EPSILON = 1e-9

weights = st.integers(min_value=1, max_value=100)
progresses = st.floats(min_value=0, max_value=100, allow_nan=False)
counted = st.lists(st.tuples(weights, progresses), min_size=1, max_size=12)
uncounted = st.lists(st.tuples(weights, st.none()), max_size=6)


def noon(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


# rules.roll_up: properties


@given(children=counted)
def test_roll_up_lies_between_the_smallest_and_the_largest_child(
    children: list[tuple[int, float]],
) -> None:
    result = roll_up(children)
    values = [progress for _weight, progress in children]
    assert result is not None
    assert min(values) - EPSILON <= result <= max(values) + EPSILON


@given(children=counted, factor=st.integers(min_value=2, max_value=50))
def test_scaling_every_weight_by_the_same_factor_leaves_the_roll_up_unchanged(
    children: list[tuple[int, float]], factor: int
) -> None:
    scaled = [(weight * factor, progress) for weight, progress in children]
    assert roll_up(scaled) == pytest.approx(roll_up(children), abs=EPSILON)


@given(values=st.lists(progresses, min_size=1, max_size=12), weight=weights)
def test_equal_weights_give_the_plain_mean(values: list[float], weight: int) -> None:
    assert roll_up([(weight, value) for value in values]) == pytest.approx(
        sum(values) / len(values), abs=EPSILON
    )


@given(children=counted, missing=uncounted, data=st.data())
def test_children_without_progress_are_ignored(
    children: list[tuple[int, float]], missing: list[tuple[int, None]], data: st.DataObject
) -> None:
    mixed: list[tuple[int, float | None]] = [*children, *missing]
    shuffled = data.draw(st.permutations(mixed))
    assert roll_up(shuffled) == pytest.approx(roll_up(children), abs=EPSILON)


@given(missing=uncounted)
def test_a_node_whose_children_have_no_progress_has_no_progress(
    missing: list[tuple[int, None]],
) -> None:
    assert roll_up(missing) is None


@given(
    children=st.lists(
        st.tuples(weights, st.integers(min_value=0, max_value=100)), min_size=2, max_size=8
    ),
    index=st.integers(min_value=0),
    extra=st.integers(min_value=1, max_value=100),
)
def test_a_heavier_child_pulls_the_roll_up_toward_its_own_progress(
    children: list[tuple[int, int]], index: int, extra: int
) -> None:
    index %= len(children)
    before = roll_up(children)
    weight, progress = children[index]
    assert before is not None
    assume(abs(before - progress) > 1e-6)
    heavier = [*children[:index], (weight + extra, progress), *children[index + 1 :]]
    after = roll_up(heavier)
    assert after is not None
    assert abs(after - progress) < abs(before - progress)
    # …without overshooting: it stays on the same side of the child's progress.
    assert (after - progress) * (before - progress) > 0


def test_a_weight_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        roll_up([(0, 50.0), (1, 20.0)])


def test_roll_up_on_examples() -> None:
    assert roll_up([(3, 100), (1, 0)]) == 75
    assert roll_up([(2, 60), (1, 30), (5, None)]) == 50
    assert roll_up([]) is None


# queries.plan_state on the fixture plan


def report(head: Person, unit: Unit, *entries: tuple[Workstream, int, str]) -> None:
    actions.write_progress_update(
        head,
        unit=unit,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 3, 31),
        title="Premier trimestre",
        text="Où nous en sommes.",
        reports=[actions.Report(ws, progress, status) for ws, progress, status in entries],
    )


def objective(plan: Plan, title: str) -> Objective:
    return Objective.objects.get(axis__plan=plan, title=title)


def test_progress_rolls_up_with_the_weights_of_workstreams_objectives_and_axes(
    plan: Plan, general: Unit, finance: Unit, head_general: Person, head_finance: Person
) -> None:
    statutes = workstream(plan, "Statuts révisés")
    fund = workstream(plan, "Fonds de garantie")
    advisers = workstream(plan, "Conseillers attitrés")
    rules = actions.add_workstream(
        None,
        objective=objective(plan, "Un cadre juridique solide"),
        title="Règlement d'ordre intérieur",
        owner_unit=general,
        starts_on=D(2022, 1, 1),
        ends_on=D(2025, 6, 30),
        weight=3,
    )
    # The structure of a plan in force is fixed by its actions; the weights are set here to
    # see each level's weight at work.
    Objective.objects.filter(pk=objective(plan, "Des finances saines").pk).update(weight=3)
    state = plan_state(plan, today=D(2024, 4, 1))
    assert state.progress == 0
    assert [a.progress for a in state.axes] == [0, 0]

    report(head_general, general, (statutes, 40, "on_track"), (advisers, 30, "at_risk"))
    report(head_finance, finance, (fund, 80, "on_track"))
    assert rules.pk  # at 0 %, weight 3

    state = plan_state(plan, today=D(2024, 4, 1))
    security, services = state.axes
    legal, money = security.objectives
    (support,) = services.objectives
    assert legal.progress == pytest.approx((1 * 40 + 3 * 0) / 4)  # 10
    assert money.progress == 80
    assert support.progress == 30
    assert security.progress == pytest.approx((1 * 10 + 3 * 80) / 4)  # 62.5
    assert services.progress == 30
    assert state.progress == pytest.approx((2 * 62.5 + 1 * 30) / 3)


def test_an_objective_without_workstreams_does_not_count_in_its_axis(
    plan: Plan, general: Unit, head_general: Person
) -> None:
    report(head_general, general, (workstream(plan, "Statuts révisés"), 40, "on_track"))
    Workstream.objects.filter(title="Fonds de garantie").delete()
    security = plan_state(plan, today=D(2024, 4, 1)).axes[0]
    assert [o.progress for o in security.objectives] == [40, None]
    assert security.progress == 40


def late_titles(state: PlanState) -> list[str]:
    return [m.title for m in state.late_milestones]


def test_a_milestone_due_yesterday_and_not_reached_is_flagged(plan: Plan) -> None:
    statutes = workstream(plan, "Statuts révisés")
    actions.add_milestone(
        None, workstream=statutes, title="Projet de statuts", due_on=D(2024, 2, 29)
    )
    with time_machine.travel(noon(D(2024, 3, 1))):
        state = plan_state(plan)
    assert state.today == D(2024, 3, 1)
    assert late_titles(state) == ["Projet de statuts"]
    flagged = [s for s in state.workstreams if s.flagged]
    assert [s.workstream for s in flagged] == [statutes]
    assert not flagged[0].overdue


def test_a_milestone_due_today_is_not_late(plan: Plan) -> None:
    statutes = workstream(plan, "Statuts révisés")
    actions.add_milestone(
        None, workstream=statutes, title="Projet de statuts", due_on=D(2024, 3, 1)
    )
    with time_machine.travel(noon(D(2024, 3, 1))):
        state = plan_state(plan)
    assert late_titles(state) == []
    assert not any(s.flagged for s in state.workstreams)


def test_a_milestone_reached_late_is_not_flagged(plan: Plan) -> None:
    statutes = workstream(plan, "Statuts révisés")
    milestone = actions.add_milestone(
        None, workstream=statutes, title="Projet de statuts", due_on=D(2024, 2, 1)
    )
    actions.reach_milestone(None, milestone=milestone, done_on=D(2024, 2, 20))
    with time_machine.travel(noon(D(2024, 3, 1))):
        state = plan_state(plan)
    assert late_titles(state) == []


def test_late_milestones_are_listed_by_due_date_across_the_plan(plan: Plan) -> None:
    fund = workstream(plan, "Fonds de garantie")
    statutes = workstream(plan, "Statuts révisés")
    actions.add_milestone(None, workstream=statutes, title="Second", due_on=D(2024, 2, 1))
    actions.add_milestone(None, workstream=fund, title="First", due_on=D(2023, 12, 1))
    actions.add_milestone(None, workstream=fund, title="Future", due_on=D(2024, 6, 1))
    assert late_titles(plan_state(plan, today=D(2024, 3, 1))) == ["First", "Second"]


def test_a_workstream_past_its_end_and_not_done_is_overdue(plan: Plan) -> None:
    fund = workstream(plan, "Fonds de garantie")  # ends on 31 December 2024
    on_the_day = plan_state(plan, today=D(2024, 12, 31))
    after = plan_state(plan, today=D(2025, 1, 1))
    assert [s.workstream for s in on_the_day.workstreams if s.overdue] == []
    assert [s.workstream for s in after.workstreams if s.overdue] == [fund]
    assert [s.workstream for s in after.workstreams if s.flagged] == [fund]


@pytest.mark.parametrize(("progress", "status"), [(100, "done"), (60, "paused")])
def test_a_done_or_paused_workstream_is_not_overdue(
    plan: Plan, finance: Unit, head_finance: Person, progress: int, status: str
) -> None:
    fund = workstream(plan, "Fonds de garantie")
    before = plan_state(plan, today=D(2025, 1, 1))
    assert [s.workstream for s in before.workstreams if s.overdue] == [fund]
    report(head_finance, finance, (fund, progress, status))
    state = plan_state(plan, today=D(2025, 1, 1))
    assert not any(s.overdue for s in state.workstreams)
    assert not is_overdue(D(2024, 12, 31), status, D(2025, 1, 1))


def test_status_counts_list_every_status_with_its_workstreams(
    plan: Plan, general: Unit, finance: Unit, head_general: Person, head_finance: Person
) -> None:
    report(
        head_general,
        general,
        (workstream(plan, "Statuts révisés"), 100, "done"),
        (workstream(plan, "Conseillers attitrés"), 20, "late"),
    )
    report(head_finance, finance, (workstream(plan, "Fonds de garantie"), 50, "late"))
    counts = plan_state(plan, today=D(2024, 4, 1)).status_counts
    assert counts == [
        ("on_track", "On track", 0),
        ("at_risk", "At risk", 0),
        ("late", "Late", 2),
        ("done", "Completed", 1),
        ("paused", "Paused", 0),
    ]


def test_plan_state_takes_the_same_queries_however_many_workstreams_and_milestones(
    plan: Plan,
    general: Unit,
    finance: Unit,
    head_general: Person,
    head_finance: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(4):
        small = plan_state(plan, today=D(2024, 4, 1))
        assert [s.flagged for s in small.workstreams] == [False, False, False]
    for index, objective_ in enumerate(Objective.objects.filter(axis__plan=plan)):
        for number in range(3):
            added = actions.add_workstream(
                None,
                objective=objective_,
                title=f"Chantier {index}-{number}",
                owner_unit=finance if number % 2 else general,
                sponsor=head_finance,
                starts_on=D(2022, 1, 1),
                ends_on=D(2024, 12, 31),
                weight=number + 1,
            )
            for month in (1, 2, 3):
                actions.add_milestone(
                    None, workstream=added, title=f"Étape {month}", due_on=D(2024, month, 1)
                )
    plan = Plan.objects.get(pk=plan.pk)
    with CaptureQueriesContext(connection) as large:
        state = plan_state(plan, today=D(2024, 4, 1))
        assert len(state.workstreams) == 12
        assert len(state.late_milestones) == 27
        assert {str(s.workstream.owner_unit) for s in state.workstreams} == {
            general.name,
            finance.name,
        }
        assert {s.workstream.sponsor for s in state.workstreams} == {
            head_general,
            head_finance,
            None,
        }
    assert len(large) == 4
