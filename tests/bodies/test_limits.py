"""Limits that hold under concurrency (issue 13): one mandate per holder and body at a time,
terms filled in out of order, the body lock taken by every action that changes mandates, and
the database's refusals turned into the rule's message. The races themselves are in
tests/reliability/test_races.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test import Client

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core import actions as core_actions
from coopgov.core.integrity import refusing_violations
from coopgov.core.models import Member, MemberCategory, Organisation, Person
from tests.bodies.conftest import JUNE_2023, group, seat
from tests.conftest import in_english, login, make_member, make_person

D = datetime.date
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no exclusion constraints"
)


def elect(board: Body, person: Person, start: datetime.date, **fields: Any) -> Mandate:
    mandate, _warnings = actions.appoint(
        None,
        body=board,
        person=person,
        start=start,
        origin="elected",
        seat_group=fields.pop("seat_group", group(board, "A")),
        **fields,
    )
    return mandate


def test_one_mandate_at_a_time_refuses_an_overlapping_mandate_of_the_same_person(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a)
    with pytest.raises(
        ValidationError,
        match=(
            f"One mandate at a time: {first.person.full_name} already holds a mandate on this "
            "body from 06/20/2023; it ends on 06/20/2027."
        ),
    ):
        elect(board, first.person, D(2025, 1, 1))
    assert Mandate.objects.filter(person=first.person).count() == 1


def test_an_open_ended_mandate_is_named_as_such(org: Organisation) -> None:
    team = actions.create_body(
        None, organisation=org, code="direction", name="Direction", kind="management_team"
    )
    person = make_person(org)
    actions.appoint(None, body=team, person=person, start=D(2022, 1, 1), origin="ex_officio")
    with pytest.raises(ValidationError, match="from 01/01/2022, with no end date"):
        actions.appoint(None, body=team, person=person, start=D(2030, 1, 1), origin="ex_officio")


def test_an_observer_cannot_also_hold_a_seat_of_the_same_body(
    board: Body, org: Organisation, category_b: MemberCategory
) -> None:
    person = make_person(org)
    make_member(org, category_b, person)
    actions.appoint(
        None,
        body=board,
        person=person,
        start=JUNE_2023,
        origin="social_elections",
        role=Mandate.Role.ADVISORY_OBSERVER,
    )
    with pytest.raises(ValidationError, match="One mandate at a time"):
        elect(board, person, D(2024, 6, 18), seat_group=group(board, "B/C"))


def test_a_mandate_starting_the_day_another_ends_does_not_overlap_it(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a, start=D(2015, 6, 16))
    second, _ = actions.renew(None, mandate=first)
    assert second.start == first.end  # the end is the first day without the mandate
    actions.end_mandate(None, mandate=second, on=D(2020, 1, 1), reason="resigned")
    # Elected again that very day: no overlap, but a third term in a row.
    with pytest.raises(ValidationError, match="Term limit"):
        elect(board, first.person, D(2020, 1, 1))


def test_a_legal_person_holds_one_mandate_at_a_time_whoever_represents_it(
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
    elect(board, first, JUNE_2023, legal_member=partner, seat_group=group(board, "B/C"))
    with pytest.raises(
        ValidationError, match=r"One mandate at a time: Vélo Solidaire ASBL \(.*\) already holds"
    ):
        elect(board, second, D(2024, 1, 1), legal_member=partner, seat_group=group(board, "B/C"))
    # The representative's own seat is another holder's: not this rule's to refuse.
    make_member(org, category_c, second)
    elect(board, second, D(2024, 1, 1), seat_group=group(board, "B/C"))
    assert Member.objects.get(pk=partner.pk).mandates.count() == 1


def test_a_term_filled_in_before_a_later_one_counts_toward_the_limit(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a, start=D(2015, 6, 16))
    assert first.end == D(2019, 6, 16)
    elect(board, first.person, D(2023, 6, 16))  # a gap of four years, for now
    with pytest.raises(
        ValidationError,
        match="Term limit: with this mandate .* would serve 3 consecutive terms; the rule allows 2",
    ):
        actions.renew(None, mandate=first)


def test_a_term_filled_in_before_a_later_one_renumbers_the_later_one(
    board: Body, category_a: MemberCategory
) -> None:
    actions.set_seat_rule(None, body=board, max_consecutive_terms=3)
    first = seat(board, category_a, start=D(2015, 6, 16))
    later = elect(board, first.person, D(2023, 6, 16))
    assert later.term_number == 1
    middle, _ = actions.renew(None, mandate=first)
    later.refresh_from_db()
    assert (middle.term_number, later.term_number, later.renews) == (2, 3, middle)


def test_a_renewal_is_made_once(board: Body, category_a: MemberCategory) -> None:
    first = seat(board, category_a, start=D(2015, 6, 16))
    actions.renew(None, mandate=first)
    stale = Mandate.objects.get(pk=first.pk)  # read before, as a second request would
    with pytest.raises(ValidationError, match="already renewed"):
        actions.renew(None, mandate=stale)


def test_a_seat_is_co_opted_once(
    board: Body, org: Organisation, category_a: MemberCategory
) -> None:
    leaving = seat(board, category_a, start=D(2022, 6, 21))
    stale = Mandate.objects.get(pk=leaving.pk)
    actions.end_mandate(None, mandate=leaving, on=D(2024, 11, 30), reason="resigned")
    first, second = make_person(org), make_person(org)
    for person in (first, second):
        make_member(org, category_a, person)
    actions.co_opt(None, vacated=leaving, person=first, start=D(2024, 12, 10))
    stale.end, stale.end_reason = leaving.end, leaving.end_reason
    with pytest.raises(ValidationError, match="already been filled"):
        actions.co_opt(None, vacated=stale, person=second, start=D(2024, 12, 10))


def test_a_mandate_read_before_it_ended_is_not_ended_twice(
    board: Body, category_a: MemberCategory
) -> None:
    mandate = seat(board, category_a)
    stale = Mandate.objects.get(pk=mandate.pk)
    actions.end_mandate(None, mandate=mandate, on=D(2024, 1, 1), reason="resigned")
    with pytest.raises(ValidationError, match="already ended"):
        actions.end_mandate(None, mandate=stale, on=D(2025, 1, 1), reason="revoked")


def test_every_action_that_changes_mandates_or_their_rules_locks_the_body(
    board: Body,
    assembly: Body,
    org: Organisation,
    category_a: MemberCategory,
    category_c: MemberCategory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    lock_body = actions.lock_body

    def spy(body: Body) -> Body:
        calls.append(body.code)
        return lock_body(body)

    monkeypatch.setattr(actions, "lock_body", spy)

    def locks(action: Any, *args: Any, **kwargs: Any) -> Any:
        calls.clear()
        result = action(*args, **kwargs)
        assert calls and set(calls) == {"ca"}, action.__name__
        return result

    first = locks(seat, board, category_a, start=D(2015, 6, 16))
    locks(actions.renew, None, mandate=first)
    leaving = locks(seat, board, category_a, start=D(2022, 6, 21))
    locks(actions.end_mandate, None, mandate=leaving, on=D(2024, 11, 30), reason="resigned")
    newcomer = make_person(org)
    make_member(org, category_a, newcomer)
    coopted, _ = locks(
        actions.co_opt, None, vacated=leaving, person=newcomer, start=D(2024, 12, 10)
    )
    locks(actions.confirm_cooptation, None, confirmation=coopted.confirmation, on=D(2025, 6, 17))
    partner = core_actions.admit_member(
        None,
        organisation=org,
        category=category_c,
        admission_date=D(2020, 1, 1),
        legal_name="Vélo Solidaire ASBL",
        representative=make_person(org),
    )
    legal = locks(
        elect,
        board,
        make_person(org),
        JUNE_2023,
        legal_member=partner,
        seat_group=group(board, "B/C"),
    )
    locks(
        actions.change_representative,
        None,
        mandate=legal,
        person=make_person(org),
        since=D(2024, 1, 1),
    )
    modes = ["elected", "co_opted", "drawn_by_lot"]
    locks(actions.set_seat_rule, None, body=board, selection_modes=modes)
    eligible = [make_member(org, category_a) for _index in range(3)]
    locks(
        actions.draw_by_lot,
        None,
        body=board,
        seats=1,
        eligible=Member.objects.filter(pk__in=[m.pk for m in eligible]).select_related(
            "person", "category"
        ),
        pool_description="test",
        start=JUNE_2023,
        seed="limits",
    )


def test_a_constraint_s_refusal_becomes_its_rule_s_message(org: Organisation) -> None:
    actions.create_body(None, organisation=org, code="ca", name="Conseil", kind="board")
    with pytest.raises(ValidationError) as error, refusing_violations(Body):
        Body.objects.create(organisation=org, code="ca", name="Encore", kind="board")
    assert error.value.messages == ["Another body of this organisation has this code."]
    assert Body.objects.filter(organisation=org).count() == 1  # and the transaction goes on


def test_a_refusal_that_names_no_rule_stays_an_integrity_error(org: Organisation) -> None:
    actions.create_body(None, organisation=org, code="ca", name="Conseil", kind="board")
    with pytest.raises(IntegrityError), refusing_violations(Mandate):  # not Body's constraints
        Body.objects.create(organisation=org, code="ca", name="Encore", kind="board")


@postgres_only
def test_the_database_refuses_overlapping_mandates_with_the_rule_s_message(
    board: Body, category_a: MemberCategory
) -> None:
    first = seat(board, category_a)
    overlapping = Mandate(
        organisation=first.organisation,
        body=board,
        person=first.person,
        start=D(2024, 1, 1),
        origin="elected",
    )
    with pytest.raises(ValidationError) as error, refusing_violations(Mandate):
        overlapping.save()  # past every check, as a concurrent request would be
    assert error.value.messages == [
        "One mandate at a time: this person already holds a mandate on this body during that "
        "period."
    ]
    # Adjacent periods do not overlap: the end is the first day without the mandate.
    assert first.end is not None
    with refusing_violations(Mandate):
        Mandate.objects.create(
            organisation=first.organisation,
            body=board,
            person=first.person,
            start=first.end,
            origin="elected",
        )


def test_the_api_answers_an_overlapping_appointment_with_the_rule_not_a_500(
    client: Client, org: Organisation, board: Body, category_a: MemberCategory, secretariat: Person
) -> None:
    first = seat(board, category_a)
    in_english(login(client, secretariat))
    response = client.post(
        f"/api/v1/organisations/{org.code}/bodies/ca/mandates",
        {
            "person": str(first.person.code),
            "start": "2024-01-01",
            "origin": "elected",
            "seat_group": "A",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("One mandate at a time:")
