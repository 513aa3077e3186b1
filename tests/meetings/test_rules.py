"""M1 to M6: deciding meetings, quorum, notice, proxies, minutes, several bodies."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core.integrity import refusing_violations
from coopgov.core.models import Event, Organisation, Person
from coopgov.meetings import actions
from coopgov.meetings.models import AgendaItem, Invitation, Meeting, MeetingKind, Minutes, Proxy
from coopgov.meetings.rules import assert_may_decide, quorum
from tests.conftest import in_english, login, make_person
from tests.meetings.conftest import at


def invitation(meeting: Meeting, mandate: Mandate) -> Invitation:
    return meeting.invitations.get(person=mandate.person)


# M1


def test_a_seminar_never_decides(seminar: Meeting) -> None:
    assert seminar.kind.may_decide is False
    with pytest.raises(ValidationError, match="Non-deciding meeting"):
        assert_may_decide(seminar)
    with pytest.raises(ValidationError) as error:
        actions.add_to_agenda(None, meeting=seminar, title="Adopt the budget", purpose="decision")
    assert "purpose" in error.value.message_dict
    assert not seminar.items.exists()
    item = actions.add_to_agenda(
        None, meeting=seminar, title="The narrowed strategy", purpose="orientation"
    )
    assert item.status == AgendaItem.Status.ACCEPTED


def test_a_seminar_kind_cannot_be_made_deciding(board: Body) -> None:
    kind = actions.add_meeting_kind(
        None, body=board, code="ws", name="Atelier", category="workshop"
    )
    kind.may_decide = True
    with pytest.raises(ValidationError, match="never decide"):
        kind.full_clean()


def test_the_meetings_of_an_advisory_body_never_decide(org: Organisation) -> None:
    ethics = body_actions.create_body(
        None, organisation=org, code="eth", name="Éthique", kind="committee", may_decide=False
    )
    kind = actions.add_meeting_kind(
        None, body=ethics, code="ord", name="Réunion", category="ordinary"
    )
    assert kind.may_decide is False


def test_a_board_meeting_takes_decision_items(board_meeting: Meeting) -> None:
    assert_may_decide(board_meeting)
    actions.add_to_agenda(None, meeting=board_meeting, title="Budget 2025", purpose="decision")


# M6 and invitations


def test_invitees_come_from_the_mandates_with_their_capacity(
    board_meeting: Meeting, directors: list[Mandate], observer: Mandate
) -> None:
    capacities = dict(board_meeting.invitations.values_list("person_id", "capacity"))
    assert len(capacities) == 8
    assert capacities[observer.person_id] == Invitation.Capacity.ADVISORY
    assert capacities[directors[0].person_id] == Invitation.Capacity.VOTING


def test_an_inter_body_meeting_invites_every_body_each_in_their_own_capacity(
    board: Body, org: Organisation, directors: list[Mandate]
) -> None:
    council = body_actions.create_body(
        None, organisation=org, code="ce", name="CE", kind="works_council", may_decide=False
    )
    delegate = make_person(org)
    body_actions.appoint(
        None,
        body=council,
        person=delegate,
        start=datetime.date(2023, 1, 1),
        origin="social_elections",
    )
    kind = actions.add_meeting_kind(
        None, body=board, code="ib", name="Inter-instances", category="inter_body"
    )
    meeting = actions.schedule_meeting(
        None,
        kind=kind,
        title="Rencontre des instances",
        starts_at=at(2024, 1, 25, 13),
        ends_at=at(2024, 1, 25, 17),
        other_bodies=[council],
    )
    assert meeting.invitations.count() == 8
    assert meeting.invitations.get(person=delegate).capacity == Invitation.Capacity.ADVISORY
    assert not meeting.may_decide


def test_only_an_inter_body_meeting_brings_bodies_together(
    board_meeting_kind: MeetingKind, org: Organisation
) -> None:
    council = body_actions.create_body(
        None, organisation=org, code="ce", name="CE", kind="works_council"
    )
    with pytest.raises(ValidationError) as error:
        actions.schedule_meeting(
            None,
            kind=board_meeting_kind,
            title="x",
            starts_at=at(2024, 1, 1),
            ends_at=at(2024, 1, 1, 20),
            other_bodies=[council],
        )
    assert "other_bodies" in error.value.message_dict


# M2 quorum


def test_quorum_counts_voting_members_present_or_represented(
    board_meeting: Meeting, directors: list[Mandate], observer: Mandate
) -> None:
    state = quorum(board_meeting)
    assert (state.seats_filled, state.required, state.counted, state.reached) == (7, 4, 0, False)
    for mandate in directors[:3]:
        actions.record_attendance(
            None, invitation=invitation(board_meeting, mandate), attendance="present"
        )
    actions.record_attendance(
        None, invitation=invitation(board_meeting, observer), attendance="present"
    )
    assert quorum(board_meeting).counted == 3  # the observer has an advisory voice only
    actions.give_proxy(
        None,
        giver=invitation(board_meeting, directors[3]),
        holder=invitation(board_meeting, directors[0]),
    )
    state = quorum(board_meeting)
    assert (state.present, state.represented, state.reached) == (3, 1, True)


def test_remote_attendance_counts_and_excused_does_not(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    actions.record_attendance(
        None, invitation=invitation(board_meeting, directors[0]), attendance="remote"
    )
    actions.record_attendance(
        None, invitation=invitation(board_meeting, directors[1]), attendance="excused"
    )
    assert quorum(board_meeting).present == 1


def test_a_recused_director_leaves_the_quorum_of_that_item_only(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    for mandate in directors[:4]:
        actions.record_attendance(
            None, invitation=invitation(board_meeting, mandate), attendance="present"
        )
    item = actions.add_to_agenda(
        None, meeting=board_meeting, title="Contract with a director's firm", purpose="decision"
    )
    actions.declare_conflict(
        directors[0].person, item=item, justification="My company is the supplier."
    )
    assert quorum(board_meeting).reached is True
    on_item = quorum(board_meeting, item)
    assert (on_item.recused, on_item.counted, on_item.reached) == (1, 3, False)


def test_a_proxy_giver_who_is_there_after_all_is_not_counted_twice(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    actions.record_attendance(
        None, invitation=invitation(board_meeting, directors[0]), attendance="present"
    )
    actions.give_proxy(
        None,
        giver=invitation(board_meeting, directors[1]),
        holder=invitation(board_meeting, directors[0]),
    )
    with pytest.raises(ValidationError, match="withdraw it"):
        actions.record_attendance(
            None, invitation=invitation(board_meeting, directors[1]), attendance="present"
        )


# M4 proxies


def test_proxy_limits_are_enforced(
    board_meeting: Meeting, directors: list[Mandate], observer: Mandate
) -> None:
    holder = invitation(board_meeting, directors[0])
    actions.give_proxy(None, giver=invitation(board_meeting, directors[1]), holder=holder)
    with pytest.raises(
        ValidationError, match="Proxy limit: .* already holds 1 proxy; the limit is 1"
    ):
        actions.give_proxy(None, giver=invitation(board_meeting, directors[2]), holder=holder)
    with pytest.raises(ValidationError, match="only a voting member"):
        actions.give_proxy(
            None,
            giver=invitation(board_meeting, observer),
            holder=invitation(board_meeting, directors[3]),
        )
    with pytest.raises(ValidationError, match="has given their own proxy"):
        actions.give_proxy(
            None,
            giver=invitation(board_meeting, directors[4]),
            holder=invitation(board_meeting, directors[1]),
        )
    actions.record_attendance(
        None, invitation=invitation(board_meeting, directors[5]), attendance="present"
    )
    with pytest.raises(ValidationError, match="is present and votes in person"):
        actions.give_proxy(
            None,
            giver=invitation(board_meeting, directors[5]),
            holder=invitation(board_meeting, directors[6]),
        )


def test_a_proxy_goes_to_a_member_of_the_same_body(
    board_meeting: Meeting, directors: list[Mandate], org: Organisation
) -> None:
    guest = actions.invite_guest(None, meeting=board_meeting, person=make_person(org))
    guest.capacity = Invitation.Capacity.VOTING  # even a wrongly marked guest cannot hold a proxy
    guest.save()
    with pytest.raises(ValidationError, match="same body"):
        actions.give_proxy(None, giver=invitation(board_meeting, directors[0]), holder=guest)


def test_a_member_gives_one_proxy(board_meeting: Meeting, directors: list[Mandate]) -> None:
    giver = invitation(board_meeting, directors[0])
    actions.give_proxy(None, giver=giver, holder=invitation(board_meeting, directors[1]))
    stale = Invitation.objects.get(pk=giver.pk)  # read as a second request would
    with pytest.raises(
        ValidationError,
        match=f"Proxy: {giver.person.full_name} has already given their proxy.",
    ):
        actions.give_proxy(None, giver=stale, holder=invitation(board_meeting, directors[2]))
    assert Proxy.objects.filter(giver=giver).count() == 1


def test_a_second_proxy_of_one_giver_answers_422_with_the_rule_through_the_api(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    in_english(login(client, secretariat))
    url = (
        f"/api/v1/organisations/{board_meeting.organisation.code}/meetings/"
        f"{board_meeting.code}/proxies"
    )
    giver, first, second = (invitation(board_meeting, m) for m in directors[:3])
    given = client.post(url, {"giver": giver.pk, "holder": first.pk}, "application/json")
    assert given.status_code == 201
    again = client.post(url, {"giver": giver.pk, "holder": second.pk}, "application/json")
    assert again.status_code == 422  # was a 500: the database refused the second row
    assert again.json()["errors"] == [
        {
            "field": None,
            "message": f"Proxy: {giver.person.full_name} has already given their proxy.",
        }
    ]


def test_the_database_s_refusal_of_a_second_proxy_reads_as_the_rule(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    """What a request that passed the checks at the same moment as another meets."""
    giver, first, second = (invitation(board_meeting, m) for m in directors[:3])
    actions.give_proxy(None, giver=giver, holder=first)
    rule = {"giver": "Proxy: already given."}
    with pytest.raises(ValidationError) as error, refusing_violations(Proxy, messages=rule):
        Proxy.objects.create(meeting=board_meeting, giver=giver, holder=second)
    assert error.value.messages == ["Proxy: already given."]
    assert Proxy.objects.filter(giver=giver).count() == 1


def test_a_proxy_withdrawn_twice_is_withdrawn_and_recorded_once(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    proxy = actions.give_proxy(
        None,
        giver=invitation(board_meeting, directors[0]),
        holder=invitation(board_meeting, directors[1]),
    )
    stale = Proxy.objects.get(pk=proxy.pk)
    actions.withdraw_proxy(None, proxy=proxy)
    actions.withdraw_proxy(None, proxy=stale)
    assert not Proxy.objects.exists()
    assert Event.objects.filter(action="meetings.proxy.withdrawn").count() == 1


def test_a_member_read_before_giving_a_proxy_is_not_marked_present(
    board_meeting: Meeting, directors: list[Mandate]
) -> None:
    giver = invitation(board_meeting, directors[0])
    stale = Invitation.objects.get(pk=giver.pk)
    actions.give_proxy(None, giver=giver, holder=invitation(board_meeting, directors[1]))
    with pytest.raises(ValidationError, match="withdraw it before marking them present"):
        actions.record_attendance(None, invitation=stale, attendance="present")


# M3 convocation


def test_a_convocation_in_time_needs_no_reason(
    board_meeting: Meeting, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 1, 9))
    assert board_meeting.status == Meeting.Status.CONVENED
    assert board_meeting.invitations.filter(convened_at__isnull=True).count() == 0
    assert len(callbacks) == board_meeting.invitations.count()
    assert Event.objects.get(action="meetings.meeting.convened").data["late"] is False


def test_a_late_convocation_needs_a_recorded_urgency_reason(board_meeting: Meeting) -> None:
    late = at(2024, 3, 8, 9)  # 4 days before a meeting that needs 7
    with pytest.raises(ValidationError) as error:
        actions.convene(None, meeting=board_meeting, now=late)
    assert "Late convocation" in error.value.message_dict["urgency_reason"][0]
    board_meeting.refresh_from_db()
    assert board_meeting.convened_at is None
    actions.convene(
        None, meeting=board_meeting, now=late, urgency_reason="Offer expires on 15 March."
    )
    assert board_meeting.urgency_reason == "Offer expires on 15 March."
    assert Event.objects.get(action="meetings.meeting.convened").data["late"] is True


def test_the_notice_period_boundary_is_exact(board_meeting: Meeting) -> None:
    deadline = board_meeting.starts_at - datetime.timedelta(days=7)
    actions.convene(None, meeting=board_meeting, now=deadline)  # exactly on time
    assert board_meeting.urgency_reason == ""


def test_one_second_after_the_deadline_is_late(board_meeting: Meeting) -> None:
    deadline = board_meeting.starts_at - datetime.timedelta(days=7)
    with pytest.raises(ValidationError, match="Late convocation"):
        actions.convene(None, meeting=board_meeting, now=deadline + datetime.timedelta(seconds=1))


def test_the_general_assembly_needs_15_days_notice_by_default(assembly: Body) -> None:
    kind = actions.add_meeting_kind(
        None, body=assembly, code="ago", name="AG ordinaire", category="general_assembly"
    )
    assert kind.notice_days == 15


# M5 minutes


def test_minutes_are_drafted_from_the_agenda_approved_later_then_locked(
    board_meeting: Meeting, board_meeting_kind: MeetingKind, directors: list[Mandate]
) -> None:
    item = actions.add_to_agenda(
        None, meeting=board_meeting, title="Budget 2025", purpose="decision"
    )
    actions.record_outcome(
        None, meeting=board_meeting, item=item, kind="note", text="The budget is presented."
    )
    actions.declare_conflict(directors[0].person, item=item, justification="Supplier.")
    minutes = actions.draft_minutes(None, meeting=board_meeting)
    section = minutes.sections.get()
    assert section.heading == "Budget 2025"
    assert "The budget is presented." in section.text and "conflict of interest" in section.text
    actions.edit_minutes(None, section=section, text=section.text + "\n\nAdopted.")
    earlier = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Earlier",
        starts_at=at(2024, 1, 9),
        ends_at=at(2024, 1, 9, 21),
    )
    with pytest.raises(ValidationError, match="later meeting"):
        actions.approve_minutes(None, minutes=minutes, at=earlier)
    later = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Next",
        starts_at=at(2024, 5, 14),
        ends_at=at(2024, 5, 14, 21),
    )
    actions.approve_minutes(None, minutes=minutes, at=later)
    assert minutes.is_locked and minutes.approved_on == datetime.date(2024, 5, 14)
    with pytest.raises(ValidationError, match="locked"):
        actions.edit_minutes(None, section=section, text="rewritten")
    with pytest.raises(ValidationError, match="erratum"):
        actions.record_outcome(None, meeting=board_meeting, kind="note", text="late note")
    erratum = actions.add_erratum(
        None, minutes=minutes, text="Read 2025 instead of 2024 in item 1."
    )
    assert erratum.recorded_on is not None
    assert Minutes.objects.get(pk=minutes.pk).sections.get().text.endswith("Adopted.")


def test_minutes_are_approved_only_by_the_same_body(board_meeting: Meeting, assembly: Body) -> None:
    minutes = actions.draft_minutes(None, meeting=board_meeting)
    kind = actions.add_meeting_kind(
        None, body=assembly, code="ago", name="AG", category="general_assembly"
    )
    other = actions.schedule_meeting(
        None, kind=kind, title="AG", starts_at=at(2024, 6, 18), ends_at=at(2024, 6, 18, 21)
    )
    with pytest.raises(ValidationError, match="same body"):
        actions.approve_minutes(None, minutes=minutes, at=other)
    with pytest.raises(ValidationError, match="Draft minutes"):
        actions.add_erratum(None, minutes=minutes, text="x")


# Planning


def test_a_series_every_two_months_can_be_moved_one_by_one(board_meeting_kind: MeetingKind) -> None:
    series = actions.plan_series(
        None,
        kind=board_meeting_kind,
        title="Conseil d'administration",
        first_starts_at=at(2023, 1, 10),
        duration=datetime.timedelta(hours=3),
        every_months=2,
        count=6,
    )
    months = [m.starts_at.astimezone().month for m in series.meetings.order_by("starts_at")]
    assert months == [1, 3, 5, 7, 9, 11]
    second = series.meetings.order_by("starts_at")[1]
    actions.move_meeting(
        None, meeting=second, starts_at=at(2023, 3, 14), ends_at=at(2023, 3, 14, 21)
    )
    assert series.meetings.order_by("starts_at")[1].starts_at == at(2023, 3, 14)


def test_proposals_wait_for_the_chair(board_meeting: Meeting, directors: list[Mandate]) -> None:
    item = actions.add_to_agenda(
        directors[2].person,
        meeting=board_meeting,
        title="Coworking in Liège",
        purpose="discussion",
        proposed=True,
    )
    assert item.status == AgendaItem.Status.PROPOSED and item.proposed_by == directors[2].person
    actions.decide_on_proposal(None, item=item, accept=False)
    assert item.status == AgendaItem.Status.DECLINED
    with pytest.raises(ValidationError, match="not a proposal"):
        actions.decide_on_proposal(None, item=item, accept=True)


def test_a_conflict_needs_a_justification_and_an_invitee(
    board_meeting: Meeting, directors: list[Mandate], org: Organisation
) -> None:
    item = actions.add_to_agenda(None, meeting=board_meeting, title="x", purpose="decision")
    with pytest.raises(ValidationError) as error:
        actions.declare_conflict(directors[0].person, item=item, justification=" ")
    assert "justification" in error.value.message_dict
    with pytest.raises(ValidationError, match="Only someone invited"):
        actions.declare_conflict(make_person(org), item=item, justification="Because.")


def test_sessions_stay_within_their_meeting(seminar: Meeting) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_session(
            None,
            meeting=seminar,
            starts_at=at(2024, 1, 26, 9),
            ends_at=at(2024, 1, 26, 10),
            kind="plenary",
            title="Too late",
        )
    assert "starts_at" in error.value.message_dict
    session = actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 16),
        ends_at=at(2024, 1, 24, 17),
        kind="guest_talk",
        title="Accompanying activities over time",
        speakers=[("Lucie Martin", "Terre Commune, Lyon")],
    )
    assert session.speakers.get().guest_organisation == "Terre Commune, Lyon"


def test_an_item_of_a_session_joins_that_sessions_items_in_the_agenda(seminar: Meeting) -> None:
    morning, afternoon = (
        actions.add_session(
            None,
            meeting=seminar,
            starts_at=at(2024, 1, 24, hour),
            ends_at=at(2024, 1, 24, hour + 2),
            kind=kind,
            title=title,
        )
        for hour, kind, title in ((9, "news_round", "News"), (14, "workshop", "Workshop"))
    )
    actions.add_to_agenda(None, meeting=seminar, title="Welcome", purpose="information")
    actions.add_to_agenda(
        None, meeting=seminar, title="Design", purpose="workshop", session=afternoon
    )
    for title in ("Finance", "HR"):  # added last, placed before the afternoon's items
        actions.add_to_agenda(
            None, meeting=seminar, title=title, purpose="information", session=morning
        )
    actions.add_to_agenda(None, meeting=seminar, title="Closing", purpose="information")
    assert [(i.position, i.title) for i in seminar.items.order_by("position")] == [
        (1, "Welcome"),
        (2, "Finance"),
        (3, "HR"),
        (4, "Design"),
        (5, "Closing"),
    ]


def test_a_convocation_recorded_without_notifying_sends_nothing(
    board_meeting: Meeting, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 1, 9), notify=False)
    assert callbacks == [] and board_meeting.convened_at is not None


def test_minutes_gather_the_outcomes_of_sessions_and_of_the_meeting(seminar: Meeting) -> None:
    session = actions.add_session(
        None,
        meeting=seminar,
        starts_at=at(2024, 1, 24, 9),
        ends_at=at(2024, 1, 24, 12),
        kind="strategy",
        title="Strategy work session",
    )
    actions.record_outcome(
        None, meeting=seminar, session=session, kind="orientation", text="Narrow the plan."
    )
    actions.record_outcome(None, meeting=seminar, kind="note", text="Thanks to the Charleroi team.")
    minutes = actions.draft_minutes(None, meeting=seminar)
    assert [(s.heading, s.text) for s in minutes.sections.all()] == [
        ("Strategy work session", "Narrow the plan."),
        ("Other outcomes", "Thanks to the Charleroi team."),
    ]


def test_recurring_items_prefill_the_agenda_of_their_period(
    board_meeting_kind: MeetingKind,
) -> None:
    actions.add_recurring_item(
        None, kind=board_meeting_kind, title="Budget", purpose="decision", months=[11, 12]
    )
    actions.add_recurring_item(
        None, kind=board_meeting_kind, title="Comptes annuels", purpose="decision", months=[3, 4]
    )
    november = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Nov",
        starts_at=at(2024, 11, 12),
        ends_at=at(2024, 11, 12, 21),
    )
    march = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Mar",
        starts_at=at(2025, 3, 11),
        ends_at=at(2025, 3, 11, 21),
    )
    assert list(november.items.values_list("title", flat=True)) == ["Budget"]
    assert list(march.items.values_list("title", flat=True)) == ["Comptes annuels"]
    later = actions.add_to_agenda(None, meeting=november, title="Other", purpose="discussion")
    assert later.position == 2


def test_a_recurring_decision_is_refused_for_seminars(seminar_kind: MeetingKind) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_recurring_item(
            None, kind=seminar_kind, title="Budget", purpose="decision", months=[1]
        )
    assert "purpose" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.add_recurring_item(
            None, kind=seminar_kind, title="x", purpose="discussion", months=[13]
        )
    assert "months" in error.value.message_dict
