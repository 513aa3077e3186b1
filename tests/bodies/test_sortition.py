"""B7: a draw by lot records its pool, strata and seed; anyone can re-run it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Draw, Mandate
from coopgov.core.models import Member, MemberCategory, Organisation, Person
from tests.conftest import make_member, make_person


@pytest.fixture
def ethics(org: Organisation) -> Body:
    body = actions.create_body(
        None,
        organisation=org,
        code="ethique",
        name="Comité d'éthique",
        kind=Body.Kind.COMMITTEE,
        may_decide=False,
    )
    actions.set_seat_rule(None, body=body, max_seats=10, term_years=3, max_consecutive_terms=2)
    return body


@pytest.fixture
def users(org: Organisation, category_a: MemberCategory) -> list[Member]:
    genders = [Person.Gender.FEMALE, Person.Gender.MALE]
    return [
        make_member(org, category_a, make_person(org, gender=genders[index % 2]))
        for index in range(30)
    ]


def test_a_draw_gives_mandates_and_can_be_re_run_by_anyone(
    ethics: Body, users: list[Member]
) -> None:
    draw = actions.draw_by_lot(
        None,
        body=ethics,
        seats=5,
        eligible=users,
        pool_description="admitted category A members",
        start=datetime.date(2023, 1, 1),
        seed="ethics-2023",
    )
    assert len(draw.result) == 5 and len(draw.pool) == 30
    mandates = Mandate.objects.filter(body=ethics)
    assert mandates.count() == 5
    assert {m.origin for m in mandates} == {Mandate.Origin.DRAWN_BY_LOT}
    drawn = set(
        Member.objects.filter(person__mandates__body=ethics).values_list("number", flat=True)
    )
    assert drawn == set(draw.result)
    assert actions.verify_draw(draw)
    # The same pool and seed give the same people; another seed gives others.
    pool = {int(k): v for k, v in draw.pool.items()}
    assert actions.draw_numbers(pool, 5, "ethics-2023") == draw.result
    assert actions.draw_numbers(pool, 5, "another-seed") != draw.result


def test_a_tampered_record_no_longer_verifies(ethics: Body, users: list[Member]) -> None:
    draw = actions.draw_by_lot(
        None,
        body=ethics,
        seats=5,
        eligible=users,
        pool_description="A",
        start=datetime.date(2023, 1, 1),
        seed="ethics-2023",
    )
    draw.result = sorted(draw.pool, key=int)[:5]
    draw.result = [int(n) for n in draw.result]
    assert not actions.verify_draw(draw)


def test_strata_share_the_seats_in_proportion(ethics: Body, users: list[Member]) -> None:
    draw = actions.draw_by_lot(
        None,
        body=ethics,
        seats=4,
        eligible=users,
        pool_description="A",
        stratum="gender",
        start=datetime.date(2023, 1, 1),
        seed="s",
    )
    genders = [draw.pool[str(number)] for number in draw.result]
    assert sorted(genders) == ["female", "female", "male", "male"]


def test_a_draw_larger_than_its_pool_is_refused(ethics: Body, users: list[Member]) -> None:
    with pytest.raises(ValidationError) as error:
        actions.draw_by_lot(
            None,
            body=ethics,
            seats=31,
            eligible=users,
            pool_description="A",
            start=datetime.date(2023, 1, 1),
        )
    assert "seats" in error.value.message_dict
    assert not Draw.objects.exists()


def test_a_draw_that_breaks_a_seat_rule_saves_nothing(ethics: Body, users: list[Member]) -> None:
    actions.set_seat_rule(None, body=ethics, max_seats=3)
    with pytest.raises(ValidationError, match="Seats"):
        actions.draw_by_lot(
            None,
            body=ethics,
            seats=4,
            eligible=users,
            pool_description="A",
            start=datetime.date(2023, 1, 1),
        )
    assert not Draw.objects.exists() and not Mandate.objects.exists()


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 40), min_size=1),
    seats=st.integers(0, 40),
)
def test_allocation_gives_every_seat_and_never_more_than_a_stratum_has(
    sizes: dict[str, int], seats: int
) -> None:
    seats = min(seats, sum(sizes.values()))
    shares = actions.allocate(seats, sizes)
    assert sum(shares.values()) == seats
    for key, size in sizes.items():
        assert 0 <= shares[key] <= size
        exact = seats * size / sum(sizes.values()) if sum(sizes.values()) else 0
        assert abs(shares[key] - exact) < 1
