"""An activity's path: opened as a candidate, then integrated once a holder is an admitted member
and both sides accepted the commitments of a variant (O1), active, paused, and exited for a
stated reason, every step dated."""

from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coopgov.core import actions as core_actions
from coopgov.core.models import Event, Member, MemberCategory, Organisation, Person, Unit
from coopgov.offers import actions
from coopgov.offers.models import Activity, Enrolment, OfferVersion, PathStage, Stage
from coopgov.offers.rules import NEXT_STAGES, may_follow
from tests.conftest import make_member, make_person

D = datetime.date


def noon(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"offers.{action}").order_by("pk"))


def path_of(activity: Activity) -> list[tuple[str, D]]:
    return [(step.stage, step.on) for step in activity.path.all()]


def enrol_accepted(
    activity: Activity, version: OfferVersion, starts_on: D, holder: Member, adviser: Person
) -> Enrolment:
    enrolment = actions.enrol(None, activity=activity, version=version, starts_on=starts_on)
    actions.accept_commitments(holder.person, enrolment=enrolment, side="member")  # type: ignore[arg-type]
    actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    return enrolment


@pytest.fixture
def integrated(
    activity: Activity, individual: OfferVersion, holder: Member, adviser: Person
) -> Activity:
    """The activity in the individual variant from 1 March 2024, integrated that day."""
    enrol_accepted(activity, individual, D(2024, 3, 1), holder, adviser)
    actions.advance(adviser, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    activity.refresh_from_db()
    return activity


# Opening


def test_an_activity_is_opened_as_a_candidate_with_its_holders_and_advisers(
    activity: Activity, holder: Member, adviser: Person, office: Unit
) -> None:
    assert (activity.stage, activity.office, activity.started_on) == (
        Stage.CANDIDATE,
        office,
        D(2024, 2, 1),
    )
    assert list(activity.holders.all()) == [holder]
    assert list(activity.advisers.all()) == [adviser]
    assert path_of(activity) == [(Stage.CANDIDATE, D(2024, 2, 1))]
    (event,) = events("activity.opened")
    assert event.target_id == str(activity.pk)
    assert event.data == {"holders": [holder.number], "profile": "individual"}


def test_an_activity_is_held_by_at_least_one_member(org: Organisation, adviser: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.open_activity(
            adviser,
            organisation=org,
            name="Sans porteur",
            sector="Conseil",
            profile="individual",
            started_on=D(2024, 1, 1),
            holders=[],
        )
    assert error.value.message_dict == {"holders": ["An activity is held by at least one member."]}
    assert not Activity.objects.exists() and not events("activity.opened")


def test_an_activity_with_several_holders_keeps_each_of_them(
    org: Organisation, holder: Member, category_b: MemberCategory
) -> None:
    partner = make_member(org, category_b)
    shared = actions.open_activity(
        None,
        organisation=org,
        name="Collectif",
        sector="Conseil",
        profile="collective",
        started_on=D(2024, 1, 1),
        holders=[holder, partner],
    )
    assert set(shared.holders.all()) == {holder, partner}
    assert events("activity.opened")[-1].data["holders"] == [holder.number, partner.number]


def test_an_activity_starts_today_or_before(org: Organisation, holder: Member) -> None:
    fields = {
        "organisation": org,
        "name": "Boulangerie",
        "sector": "Alimentation",
        "profile": "individual",
        "holders": [holder],
    }
    with time_machine.travel(noon(D(2024, 3, 1))):
        with pytest.raises(ValidationError) as error:
            actions.open_activity(None, started_on=D(2024, 3, 2), **fields)  # type: ignore[arg-type]
        assert list(error.value.message_dict) == ["started_on"]
        assert not Activity.objects.exists()
        today = actions.open_activity(None, started_on=D(2024, 3, 1), **fields)  # type: ignore[arg-type]
    assert path_of(today) == [(Stage.CANDIDATE, D(2024, 3, 1))]


def test_holders_belong_to_the_activity_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    elsewhere = core_actions.add_member_category(None, organisation=other_org, code="A", name="A")
    foreign = make_member(other_org, elsewhere)
    with pytest.raises(ValidationError) as error:
        actions.open_activity(
            None,
            organisation=org,
            name="Ailleurs",
            sector="Conseil",
            profile="individual",
            started_on=D(2024, 1, 1),
            holders=[foreign],
        )
    assert list(error.value.message_dict) == ["holders"]


def test_an_adviser_starts_and_stops_following_an_activity(
    org: Organisation, activity: Activity, adviser: Person
) -> None:
    colleague = make_person(org, first_name="Karim", last_name="Benali")
    actions.follow(adviser, activity=activity, adviser=colleague)
    assert set(activity.advisers.all()) == {adviser, colleague}
    actions.follow(adviser, activity=activity, adviser=adviser, stop=True)
    assert list(activity.advisers.all()) == [colleague]
    assert [
        (e.action, e.data)
        for e in Event.objects.filter(action__startswith="offers.adviser").order_by("pk")
    ] == [
        ("offers.adviser.added", {"adviser": "Karim Benali"}),
        ("offers.adviser.removed", {"adviser": "Sofia Haddad"}),
    ]


# Transitions

ALLOWED = {
    ("candidate", "integrated"),
    ("candidate", "exited"),
    ("integrated", "active"),
    ("integrated", "paused"),
    ("integrated", "exited"),
    ("active", "paused"),
    ("active", "exited"),
    ("paused", "active"),
    ("paused", "exited"),
}


@pytest.mark.parametrize(
    ("current", "following"), list(itertools.product(Stage.values, Stage.values))
)
def test_the_path_allows_only_its_transitions(current: str, following: str) -> None:
    assert may_follow(current, following) is ((current, following) in ALLOWED)
    assert (following in NEXT_STAGES[current]) is ((current, following) in ALLOWED)


def test_an_unknown_stage_follows_nothing() -> None:
    assert not may_follow("retired", Stage.ACTIVE)
    assert not may_follow(Stage.CANDIDATE, "retired")


def test_a_candidate_does_not_become_active_without_integration(
    activity: Activity, adviser: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.advance(adviser, activity=activity, stage=Stage.ACTIVE, on=D(2024, 3, 1))
    assert error.value.message_dict == {"stage": ["Path: Candidate cannot become active."]}
    activity.refresh_from_db()
    assert activity.stage == Stage.CANDIDATE
    assert path_of(activity) == [(Stage.CANDIDATE, D(2024, 2, 1))]
    assert not events("activity.stage")


def test_an_activity_walks_its_path_and_each_step_is_dated_and_audited(
    integrated: Activity, adviser: Person
) -> None:
    actions.advance(adviser, activity=integrated, stage=Stage.ACTIVE, on=D(2024, 4, 1))
    actions.advance(
        adviser, activity=integrated, stage=Stage.PAUSED, on=D(2024, 7, 1), note=" Congé "
    )
    step = actions.advance(adviser, activity=integrated, stage=Stage.ACTIVE, on=D(2024, 9, 1))
    integrated.refresh_from_db()
    assert integrated.stage == Stage.ACTIVE
    assert path_of(integrated) == [
        (Stage.CANDIDATE, D(2024, 2, 1)),
        (Stage.INTEGRATED, D(2024, 3, 1)),
        (Stage.ACTIVE, D(2024, 4, 1)),
        (Stage.PAUSED, D(2024, 7, 1)),
        (Stage.ACTIVE, D(2024, 9, 1)),
    ]
    assert (step.recorded_by, PathStage.objects.get(stage=Stage.PAUSED).note) == (adviser, "Congé")
    assert [e.data for e in events("activity.stage")] == [
        {"stage": stage, "on": on, "exit_reason": ""}
        for stage, on in [
            ("integrated", "2024-03-01"),
            ("active", "2024-04-01"),
            ("paused", "2024-07-01"),
            ("active", "2024-09-01"),
        ]
    ]
    assert all(e.actor == adviser for e in events("activity.stage"))


def test_an_unknown_stage_is_refused(integrated: Activity) -> None:
    with pytest.raises(ValidationError, match="Path: Integrated cannot become retired"):
        actions.advance(None, activity=integrated, stage="retired", on=D(2024, 4, 1))


# Dates


def test_a_stage_comes_on_or_after_the_previous_one(integrated: Activity) -> None:
    with pytest.raises(ValidationError) as error:
        actions.advance(None, activity=integrated, stage=Stage.ACTIVE, on=D(2024, 2, 29))
    assert list(error.value.message_dict) == ["on"]
    assert error.value.message_dict["on"][0].startswith("Path: a stage comes on or after")
    integrated.refresh_from_db()
    assert integrated.stage == Stage.INTEGRATED
    same_day = actions.advance(None, activity=integrated, stage=Stage.ACTIVE, on=D(2024, 3, 1))
    assert same_day.on == D(2024, 3, 1)


def test_a_stage_is_not_dated_before_the_activity_started(activity: Activity) -> None:
    with pytest.raises(ValidationError) as error:
        actions.advance(
            None,
            activity=activity,
            stage=Stage.EXITED,
            on=D(2024, 1, 31),
            exit_reason="not_admitted",
        )
    assert list(error.value.message_dict) == ["on"]


def test_a_stage_is_recorded_on_the_day_it_happens_not_before(integrated: Activity) -> None:
    with time_machine.travel(noon(D(2024, 6, 1))):
        with pytest.raises(ValidationError) as error:
            actions.advance(None, activity=integrated, stage=Stage.ACTIVE, on=D(2024, 6, 2))
        assert error.value.message_dict == {
            "on": ["Path: record a stage on the day it happens, not before."]
        }
        step = actions.advance(None, activity=integrated, stage=Stage.ACTIVE, on=D(2024, 6, 1))
    assert step.on == D(2024, 6, 1)


# Integration: the membership criteria and O1


def test_integration_needs_a_holder_admitted_as_a_member(
    org: Organisation, category_a: MemberCategory, individual: OfferVersion, adviser: Person
) -> None:
    candidate = make_member(org, category_a, status=Member.Status.CANDIDATE, admission_date=None)
    activity = actions.open_activity(
        None,
        organisation=org,
        name="Menuiserie",
        sector="Artisanat",
        profile="individual",
        started_on=D(2024, 2, 1),
        holders=[candidate],
        advisers=[adviser],
    )
    enrol_accepted(activity, individual, D(2024, 3, 1), candidate, adviser)
    with pytest.raises(ValidationError, match="Membership: an activity is integrated once"):
        actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    activity.refresh_from_db()
    assert activity.stage == Stage.CANDIDATE
    core_actions.change_member_status(
        None, member=candidate, status=Member.Status.ADMITTED, on=D(2024, 3, 1)
    )
    actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    activity.refresh_from_db()
    assert activity.stage == Stage.INTEGRATED


def test_o1_integration_needs_an_enrolment_in_a_variant(activity: Activity) -> None:
    with pytest.raises(ValidationError, match="O1: an activity is integrated in an offer variant"):
        actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    activity.refresh_from_db()
    assert activity.stage == Stage.CANDIDATE and not events("activity.stage")


@pytest.mark.parametrize("sides", [(), ("member",), ("cooperative",)])
def test_o1_integration_needs_the_commitments_accepted_by_both_sides(
    activity: Activity,
    individual: OfferVersion,
    holder: Member,
    adviser: Person,
    sides: tuple[str, ...],
) -> None:
    enrolment = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 3, 1))
    for side in sides:
        person = holder.person if side == "member" else adviser
        actions.accept_commitments(person, enrolment=enrolment, side=side)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="O1: an activity is integrated in an offer variant"):
        actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    activity.refresh_from_db()
    assert activity.stage == Stage.CANDIDATE


