"""Accompaniment over time: support meetings, milestones, the competence grid and its progress,
the members' needs aggregated per service and fed to the offer's dossier, and the timeline."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django import DjangoAssertNumQueries

from coopgov.core.models import Event, Member, Organisation, Person
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Appearance, Dossier
from coopgov.meetings.models import AgendaItem, Meeting, Outcome
from coopgov.offers import actions, queries
from coopgov.offers.models import (
    GRID_SCALE,
    Activity,
    ActivityMilestone,
    Competence,
    Evaluation,
    Need,
    OfferVersion,
    Service,
    Stage,
    SupportMeeting,
)
from tests.conftest import make_member, make_person
from tests.meetings.conftest import (
    assembly,
    board,
    board_meeting,
    board_meeting_kind,
    directors,
    observer,
)

# Fixtures shared with the meetings tests.
__all__ = ["assembly", "board", "board_meeting", "board_meeting_kind", "directors", "observer"]

D = datetime.date


def noon(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"offers.{action}").order_by("pk"))


@pytest.fixture
def lea(holder: Member) -> Person:
    assert holder.person is not None
    return holder.person


@pytest.fixture
def grid(org: Organisation) -> list[Competence]:
    return [
        actions.add_competence(None, organisation=org, name=name, position=position)
        for position, name in enumerate(("Gestion", "Vente"))
    ]


# Support meetings


def test_a_support_meeting_held_is_recorded_with_attendance_and_what_was_agreed(
    activity: Activity, lea: Person, adviser: Person
) -> None:
    with time_machine.travel(noon(D(2024, 4, 10))):
        meeting = actions.record_support_meeting(
            adviser,
            activity=activity,
            held_on=D(2024, 4, 10),
            advisers=[adviser],
            attendance={lea: "attended", adviser: "attended"},
            objectives=" Trésorerie ",
            agreed_actions=" Relancer deux clients ",
            next_steps=" Plan de trésorerie ",
            next_meeting_on=D(2024, 7, 10),
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.objectives, meeting.agreed_actions, meeting.next_steps) == (
        SupportMeeting.Status.HELD,
        "Trésorerie",
        "Relancer deux clients",
        "Plan de trésorerie",
    )
    assert meeting.next_meeting_on == D(2024, 7, 10)
    assert list(meeting.advisers.all()) == [adviser]
    assert [(p.person, p.attendance) for p in meeting.participations.all()] == [
        (lea, "attended"),
        (adviser, "attended"),
    ]
    (event,) = events("support.held")
    assert (event.actor, event.target_id) == (adviser, str(activity.pk))
    assert event.data == {"held_on": "2024-04-10", "advisers": ["Sofia Haddad"]}


def test_a_support_meeting_has_at_least_one_adviser(activity: Activity, lea: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_support_meeting(
            None,
            activity=activity,
            held_on=D(2024, 4, 10),
            advisers=[],
            attendance={lea: "attended"},
        )
    assert error.value.message_dict == {"advisers": ["A support meeting has at least one adviser."]}
    assert not SupportMeeting.objects.exists() and not events("support.held")


def test_a_support_meeting_held_is_dated_today_or_before(
    activity: Activity, adviser: Person
) -> None:
    with time_machine.travel(noon(D(2024, 4, 10))):
        with pytest.raises(ValidationError) as error:
            actions.record_support_meeting(
                None, activity=activity, held_on=D(2024, 4, 11), advisers=[adviser]
            )
        assert error.value.message_dict == {
            "held_on": ["Dates: a meeting held is dated today or before."]
        }
        actions.record_support_meeting(
            None, activity=activity, held_on=D(2024, 4, 10), advisers=[adviser]
        )
    assert activity.support_meetings.count() == 1


def test_a_planned_support_meeting_is_dated_today_or_after(
    activity: Activity, adviser: Person
) -> None:
    planned = SupportMeeting.Status.PLANNED
    with time_machine.travel(noon(D(2024, 4, 10))):
        with pytest.raises(ValidationError) as error:
            actions.record_support_meeting(
                None, activity=activity, held_on=D(2024, 4, 9), advisers=[adviser], status=planned
            )
        assert error.value.message_dict == {
            "held_on": ["Dates: a planned meeting is dated today or after."]
        }
        for day in (D(2024, 4, 10), D(2024, 5, 2)):
            actions.record_support_meeting(
                adviser, activity=activity, held_on=day, advisers=[adviser], status=planned
            )
    assert [m.held_on for m in activity.support_meetings.all()] == [D(2024, 4, 10), D(2024, 5, 2)]
    assert [e.data["held_on"] for e in events("support.planned")] == ["2024-04-10", "2024-05-02"]


def test_a_cancelled_support_meeting_keeps_its_date(activity: Activity, adviser: Person) -> None:
    meeting = actions.record_support_meeting(
        None,
        activity=activity,
        held_on=D(2024, 4, 10),
        advisers=[adviser],
        status=SupportMeeting.Status.CANCELLED,
    )
    assert meeting.status == "cancelled"
    assert events("support.cancelled")[0].data["held_on"] == "2024-04-10"


def test_the_next_support_meeting_comes_after_this_one(activity: Activity, adviser: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_support_meeting(
            None,
            activity=activity,
            held_on=D(2024, 4, 10),
            advisers=[adviser],
            next_meeting_on=D(2024, 4, 10),
        )
    assert error.value.message_dict == {
        "next_meeting_on": ["Dates: the next meeting comes after this one."]
    }
    meeting = actions.record_support_meeting(
        None,
        activity=activity,
        held_on=D(2024, 4, 10),
        advisers=[adviser],
        next_meeting_on=D(2024, 4, 11),
    )
    assert meeting.next_meeting_on == D(2024, 4, 11)


@pytest.mark.parametrize("attendance", ["present", "", "ATTENDED"])
def test_each_participant_has_an_attendance_of_the_list(
    activity: Activity, lea: Person, adviser: Person, attendance: str
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_support_meeting(
            None,
            activity=activity,
            held_on=D(2024, 4, 10),
            advisers=[adviser],
            attendance={lea: "attended", adviser: attendance},
        )
    assert list(error.value.message_dict) == ["attendance"]
    assert not SupportMeeting.objects.exists()


@pytest.mark.parametrize("attendance", ["registered", "attended", "absent", "excused"])
def test_every_attendance_of_the_list_is_accepted(
    activity: Activity, lea: Person, adviser: Person, attendance: str
) -> None:
    meeting = actions.record_support_meeting(
        None,
        activity=activity,
        held_on=D(2024, 4, 10),
        advisers=[adviser],
        attendance={lea: attendance},
    )
    assert meeting.participations.get().attendance == attendance


def test_support_meeting_advisers_belong_to_the_organisation(
    activity: Activity, other_org: Organisation
) -> None:
    stranger = make_person(other_org)
    with pytest.raises(ValidationError) as error:
        actions.record_support_meeting(
            None, activity=activity, held_on=D(2024, 4, 10), advisers=[stranger]
        )
    assert list(error.value.message_dict) == ["advisers"]


# Milestones


def test_a_milestone_comes_on_or_after_the_activity_starts(
    activity: Activity, adviser: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_activity_milestone(
            adviser, activity=activity, title="Trop tôt", due_on=D(2024, 1, 31)
        )
    assert error.value.message_dict == {
        "due_on": ["Dates: a milestone comes after the activity starts."]
    }
    assert not ActivityMilestone.objects.exists()
    first_day = actions.add_activity_milestone(
        adviser, activity=activity, title=" Premier client ", due_on=D(2024, 2, 1)
    )
    assert (first_day.title, first_day.done_on) == ("Premier client", None)
    (event,) = events("milestone.added")
    assert (event.actor, event.data) == (adviser, {"title": "Premier client"})


def test_a_milestone_is_reached_today_by_default_and_once(activity: Activity) -> None:
    milestone = actions.add_activity_milestone(
        None, activity=activity, title="Site web", due_on=D(2024, 6, 1)
    )
    with time_machine.travel(noon(D(2024, 5, 20))):
        actions.reach_activity_milestone(None, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.done_on == D(2024, 5, 20)
    with pytest.raises(ValidationError, match="This milestone is already reached"):
        actions.reach_activity_milestone(None, milestone=milestone, done_on=D(2024, 6, 1))
    milestone.refresh_from_db()
    assert milestone.done_on == D(2024, 5, 20)
    assert [e.data for e in events("milestone.reached")] == [{"title": "Site web"}]


def test_a_milestone_is_not_reached_in_the_future(activity: Activity) -> None:
    milestone = actions.add_activity_milestone(
        None, activity=activity, title="Site web", due_on=D(2024, 6, 1)
    )
    with time_machine.travel(noon(D(2024, 5, 20))):
        with pytest.raises(ValidationError) as error:
            actions.reach_activity_milestone(None, milestone=milestone, done_on=D(2024, 5, 21))
        assert list(error.value.message_dict) == ["done_on"]
        actions.reach_activity_milestone(None, milestone=milestone, done_on=D(2024, 5, 20))
    milestone.refresh_from_db()
    assert milestone.done_on == D(2024, 5, 20)


# The competence grid


def test_a_competence_is_added_to_the_grid_and_audited(org: Organisation) -> None:
    competence = actions.add_competence(None, organisation=org, name=" Négocier ", position=3)
    assert (competence.name, competence.position) == ("Négocier", 3)
    (event,) = events("competence.added")
    assert (event.target_id, event.data) == (str(competence.pk), {"name": "Négocier"})


def test_the_grid_is_evaluated_on_a_day_with_every_competence_scored(
    activity: Activity, adviser: Person, grid: list[Competence]
) -> None:
    gestion, vente = grid
    evaluation = actions.evaluate(
        adviser,
        activity=activity,
        evaluated_on=D(2024, 4, 1),
        scores={gestion: 2, vente: 3},
        comment=" Bon départ ",
    )
    assert (evaluation.evaluator, evaluation.comment) == (adviser, "Bon départ")
    assert {s.competence: s.score for s in evaluation.scores.all()} == {gestion: 2, vente: 3}
    (event,) = events("grid.evaluated")
    assert (event.actor, event.data) == (adviser, {"evaluated_on": "2024-04-01"})


def test_every_competence_of_the_grid_is_scored(
    activity: Activity, adviser: Person, grid: list[Competence]
) -> None:
    gestion, vente = grid
    with pytest.raises(ValidationError) as error:
        actions.evaluate(
            adviser, activity=activity, evaluated_on=D(2024, 4, 1), scores={gestion: 2}
        )
    assert error.value.message_dict == {f"c{vente.pk}": ["“Vente”: a score from 1 to 4."]}
    assert not Evaluation.objects.exists() and not events("grid.evaluated")


@pytest.mark.parametrize("score", [0, GRID_SCALE + 1, -1])
def test_a_score_lies_on_the_scale(
    activity: Activity, adviser: Person, grid: list[Competence], score: int
) -> None:
    gestion, vente = grid
    with pytest.raises(ValidationError) as error:
        actions.evaluate(
            adviser,
            activity=activity,
            evaluated_on=D(2024, 4, 1),
            scores={gestion: score, vente: 2},
        )
    assert list(error.value.message_dict) == [f"c{gestion.pk}"]


def test_the_ends_of_the_scale_are_scores(
    activity: Activity, adviser: Person, grid: list[Competence]
) -> None:
    gestion, vente = grid
    evaluation = actions.evaluate(
        adviser,
        activity=activity,
        evaluated_on=D(2024, 4, 1),
        scores={gestion: 1, vente: GRID_SCALE},
    )
    assert sorted(s.score for s in evaluation.scores.all()) == [1, GRID_SCALE]


def test_the_grid_is_evaluated_once_a_day(
    activity: Activity, adviser: Person, grid: list[Competence]
) -> None:
    scores = dict.fromkeys(grid, 2)
    actions.evaluate(adviser, activity=activity, evaluated_on=D(2024, 4, 1), scores=scores)
    with pytest.raises(ValidationError) as error:
        actions.evaluate(adviser, activity=activity, evaluated_on=D(2024, 4, 1), scores=scores)
    assert error.value.message_dict == {
        "evaluated_on": ["Dates: the grid was already evaluated that day."]
    }
    actions.evaluate(adviser, activity=activity, evaluated_on=D(2024, 4, 2), scores=scores)
    assert activity.evaluations.count() == 2


def test_an_empty_grid_is_not_evaluated(activity: Activity, adviser: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.evaluate(adviser, activity=activity, evaluated_on=D(2024, 4, 1), scores={})
    assert error.value.message_dict == {
        "scores": ["The competence grid is empty: add its competences first."]
    }


def test_the_grid_is_not_evaluated_ahead_of_the_day(
    activity: Activity, adviser: Person, grid: list[Competence]
) -> None:
    with time_machine.travel(noon(D(2024, 4, 1))), pytest.raises(ValidationError) as error:
        actions.evaluate(
            adviser,
            activity=activity,
            evaluated_on=D(2024, 4, 2),
            scores=dict.fromkeys(grid, 2),
        )
    assert list(error.value.message_dict) == ["evaluated_on"]


def test_a_competence_of_another_organisation_is_not_scored(
    activity: Activity, adviser: Person, grid: list[Competence], other_org: Organisation
) -> None:
    foreign = actions.add_competence(None, organisation=other_org, name="Ailleurs")
    with pytest.raises(ValidationError) as error:
        actions.evaluate(
            adviser,
            activity=activity,
            evaluated_on=D(2024, 4, 1),
            scores={**dict.fromkeys(grid, 2), foreign: 3},
        )
    assert list(error.value.message_dict) == ["scores"]


def test_the_grid_progress_shows_each_competence_and_the_average_per_date(
    org: Organisation,
    activity: Activity,
    adviser: Person,
    grid: list[Competence],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    assert queries.grid_progress(activity) is None
    gestion, vente = grid
    actions.evaluate(
        adviser, activity=activity, evaluated_on=D(2024, 4, 1), scores={gestion: 2, vente: 3}
    )
    numerique = actions.add_competence(None, organisation=org, name="Numérique", position=2)
    actions.evaluate(
        adviser,
        activity=activity,
        evaluated_on=D(2024, 10, 1),
        scores={gestion: 3, vente: 4, numerique: 1},
    )
    with django_assert_num_queries(2):
        series = queries.grid_progress(activity)
    assert series is not None
    assert series.competences == ["Gestion", "Vente", "Numérique"]
    assert series.dates == [D(2024, 4, 1), D(2024, 10, 1)]
    assert series.scores == [[2, 3], [3, 4], [None, 1]]
    assert series.averages == pytest.approx([2.5, 8 / 3])


# Needs


def test_a_need_stated_again_for_the_same_service_replaces_the_earlier_one(
    activity: Activity, lea: Person, adviser: Person, services: list[Service]
) -> None:
    with time_machine.travel(noon(D(2024, 4, 1))):
        actions.state_need(
            lea, activity=activity, service=services[0], level="essential", comment=" Vital "
        )
    with time_machine.travel(noon(D(2024, 9, 1))):
        need = actions.state_need(adviser, activity=activity, service=services[0], level="useful")
    assert Need.objects.count() == 1
    need.refresh_from_db()
    assert (need.level, need.comment, need.stated_by, need.stated_on) == (
        "useful",
        "",
        adviser,
        D(2024, 9, 1),
    )
    assert [(e.actor, e.data) for e in events("need.stated")] == [
        (lea, {"service": "facturation", "level": "essential"}),
        (adviser, {"service": "facturation", "level": "useful"}),
    ]


def test_a_need_is_said_with_a_level_of_the_list(
    activity: Activity, lea: Person, services: list[Service]
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.state_need(lea, activity=activity, service=services[0], level="vital")
    assert list(error.value.message_dict) == ["level"]
    assert not Need.objects.exists()


def test_a_need_is_for_a_service_of_the_organisation(
    activity: Activity, lea: Person, other_org: Organisation
) -> None:
    foreign = actions.add_service(None, organisation=other_org, code="x", name="X")
    with pytest.raises(ValidationError) as error:
        actions.state_need(lea, activity=activity, service=foreign, level="useful")
    assert list(error.value.message_dict) == ["service"]


@pytest.fixture
def needs(
    org: Organisation, activity: Activity, lea: Person, services: list[Service]
) -> list[Activity]:
    """Three activities' needs: billing essential to two and useful to one, legal advice
    useful to one, training not needed by one; nobody says anything of a fourth service."""
    billing, legal, training = services
    actions.add_service(None, organisation=org, code="locaux", name="Locaux", position=9)
    second = actions.open_activity(
        None,
        organisation=org,
        name="Traduction",
        sector="Langues",
        profile="individual",
        started_on=D(2024, 1, 1),
        holders=[make_member(org, activity.holders.get().category)],
    )
    third = actions.open_activity(
        None,
        organisation=org,
        name="Vélos",
        sector="Mobilité",
        profile="individual",
        started_on=D(2024, 1, 1),
        holders=[make_member(org, activity.holders.get().category)],
    )
    actions.state_need(lea, activity=activity, service=billing, level="essential", comment="Vital")
    actions.state_need(lea, activity=activity, service=legal, level="useful")
    actions.state_need(lea, activity=second, service=billing, level="essential")
    actions.state_need(
        lea, activity=second, service=training, level="not_needed", comment="Déjà formé"
    )
    actions.state_need(lea, activity=third, service=billing, level="useful", comment="   ")
    return [activity, second, third]


def test_the_needs_summary_counts_each_level_per_service_with_the_comments(
    org: Organisation,
    needs: list[Activity],
    services: list[Service],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(3):
        summaries = queries.needs_summary(org)
        rows = [(s.service.code, s.counts, s.comments, s.total) for s in summaries]
    assert rows == [
        ("facturation", {"essential": 2, "useful": 1, "not_needed": 0}, ["Vital"], 3),
        ("conseil-juridique", {"essential": 0, "useful": 1, "not_needed": 0}, [], 1),
        ("formation", {"essential": 0, "useful": 0, "not_needed": 1}, ["Déjà formé"], 1),
        ("locaux", {"essential": 0, "useful": 0, "not_needed": 0}, [], 0),
    ]


def test_the_needs_summary_is_limited_to_the_activities_given(
    org: Organisation, needs: list[Activity]
) -> None:
    first, second, _third = needs
    summaries = queries.needs_summary(org, Activity.objects.filter(pk__in=[first.pk, second.pk]))
    assert [(s.service.code, s.counts["essential"], s.counts["useful"]) for s in summaries] == [
        ("facturation", 2, 0),
        ("conseil-juridique", 0, 1),
        ("formation", 0, 0),
        ("locaux", 0, 0),
    ]


def test_the_summary_text_lists_the_services_with_needs(
    org: Organisation, needs: list[Activity]
) -> None:
    assert queries.summary_text(queries.needs_summary(org)) == "\n".join(
        [
            "Members' needs, per service (essential / useful / not needed):",
            "- Facturation et conversion en salaire: 2 / 1 / 0",
            "- Conseil juridique et fiscal: 0 / 1 / 0",
            "- Formation: 0 / 0 / 1",
        ]
    )


# Feeding the offer's dossier


@pytest.fixture
def dossier(org: Organisation) -> Dossier:
    return dossier_actions.open_dossier(None, organisation=org, title="Offre de services 2025")


def test_the_needs_feed_the_dossier_on_the_meeting_agenda_for_information(
    org: Organisation,
    needs: list[Activity],
    dossier: Dossier,
    board_meeting: Meeting,
    secretariat: Person,
) -> None:
    summary = queries.summary_text(queries.needs_summary(org))
    outcome = actions.feed_needs(
        secretariat, dossier=dossier, meeting=board_meeting, summary=summary
    )
    assert (outcome.kind, outcome.text, outcome.meeting) == (
        Outcome.Kind.CONTRIBUTION,
        summary,
        board_meeting,
    )
    appearance = Appearance.objects.get(dossier=dossier)
    assert appearance.item == outcome.item
    assert appearance.stage == "inform"
    assert outcome.item is not None
    assert (outcome.item.purpose, outcome.item.title) == (
        AgendaItem.Purpose.INFORMATION,
        "Members' needs — Offre de services 2025",
    )
    (event,) = events("needs.fed")
    assert (event.actor, event.target_id, event.data) == (
        secretariat,
        str(dossier.pk),
        {"meeting": str(board_meeting.code)},
    )


def test_the_needs_feed_the_item_where_the_dossier_already_is(
    dossier: Dossier, board_meeting: Meeting
) -> None:
    appearance = dossier_actions.put_on_agenda(
        None, dossier=dossier, meeting=board_meeting, stage="discuss"
    )
    first = actions.feed_needs(None, dossier=dossier, meeting=board_meeting, summary="Besoins A")
    second = actions.feed_needs(None, dossier=dossier, meeting=board_meeting, summary="Besoins B")
    assert first.item == second.item == appearance.item
    assert Appearance.objects.filter(dossier=dossier).count() == 1
    assert board_meeting.items.count() == 1
    dossier.refresh_from_db()
    assert dossier.stage == "discuss"
    assert [o.text for o in Outcome.objects.filter(item=appearance.item).order_by("pk")] == [
        "Besoins A",
        "Besoins B",
    ]


@pytest.mark.parametrize("summary", ["", "  \n "])
def test_an_empty_needs_summary_is_not_fed(
    dossier: Dossier, board_meeting: Meeting, summary: str
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.feed_needs(None, dossier=dossier, meeting=board_meeting, summary=summary)
    assert error.value.message_dict == {"summary": ["The needs summary is empty."]}
    assert not Outcome.objects.exists() and not Appearance.objects.exists()
    assert not events("needs.fed")


# The timeline


def test_the_timeline_lists_everything_newest_first(
    activity: Activity,
    individual: OfferVersion,
    lea: Person,
    adviser: Person,
    grid: list[Competence],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    enrolment = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 3, 1))
    actions.accept_commitments(lea, enrolment=enrolment, side="member")
    actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    actions.advance(None, activity=activity, stage=Stage.INTEGRATED, on=D(2024, 3, 1))
    actions.record_support_meeting(
        None,
        activity=activity,
        held_on=D(2024, 4, 10),
        advisers=[adviser],
        attendance={lea: "attended"},
        objectives="Trésorerie",
    )
    milestone = actions.add_activity_milestone(
        None, activity=activity, title="Site web", due_on=D(2024, 9, 1)
    )
    actions.reach_activity_milestone(None, milestone=milestone, done_on=D(2024, 5, 15))
    actions.add_activity_milestone(None, activity=activity, title="Salon", due_on=D(2024, 11, 1))
    actions.evaluate(
        adviser, activity=activity, evaluated_on=D(2024, 6, 1), scores=dict.fromkeys(grid, 2)
    )
    actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 3, 1),
        period_end=D(2024, 3, 31),
        base_amount=Decimal(1000),
        due_on=D(2024, 4, 15),
    )
    activity = Activity.objects.get(pk=activity.pk)
    with django_assert_num_queries(9):
        steps = queries.timeline(activity)
        assert [(s.day, s.kind, s.title) for s in steps] == [
            (D(2024, 11, 1), "milestone", "Salon"),
            (D(2024, 6, 1), "evaluation", ""),
            (D(2024, 5, 15), "milestone", "Site web"),  # reached, dated when reached
            (D(2024, 4, 10), "support", "Held"),
            (D(2024, 3, 31), "contribution", ""),
            (D(2024, 3, 1), "stage", "Integrated"),
            (D(2024, 3, 1), "enrolment", "Activité individuelle"),
            (D(2024, 2, 1), "stage", "Candidate"),
        ]
        assert steps[3].detail == "Trésorerie"
        assert [p.person for p in steps[3].obj.participations.all()] == [lea]
        assert steps[6].obj.member_accepted_by == lea


def test_the_timeline_runs_a_fixed_number_of_queries(
    activity: Activity,
    lea: Person,
    adviser: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for month in range(3, 9):
        actions.record_support_meeting(
            None,
            activity=activity,
            held_on=D(2024, month, 10),
            advisers=[adviser],
            attendance={lea: "attended", adviser: "attended"},
        )
    with django_assert_num_queries(9):
        steps = queries.timeline(activity)
        assert sum(len(s.obj.participations.all()) for s in steps if s.kind == "support") == 12
        assert all(s.obj.advisers.all()[0] == adviser for s in steps if s.kind == "support")


def test_the_needs_of_exited_activities_are_left_out_of_the_summary(
    org: Organisation, needs: list[Activity]
) -> None:
    _first, second, _third = needs
    actions.advance(
        None, activity=second, stage=Stage.EXITED, on=D(2024, 2, 1), exit_reason="ended"
    )
    (billing, *_rest) = queries.needs_summary(org)
    assert billing.counts == {"essential": 1, "useful": 1, "not_needed": 0}
