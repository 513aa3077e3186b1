"""S1 as plain computations: weighted roll-up of progress, and what counts as late."""

from __future__ import annotations

import datetime
from collections.abc import Iterable


def roll_up(children: Iterable[tuple[int, float | None]]) -> float | None:
    """The weighted mean of the children's progress (weight, progress in %).

    Children without progress (an objective with no workstream yet) do not count; a node with no
    counted child has no progress. The result lies between the smallest and the largest child's
    progress, and multiplying every weight by the same number does not change it.
    """
    total_weight = 0
    weighted = 0.0
    for weight, progress in children:
        if progress is None:
            continue
        if weight < 1:
            raise ValueError("weights are at least 1")
        total_weight += weight
        weighted += weight * progress
    if total_weight == 0:
        return None
    return weighted / total_weight


def is_overdue(ends_on: datetime.date, status: str, today: datetime.date) -> bool:
    """A workstream past its end date that is not done (nor knowingly paused) is overdue."""
    return ends_on < today and status not in {"done", "paused"}
