"""The demo's strategy tells its story: the 2021 plan approved by the assembly, the directions'
news gathered at the January 2023 seminar, the narrowed strategy reviewed there and adopted by
the board in March, followed ever since; the 2030 draft open for the board's review."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from coopgov.core.demo import load_demo
from coopgov.core.models import Organisation, Person, Unit
from coopgov.meetings.models import Meeting
from coopgov.strategy.models import Plan, ProgressUpdate, Workstream
from coopgov.strategy.queries import eligible_respondents, plan_state, revision_changes
from tests.conftest import loaded_for_module

TODAY = datetime.date(2026, 11, 27)


NOON = datetime.datetime(2026, 11, 27, 12, tzinfo=ZoneInfo("Europe/Brussels"))
# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("demo_strategy")


@pytest.fixture(scope="module")
def demo_of_the_day(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    with (
        time_machine.travel(NOON, tick=False),
        loaded_for_module(django_db_blocker, load_demo) as demo,
    ):
        yield demo


@pytest.fixture
def demo(demo_of_the_day: Organisation, db: None) -> Iterator[Organisation]:
    """The demo as it stands on 27 November 2026."""
    with time_machine.travel(NOON, tick=False):
        yield demo_of_the_day


def test_the_2021_strategy_was_narrowed_at_the_seminar_and_the_board_adopted_it(
    demo: Organisation,
) -> None:
    first = Plan.objects.get(organisation=demo, title="Stratégie Mutualis 2021-2025")
    assert first.status == Plan.Status.SUPERSEDED
    assert first.axes.count() == 6
    assert first.approval_reference == "Assemblée générale ordinaire du 15 juin 2021"
    assert first.approved_on == datetime.date(2021, 6, 15) and first.decision is None
    assert first.body.code == "ca"
    workstreams = Workstream.objects.filter(objective__axis__plan=first)
    assert 14 <= workstreams.count() <= 17
    assert set(workstreams.values_list("owner_unit__kind", flat=True)) == {"direction"}

    # The narrowed strategy, reviewed at the seminar and adopted by the board in March 2023.
    narrowed = Plan.objects.in_force().of(demo).get()
    assert narrowed.title == "Stratégie Mutualis 2025 resserrée"
    assert narrowed.derived_from == first and narrowed.change_note
    assert narrowed.axes.count() == 3
    decision = narrowed.decision
    assert decision is not None and decision.adopted
    assert decision.title == "Adoption de la stratégie 2025 resserrée"
    assert decision.body.code == "ca"
    assert (decision.decided_on.year, decision.decided_on.month) == (2023, 3)
    assert narrowed.approved_on == decision.decided_on
    kinds = {change.kind for change in revision_changes(narrowed)}
    assert {"removed", "added", "kept"} <= kinds

    dossier = narrowed.dossier
    assert dossier is not None and dossier.title == "Stratégie 2025 resserrée"
    review = narrowed.reviews.get()
    seminar = review.meeting
    assert seminar is not None and seminar.kind.category == "seminar"
    assert seminar.starts_at.date() == datetime.date(2023, 1, 24)
    assert review.concluded_at is not None and review.concluded_at <= seminar.ends_at
    orientation = review.orientation
    assert orientation is not None and orientation.kind == "orientation"
    assert orientation.meeting == seminar
    assert orientation.item is not None and orientation.item.appearance.dossier == dossier
    respondents = set(review.responses.values_list("respondent_id", flat=True))
    assert len(respondents) > 1 and respondents <= eligible_respondents(review)
    assert review.responses.exclude(comment="").exists()


def test_the_directions_report_every_semester_and_the_seminar_gathered_their_news(
    demo: Organisation,
) -> None:
    seminar = Meeting.objects.get(organisation=demo, kind__category="seminar")
    session = seminar.sessions.get(kind="news_round")
    directions = set(
        Unit.objects.filter(organisation=demo, kind=Unit.Kind.DIRECTION).values_list(
            "pk", flat=True
        )
    )
    items = session.items.filter(progress_updates__isnull=False).distinct()
    assert items.count() == len(directions) == 6
    gathered = ProgressUpdate.objects.filter(items__session=session)
    assert set(gathered.values_list("unit_id", flat=True)) == directions
    for update in gathered:
        assert update.written_at < seminar.starts_at
        assert update.period_end == datetime.date(2022, 12, 31)
    for item in items:
        document = item.documents.get()
        version = document.versions.get()
        assert version.content_type == "text/markdown"
        assert version.file.read().decode().startswith("# ")

    # The directions reported every semester, on the 2021 plan and then on the narrowed one.
    updates = ProgressUpdate.objects.filter(organisation=demo)
    assert updates.count() == 6 * 10
    assert not updates.filter(written_at__year=2026, written_at__month=11).exists()
    narrowed = Plan.objects.in_force().of(demo).get()
    statuses = set(
        Workstream.objects.filter(objective__axis__plan=narrowed).values_list("status", flat=True)
    )
    assert {"done", "late", "paused"} <= statuses
    linked = Workstream.objects.filter(objective__axis__plan=narrowed)
    assert linked.filter(dossiers__title="Refonte de l'offre de services").exists()
    assert linked.filter(decisions__title="Budget 2023").exists()


def test_today_the_strategy_in_force_is_followed_and_the_2030_draft_is_under_review(
    demo: Organisation,
) -> None:
    narrowed = Plan.objects.in_force().of(demo).get()
    state = plan_state(narrowed)
    assert state.today == TODAY
    assert state.progress is not None and 0 < state.progress < 100
    assert state.late_milestones
    assert any(workstream.flagged for workstream in state.workstreams)

    # The 2030 draft is open for the board's review; the chair has yet to answer.
    draft = Plan.objects.get(organisation=demo, title="Stratégie horizon 2030")
    assert draft.status == Plan.Status.DRAFT and draft.derived_from is None
    assert draft.confidentiality == "bodies" and draft.body.code == "ca"
    assert draft.axes.count() == 4
    review = draft.reviews.get()
    assert review.meeting is None and review.is_open()
    assert review.responses.exists()
    marc = Person.objects.get(organisation=demo, first_name="Marc", last_name="Delvaux")
    assert marc.pk in eligible_respondents(review)
    assert not review.responses.filter(respondent=marc).exists()
