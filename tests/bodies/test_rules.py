"""B1 to B3: seat rules as data, enforced on appointment with a message naming the rule."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Mandate, SeatRule
from coopgov.bodies.rules import composition, rule_report
from coopgov.core import actions as core_actions
from coopgov.core.models import Event, MemberCategory, Organisation, Person
from tests.bodies.conftest import JUNE_2023, group, seat
from tests.conftest import make_member, make_person

F, M = Person.Gender.FEMALE, Person.Gender.MALE


def test_a_mandate_gets_the_term_of_the_rule_and_an_audit_event(
    board: Body, category_a: MemberCategory
) -> None:
    mandate = seat(board, category_a)
    assert mandate.end == datetime.date(2027, 6, 20) == mandate.term_end
    assert mandate.term_number == 1
    event = Event.objects.get(action="bodies.mandate.appointed")
    assert event.data["term"] == 1 and event.data["warnings"] == []


def test_the_seat_rule_refuses_inconsistent_numbers(board: Body) -> None:
    with pytest.raises(ValidationError, match="maximum of seats"):
        actions.set_seat_rule(None, body=board, min_seats=10, max_seats=5)
    with pytest.raises(ValidationError, match="cannot exceed half"):
        actions.set_seat_rule(None, body=board, min_gender_share=60)
    assert SeatRule.objects.get(body=board).max_seats == 15


def test_seat_groups_cannot_hold_more_than_the_body(
    board: Body, category_a: MemberCategory
) -> None:
    with pytest.raises(ValidationError, match="seat groups"):
        actions.set_seat_rule(None, body=board, groups=[("A", 16, [category_a])], max_seats=15)


def test_quota_refuses_a_member_of_the_wrong_category(
    board: Body, category_b: MemberCategory
) -> None:
    with pytest.raises(
        ValidationError, match="Category quota: seats A are for members of categories A"
    ):
        seat(board, category_b, group_name="A")
    assert not Mandate.objects.exists()


def test_quota_refuses_one_seat_too_many_in_a_group(
    board: Body, category_b: MemberCategory, category_c: MemberCategory
) -> None:
    for index in range(4):
        seat(
            board,
            category_b if index % 2 else category_c,
            group_name="B/C",
            gender=F if index % 2 else M,
        )
    with pytest.raises(ValidationError, match="seats B/C would hold 5 members"):
        seat(board, category_b, group_name="B/C")


def test_a_seat_group_is_required_when_the_body_has_quotas(
    board: Body, org: Organisation, category_a: MemberCategory
) -> None:
    person = make_person(org)
    make_member(org, category_a, person)
    with pytest.raises(ValidationError) as error:
        actions.appoint(None, body=board, person=person, start=JUNE_2023, origin="elected")
    assert "seat_group" in error.value.message_dict


def test_gender_balance_keeps_room_for_the_other_gender(
    board: Body, category_a: MemberCategory
) -> None:
    # 15 seats at 40 %: each gender needs 6 seats, so one gender can hold at most 9.
    for _ in range(9):
        seat(board, category_a, gender=M)
    with pytest.raises(
        ValidationError, match="Gender balance: 10 seats of 15 would go to one gender"
    ):
        seat(board, category_a, gender=M)
    seat(board, category_a, gender=F)  # the other gender is still welcome


def test_people_who_did_not_declare_a_gender_do_not_count_for_either(
    board: Body, category_a: MemberCategory
) -> None:
    for _ in range(9):
        seat(board, category_a, gender=M)
    seat(board, category_a, gender=Person.Gender.NOT_DECLARED)


def test_the_size_rule_refuses_a_sixteenth_director(
    board: Body, category_a: MemberCategory, category_b: MemberCategory, admin_person: Person
) -> None:
    actions.set_seat_rule(None, body=board, gender_enforcement="warn")
    for index in range(11):
        seat(board, category_a, gender=F if index % 2 else M)
    for index in range(4):
        seat(board, category_b, group_name="B/C", gender=F if index % 2 else M)
    with pytest.raises(ValidationError, match="Seats: the body would have 16 members"):
        seat(board, category_a)


def test_a_rule_set_to_warn_lets_the_appointment_through_and_says_why(
    board: Body, category_b: MemberCategory
) -> None:
    actions.set_seat_rule(None, body=board, quota_enforcement="warn")
    mandate = seat(board, category_b, group_name="A")
    event = Event.objects.get(action="bodies.mandate.appointed", target_id=str(mandate.pk))
    assert event.data["warnings"] == ["Category quota: seats A are for members of categories A."]


def test_the_term_limit_refuses_a_third_consecutive_term(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a, start=datetime.date(2015, 6, 16))
    second, _ = actions.renew(None, mandate=first)
    assert (second.start, second.term_number, second.renews) == (first.end, 2, first)
    with pytest.raises(
        ValidationError, match="Term limit: .* consecutive term 3; the rule allows 2"
    ):
        actions.renew(None, mandate=second)


def test_a_term_after_a_break_starts_the_count_again(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a, start=datetime.date(2015, 6, 16))
    again, _ = actions.appoint(
        None,
        body=board,
        person=first.person,
        start=datetime.date(2020, 6, 16),
        origin="elected",
        seat_group=group(board, "A"),
    )
    assert again.term_number == 1


def test_a_contiguous_new_election_counts_as_a_consecutive_term(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a, start=datetime.date(2015, 6, 16))
    second, _ = actions.renew(None, mandate=first)
    assert second.end is not None
    with pytest.raises(ValidationError, match="Term limit"):
        actions.appoint(
            None,
            body=board,
            person=first.person,
            start=second.end,
            origin="elected",
            seat_group=group(board, "A"),
        )


def test_advisory_seats_are_limited_and_never_count_as_members(
    board: Body, org: Organisation, category_a: MemberCategory
) -> None:
    observers = [make_person(org) for _ in range(3)]
    for person in observers[:2]:
        actions.appoint(
            None,
            body=board,
            person=person,
            start=JUNE_2023,
            origin="social_elections",
            role=Mandate.Role.ADVISORY_OBSERVER,
        )
    with pytest.raises(ValidationError, match="Advisory seats: 3 observers"):
        actions.appoint(
            None,
            body=board,
            person=observers[2],
            start=JUNE_2023,
            origin="social_elections",
            role=Mandate.Role.ADVISORY_OBSERVER,
        )
    seat(board, category_a)
    comp = composition(board, JUNE_2023)
    assert (comp.filled, len(comp.observers), comp.quorum) == (1, 2, 1)


def test_rules_are_checked_whenever_the_body_changes_during_the_new_mandate(
    board: Body, category_b: MemberCategory, category_c: MemberCategory
) -> None:
    # Four B/C seats are taken from 2024; a mandate starting in 2023 would be the fifth then.
    for index in range(4):
        seat(
            board,
            category_b,
            group_name="B/C",
            gender=F if index % 2 else M,
            start=datetime.date(2024, 6, 18),
        )
    with pytest.raises(ValidationError, match="on 06/18/2024"):
        seat(board, category_c, group_name="B/C", start=JUNE_2023)


def test_the_rule_report_says_what_holds_and_what_would_fix_a_breach(
    board: Body, category_a: MemberCategory
) -> None:
    actions.set_seat_rule(None, body=board, gender_enforcement="warn")
    for _ in range(4):
        seat(board, category_a, gender=M)
    seat(board, category_a, gender=F)
    report = {
        f.rule + (":" + f.message.split(":")[0] if f.rule == "gender" else ""): f
        for f in rule_report(composition(board, JUNE_2023))
    }
    assert report["size"].ok
    women = report["gender:Woman"]
    assert not women.ok and women.enforcement == "warn"
    assert women.fix == "Give the next 5 seats to: Woman."
    assert report["gender:Man"].ok
    assert report["term"].ok


def test_quorum_is_a_majority_of_the_seats_filled(board: Body) -> None:
    rule = SeatRule.objects.get(body=board)
    assert [rule.quorum_for(n) for n in (15, 14, 1)] == [8, 8, 1]
    rule.quorum_base = SeatRule.QuorumBase.TOTAL
    assert rule.quorum_for(10) == 8


def test_legal_person_seats_are_limited(
    board: Body, org: Organisation, category_c: MemberCategory
) -> None:
    def legal_seat(index: int) -> Mandate:
        representative = make_person(org, gender=F if index % 2 else M)
        legal = core_actions.admit_member(
            None,
            organisation=org,
            category=category_c,
            admission_date=datetime.date(2020, 1, 1),
            legal_name=f"Partner {index}",
            representative=representative,
        )
        mandate, _warnings = actions.appoint(
            None,
            body=board,
            person=representative,
            legal_member=legal,
            start=JUNE_2023,
            origin="elected",
            seat_group=group(board, "B/C"),
        )
        return mandate

    legal_seat(0)
    legal_seat(1)
    with pytest.raises(ValidationError, match="Legal persons: 3 would sit"):
        legal_seat(2)


def test_a_seat_group_with_mandates_cannot_be_removed(
    board: Body, category_a: MemberCategory
) -> None:
    seat(board, category_a)
    with pytest.raises(ValidationError, match="cannot be removed"):
        actions.set_seat_rule(None, body=board, groups=[("B/C", 4, [])])
    assert group(board, "A").seats == 11


def test_seats_are_filled_only_by_the_body_s_selection_modes(
    board: Body, org: Organisation, category_a: MemberCategory
) -> None:
    person = make_person(org)
    make_member(org, category_a, person)
    with pytest.raises(
        ValidationError, match="Selection: the seats of this body are filled this way only"
    ):
        actions.appoint(
            None,
            body=board,
            person=person,
            start=JUNE_2023,
            origin="drawn_by_lot",
            seat_group=group(board, "A"),
        )
    # Observers come from elsewhere (the works council): the selection modes are for seats.
    actions.appoint(
        None,
        body=board,
        person=make_person(org),
        start=JUNE_2023,
        origin="social_elections",
        role=Mandate.Role.ADVISORY_OBSERVER,
    )