def test_o1_integration_comes_on_or_after_the_enrolment_starts(
    activity: Activity, individual: OfferVersion, holder: Member, adviser: Person
) -> None:
    enrol_accepted(activity, individual, D(2024, 3, 1), holder, adviser)
    with pytest.raises(ValidationError, match="O1: an activity is integrated"):
        actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 2, 29))
    step = actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    assert step.stage == Stage.INTEGRATED


# Exit


def test_an_exit_gives_its_reason(integrated: Activity) -> None:
    with pytest.raises(ValidationError, match="Exit: give the reason of the exit"):
        actions.advance(None, activity=integrated, stage=Stage.EXITED, on=D(2024, 9, 30))
    integrated.refresh_from_db()
    assert integrated.stage == Stage.INTEGRATED
    assert integrated.enrolments.get().ends_on is None


def test_an_exit_ends_the_open_enrolment_that_day(integrated: Activity, adviser: Person) -> None:
    step = actions.advance(
        adviser,
        activity=integrated,
        stage=Stage.EXITED,
        on=D(2024, 9, 30),
        exit_reason=PathStage.ExitReason.OWN_COMPANY,
    )
    integrated.refresh_from_db()
    assert (integrated.stage, step.exit_reason) == (Stage.EXITED, "own_company")
    enrolment = integrated.enrolments.get()
    assert enrolment.ends_on == D(2024, 9, 30)
    assert enrolment.covers(D(2024, 9, 30)) and not enrolment.covers(D(2024, 10, 1))
    assert events("activity.stage")[-1].data == {
        "stage": "exited",
        "on": "2024-09-30",
        "exit_reason": "own_company",
    }


