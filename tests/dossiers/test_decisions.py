"""D1 to D6: a dossier's path to a decision, its gates, quorum, recusal, counts and numbering."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Event, Organisation
from coopgov.dossiers import actions
from coopgov.dossiers.models import Consultation, Decision, Stage
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting, MeetingKind
from tests.meetings.conftest import at


def attend(meeting: Meeting, mandates: list[Mandate]) -> None:
    for mandate in mandates:
        invitation = meeting.invitations.get(person=mandate.person)
        meeting_actions.record_attendance(None, invitation=invitation, attendance="present")


@pytest.fixture
def works_council(org: Organisation) -> Body:
    return body_actions.create_body(
        None,
        organisation=org,
        code="ce",
        name="Conseil d'entreprise",
        kind="works_council",
        may_decide=False,
    )


def decide(item: object, **counts: int) -> Decision:
    return actions.record_decision(
        None,
        item=item,
        title="Adopt",
        text="The board adopts.",
        method="hands",  # type: ignore[arg-type]
        **({"yes": 4, "no": 1, "abstain": 0} | counts),
    )


def test_a_dossier_travels_from_information_to_decision(
    org: Organisation,
    board: Body,
    seminar: Meeting,
    board_meeting: Meeting,
    directors: list[Mandate],
) -> None:
    dossier = actions.open_dossier(
        None,
        organisation=org,
        title="Stratégie 2025 resserrée",
        tags=["strategy"],
        origin_body=board,
    )
    worked = actions.put_on_agenda(None, dossier=dossier, meeting=seminar, stage="orient")
    assert worked.item.purpose == "orientation" and dossier.stage == Stage.ORIENT
    appearance = actions.put_on_agenda(None, dossier=dossier, meeting=board_meeting, stage="decide")
    attend(board_meeting, directors[:6])
    decision = decide(appearance.item)
    assert decision.adopted and decision.number == "CA-2024-001" and decision.dossier == dossier
    dossier.refresh_from_db()
    assert dossier.stage == Stage.IMPLEMENT
    assert [a.item.meeting for a in dossier.appearances.all()] == [seminar, board_meeting]


def test_a_decision_is_refused_in_a_seminar(
    org: Organisation, seminar: Meeting, board_meeting: Meeting
) -> None:
    dossier = actions.open_dossier(None, organisation=org, title="Offre")
    with pytest.raises(ValidationError, match="Non-deciding meeting"):
        actions.put_on_agenda(None, dossier=dossier, meeting=seminar, stage="decide")
    item = meeting_actions.add_to_agenda(
        None, meeting=seminar, title="Orient", purpose="orientation"
    )
    with pytest.raises(ValidationError, match="Non-deciding meeting"):
        decide(item)


def test_a_decision_needs_quorum_and_a_decision_item(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    item = meeting_actions.add_to_agenda(
        None, meeting=board_meeting, title="Budget", purpose="decision"
    )
    attend(board_meeting, directors[:3])  # 3 of 7: the quorum is 4
    with pytest.raises(ValidationError, match="Quorum: 3 voting members"):
        decide(item, yes=3, no=0)
    attend(board_meeting, directors[3:4])
    info = meeting_actions.add_to_agenda(
        None, meeting=board_meeting, title="News", purpose="information"
    )
    with pytest.raises(ValidationError, match="purpose is a decision"):
        decide(info, yes=3, no=0)
    assert decide(item, yes=3, no=1).adopted


def test_an_open_consultation_blocks_until_the_opinion_or_the_deadline(
    org: Organisation, board_meeting: Meeting, directors: list[Mandate], works_council: Body
) -> None:
    from coopgov.dossiers.models import ConsultationRule

    ConsultationRule.objects.create(
        organisation=org,
        tag="structural_change",
        consulted_body=works_council,
        kind="consultation",
        lead_days=30,
    )
    with time_machine.travel(datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)):
        dossier = actions.open_dossier(
            None, organisation=org, title="Refonte de l'offre", tags=["structural_change"]
        )
    gate = dossier.consultations.get()
    assert (gate.consulted_body, gate.due_date) == (works_council, datetime.date(2024, 3, 31))
    appearance = actions.put_on_agenda(None, dossier=dossier, meeting=board_meeting, stage="decide")
    attend(board_meeting, directors[:5])
    with pytest.raises(
        ValidationError, match="Consultation: the consultation of Conseil d'entreprise is awaited"
    ):
        decide(appearance.item)
    assert not Decision.objects.exists()
    actions.record_opinion(None, consultation=gate, opinion="Favourable, with a training plan.")
    assert decide(appearance.item).adopted


def test_a_consultation_expires_with_its_deadline_and_the_record_says_so(
    org: Organisation,
    board_meeting_kind: MeetingKind,
    directors: list[Mandate],
    works_council: Body,
) -> None:
    dossier = actions.open_dossier(None, organisation=org, title="Plan diversité")
    actions.request_consultation(
        None,
        dossier=dossier,
        consulted_body=works_council,
        kind="opinion",
        due_date=datetime.date(2024, 4, 30),
    )
    meeting = meeting_actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="May",
        starts_at=at(2024, 5, 14),
        ends_at=at(2024, 5, 14, 21),
    )
    appearance = actions.put_on_agenda(None, dossier=dossier, meeting=meeting, stage="decide")
    attend(meeting, directors[:5])
    decide(appearance.item)
    assert dossier.consultations.get().status == Consultation.Status.EXPIRED
    assert Event.objects.filter(action="dossiers.consultation.expired").exists()


def test_recused_members_leave_the_quorum_and_cannot_be_counted(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    item = meeting_actions.add_to_agenda(
        None, meeting=board_meeting, title="Contract", purpose="decision"
    )
    attend(board_meeting, directors[:5])
    meeting_actions.declare_conflict(directors[0].person, item=item, justification="Supplier.")
    with pytest.raises(ValidationError, match="Votes: 5 votes counted, but only 4"):
        decide(item, yes=4, no=1)
    assert decide(item, yes=3, no=1).adopted


def test_decisions_are_numbered_per_body_and_year_and_never_renumbered(
    board_meeting: Meeting, board_meeting_kind: MeetingKind, directors: list[Mandate]
) -> None:
    attend(board_meeting, directors[:5])
    first = decide(
        meeting_actions.add_to_agenda(None, meeting=board_meeting, title="A", purpose="decision")
    )
    second = decide(
        meeting_actions.add_to_agenda(None, meeting=board_meeting, title="B", purpose="decision")
    )
    assert [first.number, second.number] == ["CA-2024-001", "CA-2024-002"]
    Decision.objects.filter(pk=first.pk).delete()  # even if a row disappears
    third = decide(
        meeting_actions.add_to_agenda(None, meeting=board_meeting, title="C", purpose="decision"),
        yes=1,
        no=4,
    )
    assert third.number == "CA-2024-003" and third.adopted is False
    next_year = meeting_actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Jan",
        starts_at=at(2025, 1, 14),
        ends_at=at(2025, 1, 14, 21),
    )
    attend(next_year, directors[:5])
    new = decide(
        meeting_actions.add_to_agenda(None, meeting=next_year, title="D", purpose="decision"),
        supersedes=second,
    )
    assert new.number == "CA-2025-001" and new.supersedes == second
    with pytest.raises(ValidationError) as error:
        decide(
            meeting_actions.add_to_agenda(None, meeting=next_year, title="E", purpose="decision"),
            supersedes=second,
        )
    assert "supersedes" in error.value.message_dict


def test_consensus_counts_everyone_present_and_one_item_has_one_decision(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    item = meeting_actions.add_to_agenda(None, meeting=board_meeting, title="A", purpose="decision")
    attend(board_meeting, directors[:5])
    decision = actions.record_decision(
        None, item=item, title="A", text="t", method="consensus", majority="unanimity"
    )
    assert (decision.yes, decision.no, decision.adopted) == (5, 0, True)
    with pytest.raises(ValidationError, match="already has its decision"):
        decide(item)


def test_a_written_resolution_is_adopted_only_by_unanimity(
    board: Body, directors: list[Mandate]
) -> None:
    with time_machine.travel(datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)):
        resolution = actions.propose_written_resolution(
            None,
            body=board,
            title="Signature authority",
            text="The board gives…",
            deadline=datetime.date(2024, 2, 15),
        )
        assert resolution.answers.count() == 7
        for mandate in directors[:6]:
            actions.answer_written_resolution(mandate.person, resolution=resolution, answer="yes")
        with pytest.raises(ValidationError, match="1 answers are awaited"):
            actions.conclude_written_resolution(
                None, resolution=resolution, on=datetime.date(2024, 2, 10)
            )
        actions.answer_written_resolution(directors[6].person, resolution=resolution, answer="yes")
        actions.conclude_written_resolution(
            None, resolution=resolution, on=datetime.date(2024, 2, 10)
        )
    assert resolution.status == "adopted"
    assert resolution.decision.number == "CA-2024-001" and resolution.decision.method == "written"


def test_one_abstention_or_silence_defeats_a_written_resolution(
    board: Body, directors: list[Mandate], org: Organisation
) -> None:
    with time_machine.travel(datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)):
        resolution = actions.propose_written_resolution(
            None, body=board, title="A", text="t", deadline=datetime.date(2024, 2, 15)
        )
        actions.answer_written_resolution(
            directors[0].person, resolution=resolution, answer="abstain"
        )
        for mandate in directors[1:6]:
            actions.answer_written_resolution(mandate.person, resolution=resolution, answer="yes")
        from tests.conftest import make_person

        with pytest.raises(ValidationError, match="Only the voting members"):
            actions.answer_written_resolution(make_person(org), resolution=resolution, answer="yes")
    actions.conclude_written_resolution(None, resolution=resolution, on=datetime.date(2024, 2, 16))
    assert resolution.status == "failed" and resolution.decision.adopted is False
    assert (resolution.decision.yes, resolution.decision.abstain) == (5, 1)


def test_an_advisory_body_has_no_written_resolutions(org: Organisation) -> None:
    ethics = body_actions.create_body(
        None, organisation=org, code="eth", name="Éthique", kind="committee", may_decide=False
    )
    with pytest.raises(ValidationError) as error:
        actions.propose_written_resolution(
            None, body=ethics, title="x", text="y", deadline=datetime.date(2099, 1, 1)
        )
    assert "body" in error.value.message_dict


def test_expectations_go_from_one_body_to_another_and_get_answers(
    board: Body, works_council: Body, seminar: Meeting
) -> None:
    expectation = actions.voice_expectation(
        None,
        from_body=works_council,
        to_body=board,
        text="Be involved early in structural projects.",
        meeting=seminar,
    )
    assert expectation.status == "open"
    with pytest.raises(ValidationError) as error:
        actions.voice_expectation(None, from_body=board, to_body=board, text="x")
    assert "to_body" in error.value.message_dict
    actions.answer_expectation(
        None, expectation=expectation, answer="A first presentation at every seminar."
    )
    assert expectation.status == "answered"


def test_a_quarterly_information_duty_lands_on_the_right_agendas(
    org: Organisation, board: Body, works_council: Body
) -> None:
    kind = meeting_actions.add_meeting_kind(
        None, body=works_council, code="ord", name="CE", category="ordinary"
    )
    actions.add_information_duty(
        None,
        from_body=board,
        to_body=works_council,
        title="Information économique et financière trimestrielle",
        period="quarterly",
    )
    april = meeting_actions.schedule_meeting(
        None, kind=kind, title="CE avril", starts_at=at(2024, 4, 9, 9), ends_at=at(2024, 4, 9, 12)
    )
    may = meeting_actions.schedule_meeting(
        None, kind=kind, title="CE mai", starts_at=at(2024, 5, 14, 9), ends_at=at(2024, 5, 14, 12)
    )
    assert list(april.items.values_list("title", "purpose")) == [
        ("Information économique et financière trimestrielle", "information")
    ]
    assert not may.items.exists()


def test_a_roll_call_counts_the_recorded_votes_of_those_who_may_vote(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    item = meeting_actions.add_to_agenda(
        None, meeting=board_meeting, title="Contract", purpose="decision"
    )
    attend(board_meeting, directors[:5])
    meeting_actions.declare_conflict(directors[0].person, item=item, justification="Supplier.")

    def roll_call(votes: dict[int, str]) -> Decision:
        return actions.record_decision(
            None,
            item=item,
            title="Contract",
            text="The board signs.",
            method="roll_call",
            majority="absolute",
            yes=9,  # typed counts are ignored: a roll call counts its votes
            votes=votes,
        )

    with pytest.raises(ValidationError, match="record the vote of each member"):
        roll_call({})
    with pytest.raises(ValidationError, match="each vote is yes, no or abstain"):
        roll_call({directors[1].person.pk: "maybe"})
    absent, recused = directors[6].person, directors[0].person
    for outsider in (absent, recused):
        with pytest.raises(ValidationError) as error:
            roll_call({outsider.pk: "yes", directors[1].person.pk: "yes"})
        assert str(outsider) in error.value.message_dict["votes"][0]
    decision = roll_call(
        {
            directors[1].person.pk: "yes",
            directors[2].person.pk: "yes",
            directors[3].person.pk: "no",
            directors[4].person.pk: "abstain",
        }
    )
    assert (decision.yes, decision.no, decision.abstain) == (2, 1, 1)
    assert decision.adopted  # absolute majority of 3 votes cast (abstentions out of the base)
    assert {(v.person_id, v.vote) for v in decision.votes.all()} == {
        (directors[1].person.pk, "yes"),
        (directors[2].person.pk, "yes"),
        (directors[3].person.pk, "no"),
        (directors[4].person.pk, "abstain"),
    }
