"""Majority rules as data (D4): the result of a vote is computed, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class MajorityRule(models.TextChoices):
    SIMPLE = "simple", _("Simple majority: more yes than no")
    ABSOLUTE = "absolute", _("Absolute majority: more than half")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority")
    THREE_QUARTERS = "three_quarters", _("Three-quarters majority")
    UNANIMITY = "unanimity", _("Unanimity")


THRESHOLDS: dict[str, Fraction] = {
    MajorityRule.ABSOLUTE: Fraction(1, 2),
    MajorityRule.TWO_THIRDS: Fraction(2, 3),
    MajorityRule.THREE_QUARTERS: Fraction(3, 4),
}


@dataclass(frozen=True)
class Result:
    adopted: bool
    base: int
    needed: int


def compute(
    rule: str, *, yes: int, no: int, abstain: int, abstentions_count: bool = False
) -> Result:
    """Adopted or not, the base of the count and the yes votes needed.

    - simple: more yes than no (abstentions never decide);
    - absolute: more than half of the base;
    - two-thirds, three-quarters: at least that share of the base;
    - unanimity: every vote in the base is yes, and at least one yes.
    The base is yes + no, plus abstentions when they count ("abstentions in the base").
    """
    if min(yes, no, abstain) < 0:
        raise ValueError("Vote counts are never negative.")
    base = yes + no + (abstain if abstentions_count else 0)
    if rule == MajorityRule.SIMPLE:
        needed = no + 1
        return Result(yes > no, base, needed)
    if rule == MajorityRule.UNANIMITY:
        return Result(base > 0 and yes == base, base, max(base, 1))
    threshold = THRESHOLDS[rule]
    if rule == MajorityRule.ABSOLUTE:
        needed = base // 2 + 1
    else:
        needed = -(-(threshold.numerator * base) // threshold.denominator)  # ceiling
    needed = max(needed, 1)
    return Result(yes >= needed, base, needed)