def test_a_candidate_not_admitted_exits_without_an_enrolment(activity: Activity) -> None:
    actions.advance(
        None, activity=activity, stage=Stage.EXITED, on=D(2024, 2, 1), exit_reason="not_admitted"
    )
    activity.refresh_from_db()
    assert activity.stage == Stage.EXITED and not activity.enrolments.exists()


@pytest.mark.parametrize("stage", Stage.values)
def test_exited_is_final(integrated: Activity, stage: str) -> None:
    actions.advance(
        None, activity=integrated, stage=Stage.EXITED, on=D(2024, 9, 30), exit_reason="ended"
    )
    with pytest.raises(ValidationError, match="Path: Exited cannot become"):
        actions.advance(
            None, activity=integrated, stage=stage, on=D(2024, 10, 1), exit_reason="other"
        )
    integrated.refresh_from_db()
    assert integrated.stage == Stage.EXITED
    assert integrated.path.count() == 3


def test_an_exit_does_not_come_before_the_open_enrolment_starts(
    activity: Activity, individual: OfferVersion
) -> None:
    enrolment = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 6, 1))
    with pytest.raises(ValidationError) as error:
        actions.advance(
            None, activity=activity, stage=Stage.EXITED, on=D(2024, 5, 31), exit_reason="other"
        )
    assert list(error.value.message_dict) == ["on"]
    assert error.value.message_dict["on"][0].startswith("Exit: the activity enters its variant")
    activity.refresh_from_db()
    enrolment.refresh_from_db()
    assert (activity.stage, enrolment.ends_on) == (Stage.CANDIDATE, None)
    actions.advance(
        None, activity=activity, stage=Stage.EXITED, on=D(2024, 6, 1), exit_reason="other"
    )
    enrolment.refresh_from_db()
    assert enrolment.ends_on == D(2024, 6, 1)
