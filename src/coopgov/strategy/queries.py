"""Reads across the strategy: a plan's tree with its rolled-up progress and flags (S1), what a
revision changed, the directions' latest news, and the results of a review."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from coopgov.bodies.models import Mandate
from coopgov.core.audit import last_change
from coopgov.core.models import Organisation, Unit
from coopgov.meetings.models import Invitation
from coopgov.strategy.models import (
    Axis,
    Indicator,
    IndicatorValue,
    Milestone,
    Objective,
    Plan,
    ProgressUpdate,
    Review,
    ReviewResponse,
    ReviewScore,
    Workstream,
)
from coopgov.strategy.rules import is_overdue, roll_up


@dataclass
class WorkstreamState:
    workstream: Workstream
    late_milestones: list[Milestone]
    overdue: bool

    @property
    def flagged(self) -> bool:
        return bool(self.late_milestones) or self.overdue


@dataclass
class ObjectiveState:
    objective: Objective
    progress: float | None
    workstreams: list[WorkstreamState]


@dataclass
class AxisState:
    axis: Axis
    progress: float | None
    objectives: list[ObjectiveState]

    @property
    def workstreams(self) -> list[WorkstreamState]:
        return [state for objective in self.objectives for state in objective.workstreams]


@dataclass
class PlanState:
    plan: Plan
    today: datetime.date
    progress: float | None
    axes: list[AxisState]

    @property
    def workstreams(self) -> list[WorkstreamState]:
        return [state for axis in self.axes for state in axis.workstreams]

    @property
    def late_milestones(self) -> list[Milestone]:
        late = [m for state in self.workstreams for m in state.late_milestones]
        return sorted(late, key=lambda m: m.due_on)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(state.workstream.status for state in self.workstreams)
        return [
            (value, str(label), counts.get(value, 0)) for value, label in Workstream.Status.choices
        ]


STATE_SECONDS = 300


def current_state(plan: Plan) -> PlanState:
    """Today's plan_state, computed once until the organisation's next change (see
    core.audit.last_change) and kept five minutes at most: dashboards and API lists read it
    far more often than the plan changes."""
    day = timezone.localdate()
    key = f"coopgov:plan-state:{plan.code}:{last_change(plan.organisation_id)}:{day}"
    state: PlanState | None = cache.get(key)
    if state is None:
        state = plan_state(plan, day)
        cache.set(key, state, STATE_SECONDS)
    return state


def plan_state(plan: Plan, today: datetime.date | None = None) -> PlanState:
    """The plan's tree in four queries, with progress rolled up from the workstreams to the
    objectives, the axes and the plan (S1), and the late milestones flagged."""
    day = today or timezone.localdate()
    axes = list(
        plan.axes.prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk")),
            Prefetch(
                "objectives__workstreams",
                queryset=Workstream.objects.select_related("owner_unit", "sponsor", "organisation"),
            ),
            Prefetch("objectives__workstreams__milestones", queryset=Milestone.objects.all()),
        )
    )
    axis_states = []
    for axis in axes:
        objective_states = []
        for objective in axis.objectives.all():
            states = [
                WorkstreamState(
                    workstream,
                    [m for m in workstream.milestones.all() if m.is_late(day)],
                    is_overdue(workstream.ends_on, workstream.status, day),
                )
                for workstream in objective.workstreams.all()
            ]
            objective_states.append(
                ObjectiveState(
                    objective,
                    roll_up((s.workstream.weight, s.workstream.progress) for s in states),
                    states,
                )
            )
        axis_states.append(
            AxisState(
                axis,
                roll_up((o.objective.weight, o.progress) for o in objective_states),
                objective_states,
            )
        )
    return PlanState(
        plan, day, roll_up((a.axis.weight, a.progress) for a in axis_states), axis_states
    )


@dataclass
class Change:
    """One difference between a revision and the plan it was derived from."""

    level: str  # axis, objective, workstream
    kind: str  # added, removed, changed, kept
    title: str
    details: list[str] = field(default_factory=list)


def _compare(level: str, old: list[Any], new: list[Any], fields: dict[str, str]) -> list[Change]:
    changes = []
    carried = {item.source_id: item for item in new if item.source_id}
    for before in old:
        after = carried.get(before.pk)
        if after is None:
            changes.append(Change(level, "removed", str(before)))
            continue
        details = [
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {"field": label, "old": getattr(before, name), "new": getattr(after, name)}
            for name, label in fields.items()
            if getattr(before, name) != getattr(after, name)
        ]
        if level != "axis" and _parent_key(before) != _parent_source(after):
            details.append(_("moved under “%(parent)s”") % {"parent": _parent(after)})
        changes.append(Change(level, "changed" if details else "kept", str(after), details))
    old_ids = {item.pk for item in old}
    for after in new:
        if after.source_id not in old_ids:
            changes.append(Change(level, "added", str(after)))
    return changes


def _parent(item: Any) -> Any:
    return item.axis if isinstance(item, Objective) else item.objective


def _parent_key(item: Any) -> int:
    return int(_parent(item).pk)


def _parent_source(item: Any) -> int | None:
    return _parent(item).source_id


def revision_changes(plan: Plan) -> list[Change]:
    """What the revision changed against the plan it was derived from: axes, objectives and
    workstreams added, removed, renamed, reweighted or moved (six queries)."""
    source = plan.derived_from
    if source is None:
        return []

    def tree(p: Plan) -> tuple[list[Axis], list[Objective], list[Workstream]]:
        return (
            list(p.axes.all()),
            list(Objective.objects.filter(axis__plan=p).select_related("axis")),
            list(
                Workstream.objects.filter(objective__axis__plan=p).select_related(
                    "objective", "owner_unit"
                )
            ),
        )

    old, new = tree(source), tree(plan)
    labels = {"title": _("title"), "weight": _("weight")}
    return [
        *_compare("axis", old[0], new[0], labels),
        *_compare("objective", old[1], new[1], labels),
        *_compare("workstream", old[2], new[2], {**labels, "owner_unit": _("direction")}),
    ]


def latest_updates(
    organisation: Organisation, *, until: datetime.datetime | None = None
) -> list[ProgressUpdate]:
    """Each direction's latest progress update written by `until` (default: now)."""
    moment = until or timezone.now()
    written = ProgressUpdate.objects.filter(organisation=organisation, written_at__lte=moment)
    newest = (
        written.filter(unit=OuterRef("unit"))
        .order_by("-period_end", "-written_at", "-pk")
        .values("pk")[:1]
    )
    return list(  # only the newest of each direction is read, with its reports
        written.filter(pk=Subquery(newest))
        .select_related("unit", "author")
        .prefetch_related("reports__workstream")
        .order_by("unit__name")
    )


