"""B2 composition at any date, B4 co-optation, B5 representatives, B6 delegated management."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Confirmation, Mandate
from coopgov.bodies.rules import composition
from coopgov.core import actions as core_actions
from coopgov.core.models import Event, MemberCategory, Organisation
from tests.bodies.conftest import JUNE_2023, group, seat
from tests.conftest import make_member, make_person

D = datetime.date


def names(body: Body, day: datetime.date) -> set[str]:
    return {m.person.full_name for m in composition(body, day).members}


def test_the_composition_at_any_past_date_follows_the_mandates(
    board: Body, category_a: MemberCategory, org: Organisation
) -> None:
    alice = seat(board, category_a, start=D(2019, 6, 18), gender="female")
    bruno = seat(board, category_a, start=D(2019, 6, 18), gender="male")
    chloe = seat(board, category_a, start=D(2021, 6, 15), gender="female")
    # Bruno resigns in November 2021; Dan is co-opted in December, confirmed in June 2022.
    actions.end_mandate(None, mandate=bruno, on=D(2021, 11, 30), reason="resigned")
    dan = make_person(org, first_name="Dan", gender="male")
    make_member(org, category_a, dan)
    coopted, _ = actions.co_opt(None, vacated=bruno, person=dan, start=D(2021, 12, 14))
    actions.confirm_cooptation(None, confirmation=coopted.confirmation, on=D(2022, 6, 21))
    # Alice is re-elected at the end of her first term.
    renewed, _ = actions.renew(None, mandate=alice)

    assert names(board, D(2019, 6, 17)) == set()
    assert names(board, D(2020, 1, 1)) == {alice.person.full_name, bruno.person.full_name}
    assert names(board, D(2021, 11, 29)) == {
        alice.person.full_name,
        bruno.person.full_name,
        chloe.person.full_name,
    }
    assert names(board, D(2021, 11, 30)) == {alice.person.full_name, chloe.person.full_name}
    assert names(board, D(2021, 12, 14)) == {
        alice.person.full_name,
        chloe.person.full_name,
        "Dan " + dan.last_name,
    }
    assert names(board, D(2023, 6, 18)) == {
        alice.person.full_name,
        chloe.person.full_name,
    }  # Dan's seat ran to Bruno's term
    assert names(board, D(2024, 1, 1)) == {alice.person.full_name, chloe.person.full_name}
    assert renewed.term_number == 2 and renewed.start == D(2023, 6, 18)
    assert composition(board, D(2020, 1, 1)).vacancies == 13


def test_co_optation_fills_the_seat_until_the_predecessor_s_term_and_awaits_the_assembly(
    board: Body, assembly: Body, category_a: MemberCategory, org: Organisation
) -> None:
    leaving = seat(board, category_a, start=D(2022, 6, 21))
    actions.end_mandate(None, mandate=leaving, on=D(2024, 11, 30), reason="resigned")
    newcomer = make_person(org)
    make_member(org, category_a, newcomer)
    mandate, _ = actions.co_opt(None, vacated=leaving, person=newcomer, start=D(2024, 12, 10))
    assert mandate.origin == Mandate.Origin.CO_OPTED
    assert mandate.seat_group == leaving.seat_group
    assert mandate.end == leaving.term_end == D(2026, 6, 21)
    assert mandate.replaces == leaving
    confirmation = Confirmation.objects.get(mandate=mandate)
    assert (confirmation.assembly, confirmation.due_by, confirmation.status) == (
        assembly,
        D(2027, 6, 15),
        Confirmation.Status.PENDING,
    )
    assert Event.objects.filter(action="bodies.cooptation.awaiting_confirmation").exists()


def test_co_optation_keeps_the_category_of_the_vacant_seat(
    board: Body, category_a: MemberCategory, category_b: MemberCategory, org: Organisation
) -> None:
    leaving = seat(board, category_a)
    actions.end_mandate(None, mandate=leaving, on=D(2024, 1, 31), reason="resigned")
    staff = make_person(org)
    make_member(org, category_b, staff)
    with pytest.raises(ValidationError, match="Category quota: seats A"):
        actions.co_opt(None, vacated=leaving, person=staff, start=D(2024, 2, 15))


def test_co_optation_needs_a_vacated_seat_with_term_left(
    board: Body, category_a: MemberCategory, org: Organisation
) -> None:
    running = seat(board, category_a)
    person = make_person(org)
    make_member(org, category_a, person)
    with pytest.raises(ValidationError, match="end the predecessor"):
        actions.co_opt(None, vacated=running, person=person, start=D(2024, 2, 1))
    actions.end_mandate(None, mandate=running, on=D(2024, 1, 31), reason="resigned")
    with pytest.raises(ValidationError, match="term is over"):
        actions.co_opt(None, vacated=running, person=person, start=D(2027, 6, 20))
    actions.co_opt(None, vacated=running, person=person, start=D(2024, 2, 1))
    other = make_person(org)
    make_member(org, category_a, other)
    with pytest.raises(ValidationError, match="already been filled"):
        actions.co_opt(None, vacated=running, person=other, start=D(2024, 3, 1))


def test_an_unconfirmed_co_optation_ends_that_day_and_earlier_acts_stay(
    board: Body, category_a: MemberCategory, org: Organisation
) -> None:
    leaving = seat(board, category_a)
    actions.end_mandate(None, mandate=leaving, on=D(2024, 1, 31), reason="resigned")
    person = make_person(org)
    make_member(org, category_a, person)
    mandate, _ = actions.co_opt(None, vacated=leaving, person=person, start=D(2024, 2, 15))
    actions.reject_cooptation(None, confirmation=mandate.confirmation, on=D(2024, 6, 18))
    mandate.refresh_from_db()
    assert (mandate.end, mandate.end_reason) == (D(2024, 6, 18), Mandate.EndReason.NOT_CONFIRMED)
    assert mandate.is_active_on(D(2024, 6, 17)) and not mandate.is_active_on(D(2024, 6, 18))
    with pytest.raises(ValidationError, match="already decided"):
        actions.confirm_cooptation(None, confirmation=mandate.confirmation, on=D(2024, 6, 18))
    # The seat can be co-opted again after a rejection.
    again = make_person(org)
    make_member(org, category_a, again)
    actions.co_opt(None, vacated=leaving, person=again, start=D(2024, 7, 1))


def test_ending_a_mandate_names_the_problem(board: Body, category_a: MemberCategory) -> None:
    mandate = seat(board, category_a)
    with pytest.raises(ValidationError) as error:
        actions.end_mandate(None, mandate=mandate, on=JUNE_2023, reason="resigned")
    assert "on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.end_mandate(None, mandate=mandate, on=D(2030, 1, 1), reason="resigned")
    assert "on" in error.value.message_dict
    for reason in ("not_confirmed", "term_expired"):
        with pytest.raises(ValidationError) as error:
            actions.end_mandate(None, mandate=mandate, on=D(2024, 1, 1), reason=reason)
        assert "reason" in error.value.message_dict
    actions.end_mandate(None, mandate=mandate, on=D(2024, 1, 1), reason="deceased")
    with pytest.raises(ValidationError, match="already ended"):
        actions.end_mandate(None, mandate=mandate, on=D(2024, 1, 1), reason="resigned")


def test_a_legal_person_changes_its_representative_from_a_date(
    board: Body, org: Organisation, category_c: MemberCategory
) -> None:
    first, second = make_person(org), make_person(org)
    partner = core_actions.admit_member(
        None,
        organisation=org,
        category=category_c,
        admission_date=D(2020, 1, 1),
        legal_name="Vélo Solidaire ASBL",
        representative=first,
    )
    mandate, _ = actions.appoint(
        None,
        body=board,
        person=first,
        legal_member=partner,
        start=JUNE_2023,
        origin="elected",
        seat_group=group(board, "B/C"),
    )
    actions.change_representative(None, mandate=mandate, person=second, since=D(2024, 3, 1))
    assert actions.representative_on(mandate, D(2024, 2, 29)) == first
    assert actions.representative_on(mandate, D(2024, 3, 1)) == second
    assert mandate.holder_name == f"Vélo Solidaire ASBL ({second.full_name})"
    event = Event.objects.get(action="bodies.mandate.representative_changed")
    assert event.data["since"] == "2024-03-01"
    with pytest.raises(ValidationError) as error:
        actions.change_representative(None, mandate=mandate, person=first, since=D(2024, 1, 1))
    assert "since" in error.value.message_dict


def test_only_legal_person_holders_have_representatives(
    board: Body, category_a: MemberCategory, org: Organisation
) -> None:
    mandate = seat(board, category_a)
    with pytest.raises(ValidationError, match="legal-person holder"):
        actions.change_representative(
            None, mandate=mandate, person=make_person(org), since=D(2024, 1, 1)
        )


@pytest.fixture
def delegated_management(org: Organisation, board: Body) -> Body:
    body = actions.create_body(
        None,
        organisation=org,
        code="ad",
        name="Administration déléguée",
        kind=Body.Kind.DELEGATED_MANAGEMENT,
        may_decide=False,
    )
    actions.set_seat_rule(None, body=body, max_seats=3, term_years=4, max_consecutive_terms=2)
    actions.relate_bodies(None, source=board, kind="appoints", target=body)
    return body


def test_delegated_management_is_appointed_by_a_board_decision(
    delegated_management: Body, org: Organisation
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.appoint(
            None,
            body=delegated_management,
            person=make_person(org),
            start=D(2022, 3, 1),
            origin="appointed",
            role=Mandate.Role.DELEGATED_MANAGER,
        )
    assert "decision_reference" in error.value.message_dict


def test_co_holders_of_the_delegated_management_end_in_different_years_and_renew_once(
    delegated_management: Body, org: Organisation
) -> None:
    first, _ = actions.appoint(
        None,
        body=delegated_management,
        person=make_person(org),
        start=D(2022, 3, 1),
        origin="appointed",
        role=Mandate.Role.DELEGATED_MANAGER,
        decision_reference="CA-2022-004",
    )
    second, _ = actions.appoint(
        None,
        body=delegated_management,
        person=make_person(org),
        start=D(2024, 3, 1),
        origin="appointed",
        role=Mandate.Role.DELEGATED_MANAGER,
        decision_reference="CA-2024-007",
    )
    assert (first.end, second.end) == (D(2026, 3, 1), D(2028, 3, 1))
    renewed, _ = actions.renew(
        None, mandate=first, origin="appointed", decision_reference="CA-2026-002"
    )
    assert renewed.end == D(2030, 3, 1)
    with pytest.raises(ValidationError, match="Term limit"):
        actions.renew(None, mandate=renewed, origin="appointed", decision_reference="CA-2030-001")


def test_the_board_may_revoke_a_delegated_manager_at_any_time(
    delegated_management: Body, org: Organisation
) -> None:
    manager, _ = actions.appoint(
        None,
        body=delegated_management,
        person=make_person(org),
        start=D(2022, 3, 1),
        origin="appointed",
        role=Mandate.Role.DELEGATED_MANAGER,
        decision_reference="CA-2022-004",
    )
    actions.end_mandate(None, mandate=manager, on=D(2022, 3, 2), reason="revoked")
    assert not manager.is_active_on(D(2022, 3, 2))
    with pytest.raises(ValidationError, match="runs to the end of its term"):
        actions.renew(None, mandate=manager, origin="appointed", decision_reference="CA-2022-010")


def test_a_mandate_runs_from_its_start_to_the_day_before_its_end(
    board: Body, category_a: MemberCategory
) -> None:
    mandate = seat(board, category_a, start=D(2023, 6, 20))
    assert mandate.end == D(2027, 6, 20)
    for day, active in [
        (D(2023, 6, 19), False),
        (D(2023, 6, 20), True),
        (D(2027, 6, 19), True),
        (D(2027, 6, 20), False),
    ]:
        assert mandate.is_active_on(day) is active
        assert Mandate.objects.active_on(day).filter(pk=mandate.pk).exists() is active
    # A successor starting on the end date never overlaps: the seat count stays right.
    successor, _ = actions.renew(None, mandate=mandate)
    assert [m.pk for m in composition(board, D(2027, 6, 20)).members] == [successor.pk]
