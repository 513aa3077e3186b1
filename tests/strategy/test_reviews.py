"""Reviews: a body's members score each axis of the plan, during a meeting or over a period; the
results are shown without names; the review ends with an orientation on the plan's dossier."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Event, MemberCategory, Organisation, Person
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Appearance, Dossier, Stage
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import AgendaItem, Meeting, Outcome
from coopgov.strategy import actions
from coopgov.strategy.models import Axis, Plan, Review, ReviewResponse, ReviewScore
from coopgov.strategy.queries import review_results
from tests.bodies.conftest import seat
from tests.meetings.conftest import at

D = datetime.date
DURING = at(2024, 3, 12, 19)  # the board meeting runs from 18:00 to 21:00


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"strategy.{action}").order_by("pk"))


def people(mandates: list[Mandate]) -> list[Person]:
    return [mandate.person for mandate in mandates]


def answer(
    person: Person,
    review: Review,
    axis: Axis,
    *scores: int,
    comment: str = "",
    now: datetime.datetime = DURING,
) -> ReviewResponse:
    questions = list(review.questions.all())
    return actions.answer_review(
        person,
        review=review,
        axis=axis,
        scores={q.pk: s for q, s in zip(questions, scores, strict=True)},
        comment=comment,
        now=now,
    )


@pytest.fixture
def at_the_meeting(plan: Plan, board: Body, board_meeting: Meeting) -> Review:
    return actions.open_review(
        None, plan=plan, body=board, title="Revue de la stratégie", meeting=board_meeting
    )


@pytest.fixture
def over_a_period(plan: Plan, board: Body) -> Review:
    return actions.open_review(
        None,
        plan=plan,
        body=board,
        title="Revue de printemps",
        opens_at=at(2024, 2, 1, 9),
        closes_at=at(2024, 4, 1, 9),
    )


@pytest.fixture
def assembly_meeting(assembly: Body) -> Meeting:
    kind = meeting_actions.add_meeting_kind(
        None, body=assembly, code="ag", name="Assemblée", category="general_assembly"
    )
    return meeting_actions.schedule_meeting(
        None, kind=kind, title="AG", starts_at=at(2024, 6, 15, 10), ends_at=at(2024, 6, 15, 13)
    )


def axes(plan: Plan) -> tuple[Axis, Axis]:
    security, services = plan.axes.all()
    return security, services


# Opening


def test_a_review_during_a_meeting_is_open_for_its_hours_with_the_default_questions(
    plan: Plan, board: Body, board_meeting: Meeting, secretariat: Person
) -> None:
    review = actions.open_review(
        secretariat, plan=plan, body=board, title=" Revue ", meeting=board_meeting
    )
    assert (review.title, review.opens_at, review.closes_at, review.scale) == (
        "Revue",
        board_meeting.starts_at,
        board_meeting.ends_at,
        5,
    )
    texts = [q.text for q in review.questions.all()]
    assert texts == ["Does this axis speak to you?", "Does it match the needs of the moment?"]
    assert review.is_open(DURING) and not review.is_open(board_meeting.ends_at)
    (event,) = events("review.opened")
    assert (event.actor, event.data) == (
        secretariat,
        {"plan": str(plan.code), "body": board.code, "questions": texts},
    )


def test_a_review_during_a_meeting_may_keep_its_own_hours(
    plan: Plan, board: Body, board_meeting: Meeting
) -> None:
    review = actions.open_review(
        None,
        plan=plan,
        body=board,
        title="Revue",
        meeting=board_meeting,
        opens_at=at(2024, 3, 5, 9),
        questions=["  ", " Is it ambitious enough? "],
        scale=10,
    )
    assert (review.opens_at, review.closes_at) == (at(2024, 3, 5, 9), board_meeting.ends_at)
    assert [q.text for q in review.questions.all()] == ["Is it ambitious enough?"]
    assert review.scale == 10


def test_the_body_consulted_takes_part_in_the_meeting(
    plan: Plan, assembly: Body, board_meeting: Meeting
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.open_review(None, plan=plan, body=assembly, title="Revue", meeting=board_meeting)
    assert list(error.value.message_dict) == ["meeting"]
    assert not Review.objects.exists()


def test_a_review_without_a_meeting_is_open_over_a_period(plan: Plan, board: Body) -> None:
    with pytest.raises(ValidationError) as error:
        actions.open_review(None, plan=plan, body=board, title="Revue", opens_at=at(2024, 2, 1))
    assert list(error.value.message_dict) == ["closes_at"]
    with pytest.raises(ValidationError, match="Dates: a review closes after it opens"):
        actions.open_review(
            None,
            plan=plan,
            body=board,
            title="Revue",
            opens_at=at(2024, 2, 1),
            closes_at=at(2024, 2, 1),
        )
    review = actions.open_review(
        None,
        plan=plan,
        body=board,
        title="Revue",
        opens_at=at(2024, 2, 1),
        closes_at=at(2024, 3, 1),
    )
    assert review.meeting is None and review.questions.count() == 2


@pytest.mark.parametrize("scale", [2, 11])
def test_a_review_scale_goes_from_3_to_10(plan: Plan, board: Body, scale: int) -> None:
    with pytest.raises(ValidationError) as error:
        actions.open_review(
            None,
            plan=plan,
            body=board,
            title="Revue",
            opens_at=at(2024, 2, 1),
            closes_at=at(2024, 3, 1),
            scale=scale,
        )
    assert "scale" in error.value.message_dict


def test_a_plan_without_axes_is_not_reviewed(org: Organisation, board: Body) -> None:
    empty = actions.create_plan(
        None, organisation=org, title="Vide", starts_year=2026, ends_year=2030, body=board
    )
    with pytest.raises(ValidationError) as error:
        actions.open_review(
            None,
            plan=empty,
            body=board,
            title="Revue",
            opens_at=at(2024, 2, 1),
            closes_at=at(2024, 3, 1),
        )
    assert error.value.message_dict == {"plan": ["Review: the plan has no axis to review yet."]}
    assert not Review.objects.exists()


# Answering


def test_the_meeting_invitees_answer_axis_by_axis(
    plan: Plan, at_the_meeting: Review, directors: list[Mandate], observer: Mandate
) -> None:
    security, services = axes(plan)
    director = directors[0].person
    response = answer(director, at_the_meeting, security, 4, 5, comment=" Essentiel. ")
    answer(observer.person, at_the_meeting, services, 2, 3)  # an advisory voice is asked too
    assert (response.respondent, response.axis, response.comment) == (
        director,
        security,
        "Essentiel.",
    )
    assert sorted(s.score for s in response.scores.all()) == [4, 5]
    event = events("review.answered")[0]
    assert (event.actor, event.data) == (director, {"axis": 1})  # that they answered, not what


def test_a_guest_of_the_meeting_does_not_answer(
    plan: Plan, at_the_meeting: Review, board_meeting: Meeting, outsider: Person
) -> None:
    meeting_actions.invite_guest(None, meeting=board_meeting, person=outsider)
    with pytest.raises(ValidationError, match="only the members of the body consulted answer"):
        answer(outsider, at_the_meeting, axes(plan)[0], 3, 3)
    assert not ReviewResponse.objects.exists()


def test_a_person_not_invited_to_the_meeting_does_not_answer(
    plan: Plan, at_the_meeting: Review, plain_member: Person
) -> None:
    with pytest.raises(ValidationError, match="only the members of the body consulted answer"):
        answer(plain_member, at_the_meeting, axes(plan)[0], 3, 3)
    assert not ReviewResponse.objects.exists()


def test_over_a_period_the_body_members_on_the_day_answer(
    plan: Plan,
    board: Body,
    over_a_period: Review,
    directors: list[Mandate],
    category_a: MemberCategory,
    plain_member: Person,
) -> None:
    newcomer = seat(board, category_a, start=D(2024, 3, 1)).person
    security = axes(plan)[0]
    answer(directors[0].person, over_a_period, security, 3, 4, now=at(2024, 2, 10))
    with pytest.raises(ValidationError, match="only the members of the body consulted answer"):
        answer(newcomer, over_a_period, security, 3, 4, now=at(2024, 2, 10))
    answer(newcomer, over_a_period, security, 3, 4, now=at(2024, 3, 5))
    with pytest.raises(ValidationError, match="only the members of the body consulted answer"):
        answer(plain_member, over_a_period, security, 3, 4, now=at(2024, 3, 5))
    assert sorted(r.respondent_id for r in ReviewResponse.objects.all()) == sorted(
        [directors[0].person_id, newcomer.pk]
    )


def test_a_review_takes_answers_only_while_it_is_open(
    plan: Plan, over_a_period: Review, directors: list[Mandate]
) -> None:
    director, security = directors[0].person, axes(plan)[0]
    for moment in (over_a_period.opens_at - datetime.timedelta(seconds=1), over_a_period.closes_at):
        with pytest.raises(ValidationError, match="not open for answers"):
            answer(director, over_a_period, security, 3, 3, now=moment)
    answer(director, over_a_period, security, 3, 3, now=over_a_period.opens_at)
    assert ReviewResponse.objects.count() == 1


def test_each_question_is_scored_within_the_scale(
    plan: Plan, at_the_meeting: Review, directors: list[Mandate]
) -> None:
    first, second = at_the_meeting.questions.all()
    director, security = directors[0].person, axes(plan)[0]
    for scores in ({first.pk: 0, second.pk: 6}, {first.pk: 3}):
        with pytest.raises(ValidationError) as error:
            actions.answer_review(
                director, review=at_the_meeting, axis=security, scores=scores, now=DURING
            )
        wrong = {f"q{first.pk}", f"q{second.pk}"} if len(scores) == 2 else {f"q{second.pk}"}
        assert set(error.value.message_dict) == wrong
    assert error.value.message_dict[f"q{second.pk}"] == [
        "“Does it match the needs of the moment?”: answer from 1 to 5."
    ]
    response = actions.answer_review(
        director,
        review=at_the_meeting,
        axis=security,
        scores={first.pk: 1, second.pk: 5},
        now=DURING,
    )
    assert sorted(s.score for s in response.scores.all()) == [1, 5]


def test_an_axis_of_another_plan_is_refused(
    plan: Plan, at_the_meeting: Review, directors: list[Mandate]
) -> None:
    other = actions.add_axis(
        None,
        plan=actions.create_plan(
            None,
            organisation=plan.organisation,
            title="Autre",
            starts_year=2026,
            ends_year=2030,
            body=plan.body,
        ),
        title="Ailleurs",
    )
    with pytest.raises(ValidationError) as error:
        answer(directors[0].person, at_the_meeting, other, 3, 3)
    assert list(error.value.message_dict) == ["axis"]


def test_answering_again_replaces_the_earlier_answer(
    plan: Plan, at_the_meeting: Review, directors: list[Mandate]
) -> None:
    director, security = directors[0].person, axes(plan)[0]
    answer(director, at_the_meeting, security, 2, 2, comment="Flou.")
    later = DURING + datetime.timedelta(minutes=30)
    response = answer(director, at_the_meeting, security, 4, 5, comment="Plus clair.", now=later)
    assert ReviewResponse.objects.count() == 1
    assert (response.comment, response.answered_at) == ("Plus clair.", later)
    assert sorted(ReviewScore.objects.values_list("score", flat=True)) == [4, 5]


# Results


def test_results_give_counts_means_distributions_and_comments_without_names(
    plan: Plan,
    at_the_meeting: Review,
    board_meeting: Meeting,
    directors: list[Mandate],
    outsider: Person,
) -> None:
    meeting_actions.invite_guest(None, meeting=board_meeting, person=outsider)
    security, services = axes(plan)
    one, two, three = people(directors[:3])
    answer(one, at_the_meeting, security, 5, 4, comment="  Indispensable.  ")
    answer(two, at_the_meeting, security, 3, 4, comment="  ")
    answer(three, at_the_meeting, security, 4, 1, comment="Trop juridique.")
    answer(one, at_the_meeting, services, 2, 2)

    results = review_results(at_the_meeting)

    assert (results.respondents, results.eligible) == (3, 8)  # 7 directors and the observer
    first, second = results.axes
    assert first.axis == security and second.axis == services
    speak, needs = first.questions
    assert (speak.question, speak.count, speak.mean, speak.distribution) == (
        "Does this axis speak to you?",
        3,
        4,
        [0, 0, 1, 1, 1],
    )
    assert (needs.count, needs.mean, needs.distribution) == (3, 3, [1, 0, 0, 2, 0])
    assert sorted(first.comments) == ["Indispensable.", "Trop juridique."]
    assert [(q.count, q.mean) for q in second.questions] == [(1, 2), (1, 2)]
    assert second.comments == []
    names = {p.full_name for p in (one, two, three)} | {p.last_name for p in (one, two, three)}
    assert not any(name in repr(results) for name in names)


def test_results_of_an_unanswered_review_have_no_mean(plan: Plan, at_the_meeting: Review) -> None:
    results = review_results(at_the_meeting)
    assert results.respondents == 0
    assert {(q.count, q.mean) for a in results.axes for q in a.questions} == {(0, None)}
    assert {tuple(q.distribution) for a in results.axes for q in a.questions} == {(0,) * 5}


def test_results_take_the_same_queries_however_many_answered(
    plan: Plan, at_the_meeting: Review, directors: list[Mandate]
) -> None:
    security, services = axes(plan)
    answer(directors[0].person, at_the_meeting, security, 3, 3, comment="a")

    def count_queries() -> int:
        review = Review.objects.get(pk=at_the_meeting.pk)
        with CaptureQueriesContext(connection) as queries:
            results = review_results(review)
            assert [c for a in results.axes for c in a.comments]
        return len(queries)

    few = count_queries()
    for mandate in directors[1:]:
        answer(mandate.person, at_the_meeting, security, 4, 2, comment="b")
        answer(mandate.person, at_the_meeting, services, 5, 1, comment="c")
    many = count_queries()
    assert few == many == 6


def test_the_eligible_are_counted_on_the_review_days_not_today(
    plan: Plan,
    board: Body,
    over_a_period: Review,
    directors: list[Mandate],
    category_a: MemberCategory,
) -> None:
    seat(board, category_a, start=D(2025, 1, 1))  # joined the board after the review closed
    assert review_results(over_a_period).eligible == 7


# Concluding


def test_concluding_records_the_orientation_on_a_dossier_opened_for_the_plan(
    plan: Plan, board: Body, at_the_meeting: Review, board_meeting: Meeting, secretariat: Person
) -> None:
    assert plan.dossier is None
    outcome = actions.conclude_review(
        secretariat, review=at_the_meeting, orientation=" Keep both axes; narrow the second. "
    )
    plan.refresh_from_db()
    dossier = plan.dossier
    assert dossier is not None
    assert (dossier.title, dossier.tags, dossier.origin_body) == (plan.title, ["strategy"], board)
    appearance = Appearance.objects.get(dossier=dossier)
    assert (appearance.stage, appearance.item.meeting) == (Stage.ORIENT, board_meeting)
    assert (appearance.item.title, appearance.item.purpose) == (
        "Revue de la stratégie",
        AgendaItem.Purpose.ORIENTATION,
    )
    assert (outcome.meeting, outcome.item, outcome.kind, outcome.text) == (
        board_meeting,
        appearance.item,
        Outcome.Kind.ORIENTATION,
        "Keep both axes; narrow the second.",
    )
    at_the_meeting.refresh_from_db()
    assert at_the_meeting.orientation == outcome and at_the_meeting.concluded_at is not None
    (event,) = events("review.concluded")
    assert (event.actor, event.data) == (
        secretariat,
        {"orientation": "Keep both axes; narrow the second."},
    )


def test_concluding_reuses_the_dossier_item_already_on_the_meeting_agenda(
    org: Organisation, plan: Plan, at_the_meeting: Review, board_meeting: Meeting
) -> None:
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Stratégie")
    Plan.objects.filter(pk=plan.pk).update(dossier=dossier)
    existing = dossier_actions.put_on_agenda(
        None, dossier=dossier, meeting=board_meeting, stage="discuss"
    )
    items_before = board_meeting.items.count()
    review = Review.objects.get(pk=at_the_meeting.pk)
    outcome = actions.conclude_review(None, review=review, orientation="Continue.")
    assert outcome.item == existing.item
    assert board_meeting.items.count() == items_before
    assert Dossier.objects.count() == 1


def test_concluding_puts_the_plan_dossier_on_the_agenda_to_orient(
    org: Organisation, plan: Plan, at_the_meeting: Review, board_meeting: Meeting, seminar: Meeting
) -> None:
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Stratégie")
    Plan.objects.filter(pk=plan.pk).update(dossier=dossier)
    dossier_actions.put_on_agenda(None, dossier=dossier, meeting=seminar, stage="discuss")
    review = Review.objects.get(pk=at_the_meeting.pk)
    outcome = actions.conclude_review(None, review=review, orientation="Continue.")
    appearance = Appearance.objects.get(dossier=dossier, item__meeting=board_meeting)
    assert outcome.item == appearance.item and appearance.stage == Stage.ORIENT
    dossier.refresh_from_db()
    assert dossier.stage == Stage.ORIENT
    assert Dossier.objects.count() == 1


def test_a_review_is_concluded_once_and_then_takes_no_answer(
    plan: Plan, at_the_meeting: Review, directors: list[Mandate]
) -> None:
    assert at_the_meeting.is_open(DURING)
    actions.conclude_review(None, review=at_the_meeting, orientation="Continue.")
    assert not at_the_meeting.is_open(DURING)
    with pytest.raises(ValidationError, match="already concluded"):
        actions.conclude_review(None, review=at_the_meeting, orientation="Again.")
    with pytest.raises(ValidationError, match="not open for answers"):
        answer(directors[0].person, at_the_meeting, axes(plan)[0], 3, 3)
    assert Outcome.objects.count() == 1


def test_the_orientation_is_drawn_at_a_meeting_of_the_body_consulted(
    over_a_period: Review, assembly_meeting: Meeting
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.conclude_review(None, review=over_a_period, orientation="Continue.")
    assert list(error.value.message_dict) == ["meeting"]
    with pytest.raises(ValidationError, match="at a meeting of the body consulted"):
        actions.conclude_review(
            None, review=over_a_period, orientation="Continue.", meeting=assembly_meeting
        )
    over_a_period.refresh_from_db()
    assert over_a_period.concluded_at is None and not Outcome.objects.exists()


def test_a_period_review_is_concluded_at_a_later_meeting_of_the_body(
    over_a_period: Review, board_meeting: Meeting
) -> None:
    outcome = actions.conclude_review(
        None, review=over_a_period, orientation="Continue.", meeting=board_meeting
    )
    assert outcome.meeting == board_meeting


def test_an_empty_orientation_is_refused(at_the_meeting: Review) -> None:
    with pytest.raises(ValidationError) as error:
        actions.conclude_review(None, review=at_the_meeting, orientation="   ")
    assert list(error.value.message_dict) == ["orientation"]
    assert not Outcome.objects.exists()
