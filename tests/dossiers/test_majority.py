"""D4: every majority rule, with abstentions in and out of the base, against an independent count."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopgov.dossiers.majority import MajorityRule, compute


@pytest.mark.parametrize(
    ("rule", "yes", "no", "abstain", "abstentions_count", "adopted"),
    [
        ("simple", 5, 4, 6, False, True),
        ("simple", 4, 4, 0, False, False),
        ("simple", 0, 0, 9, False, False),
        ("absolute", 5, 4, 0, False, True),
        ("absolute", 5, 4, 2, True, False),  # 5 of 11 is not more than half
        ("absolute", 6, 4, 1, True, True),
        ("absolute", 4, 4, 0, False, False),
        ("two_thirds", 10, 5, 0, False, True),
        ("two_thirds", 9, 5, 0, False, False),
        ("two_thirds", 10, 5, 1, True, False),
        ("three_quarters", 9, 3, 0, False, True),
        ("three_quarters", 8, 3, 0, False, False),
        ("three_quarters", 9, 3, 1, True, False),
        ("unanimity", 7, 0, 0, False, True),
        ("unanimity", 7, 0, 1, False, True),  # abstentions out of the base
        ("unanimity", 7, 0, 1, True, False),
        ("unanimity", 7, 1, 0, False, False),
        ("unanimity", 0, 0, 0, False, False),
    ],
)
def test_each_rule_on_examples(
    rule: str, yes: int, no: int, abstain: int, abstentions_count: bool, adopted: bool
) -> None:
    assert (
        compute(rule, yes=yes, no=no, abstain=abstain, abstentions_count=abstentions_count).adopted
        is adopted
    )


def independent(rule: str, yes: int, no: int, abstain: int, abstentions_count: bool) -> bool:
    """A second, deliberately naive count with floats and plain words."""
    base = yes + no + (abstain if abstentions_count else 0)
    if rule == "simple":
        return yes > no
    if rule == "unanimity":
        return base > 0 and no == 0 and (not abstentions_count or abstain == 0) and yes > 0
    share = {"absolute": None, "two_thirds": 2 / 3, "three_quarters": 3 / 4}[rule]
    if share is None:
        return yes > base / 2
    return yes > 0 and yes + 1e-9 >= math.ceil(share * base - 1e-9)


@given(
    rule=st.sampled_from(list(MajorityRule.values)),
    yes=st.integers(0, 60),
    no=st.integers(0, 60),
    abstain=st.integers(0, 60),
    abstentions_count=st.booleans(),
)
def test_the_computation_agrees_with_an_independent_count(
    rule: str, yes: int, no: int, abstain: int, abstentions_count: bool
) -> None:
    result = compute(rule, yes=yes, no=no, abstain=abstain, abstentions_count=abstentions_count)
    assert result.adopted is independent(rule, yes, no, abstain, abstentions_count)
    assert result.base == yes + no + (abstain if abstentions_count else 0)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        compute("simple", yes=-1, no=0, abstain=0)