def directions(organisation: Organisation) -> QuerySet[Unit]:
    return Unit.objects.of(organisation).filter(kind=Unit.Kind.DIRECTION)


def indicator_series(workstreams: list[Workstream]) -> list[Indicator]:
    """The indicators of these workstreams with their values in date order (two queries)."""
    return list(
        Indicator.objects.filter(workstream__in=workstreams)
        .select_related("workstream")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on"))
        )
    )


def eligible_respondents(review: Review, now: datetime.datetime | None = None) -> set[int]:
    """Who is asked: the people taking part in the review's meeting (not the guests), or else
    the members of the body on the day."""
    if review.meeting_id:
        return set(
            Invitation.objects.filter(meeting_id=review.meeting_id)
            .exclude(capacity=Invitation.Capacity.GUEST)
            .values_list("person_id", flat=True)
        )
    day = timezone.localtime(now or timezone.now()).date()
    return set(
        Mandate.objects.of_body(review.body).active_on(day).values_list("person_id", flat=True)
    )


@dataclass
class QuestionResult:
    question: str
    count: int
    mean: float | None
    distribution: list[int]  # answers per score, from 1 to the scale


@dataclass
class AxisResult:
    axis: Axis
    questions: list[QuestionResult]
    comments: list[str]


@dataclass
class ReviewResults:
    respondents: int
    eligible: int
    axes: list[AxisResult]


def review_results(review: Review) -> ReviewResults:
    """Scores aggregated per axis and question (count, mean, distribution) and the comments,
    without names (six queries)."""
    questions = list(review.questions.all())
    axes = list(review.plan.axes.all())
    scores = ReviewScore.objects.filter(response__review=review).values_list(
        "response__axis_id", "question_id", "score"
    )
    grid: dict[tuple[int, int], list[int]] = {}
    for axis_id, question_id, score in scores:
        grid.setdefault((axis_id, question_id), []).append(score)
    responses = list(
        ReviewResponse.objects.filter(review=review).values_list(
            "axis_id", "respondent_id", "comment"
        )
    )
    comments: dict[int, list[str]] = {}
    for axis_id, _respondent, comment in responses:
        if comment.strip():
            comments.setdefault(axis_id, []).append(comment.strip())
    results = []
    for axis in axes:
        per_question = []
        for question in questions:
            values = grid.get((axis.pk, question.pk), [])
            distribution = [
                sum(1 for v in values if v == score) for score in range(1, review.scale + 1)
            ]
            per_question.append(
                QuestionResult(
                    question.text,
                    len(values),
                    sum(values) / len(values) if values else None,
                    distribution,
                )
            )
        results.append(AxisResult(axis, per_question, comments.get(axis.pk, [])))
    return ReviewResults(
        respondents=len({respondent for _axis, respondent, _comment in responses}),
        # Members while the review was open, not today's: a closed review keeps its count.
        eligible=len(
            eligible_respondents(
                review, min(timezone.now(), review.closes_at - datetime.timedelta(microseconds=1))
            )
        ),
        axes=results,
    )


def progress_by_plan(plans: list[Plan]) -> dict[int, float | None]:
    """Each plan's rolled-up progress in one query, for lists: objectives and axes without
    workstreams have no progress and do not count, exactly as in plan_state."""
    rows = Workstream.objects.filter(objective__axis__plan__in=plans).values_list(
        "objective__axis__plan_id",
        "objective__axis_id",
        "objective__axis__weight",
        "objective_id",
        "objective__weight",
        "weight",
        "progress",
    )
    tree: dict[int, dict[tuple[int, int], dict[tuple[int, int], list[tuple[int, float]]]]] = {}
    for plan_id, axis_id, axis_weight, objective_id, objective_weight, weight, progress in rows:
        tree.setdefault(plan_id, {}).setdefault((axis_id, axis_weight), {}).setdefault(
            (objective_id, objective_weight), []
        ).append((weight, progress))
    return {
        plan.pk: roll_up(
            (
                axis_weight,
                roll_up(
                    (objective_weight, roll_up(workstreams))
                    for (_o, objective_weight), workstreams in objectives.items()
                ),
            )
            for (_a, axis_weight), objectives in tree.get(plan.pk, {}).items()
        )
        for plan in plans
    }
