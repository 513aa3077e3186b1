"""Reads across the offers: the variants side by side, each activity's timeline, the flags and
follow-ups an adviser acts on, the management's counts, the needs aggregated per service. Each
runs a fixed number of queries whatever the number of activities."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from coopgov.core.models import Organisation
from coopgov.offers.models import (
    Activity,
    Contribution,
    Enrolment,
    Holding,
    Need,
    Offer,
    OfferService,
    OfferVersion,
    Participation,
    Score,
    Service,
    Stage,
    SupportMeeting,
)
from coopgov.offers.rules import YEAR, Breach, breaches

FOLLOW_UP = datetime.timedelta(days=183)
"""An activity on its way (not exited) meets its adviser at least every six months."""


@dataclass
class Column:
    offer: Offer
    version: OfferVersion | None
    levels: dict[int, OfferService]


def comparison(
    organisation: Organisation, day: datetime.date
) -> tuple[list[Service], list[Column]]:
    """The variants side by side on `day`: each one's version valid that day and the level of
    each service it renders (five queries)."""
    services = list(Service.objects.filter(organisation=organisation).select_related("unit"))
    versions = OfferVersion.objects.valid_on(day).prefetch_related(
        Prefetch("levels", queryset=OfferService.objects.select_related("service")),
        "eligible_categories",
    )
    offers = (
        Offer.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="current"))
        .select_related("dossier", "organisation")
    )
    columns = []
    for offer in offers:
        version = offer.current[0] if offer.current else None
        levels = {level.service_id: level for level in version.levels.all()} if version else {}
        columns.append(Column(offer, version, levels))
    return services, columns


def open_enrolments(activities: Iterable[Activity]) -> dict[int, Enrolment]:
    return {
        e.activity_id: e
        for e in Enrolment.objects.filter(
            activity__in=activities, ends_on__isnull=True
        ).select_related("version__offer__organisation")
    }


def flags(activities: list[Activity], today: datetime.date) -> dict[int, list[Breach]]:
    """The commitments each activity's current enrolment breaks today (four queries)."""
    enrolments = open_enrolments(activities)
    enrolled = list(enrolments)
    holdings: dict[int, list[Holding]] = defaultdict(list)
    for holding in Holding.objects.filter(activity__in=enrolled).select_related("member__person"):
        holdings[holding.activity_id].append(holding)
    contributions: dict[int, list[Contribution]] = defaultdict(list)
    for contribution in Contribution.objects.filter(activity__in=enrolled):
        contributions[contribution.activity_id].append(contribution)
    attended: dict[int, set[int]] = defaultdict(set)
    for activity_id, meeting_id, person_id in Participation.objects.filter(
        meeting__activity__in=enrolled,
        meeting__status=SupportMeeting.Status.HELD,
        meeting__held_on__gt=today - YEAR,
        meeting__held_on__lte=today,
        attendance=Participation.Attendance.ATTENDED,
    ).values_list("meeting__activity_id", "meeting_id", "person_id"):
        people = {
            pk
            for h in holdings[activity_id]
            for pk in (h.member.person_id, h.member.representative_id)
        }
        if person_id in people:
            attended[activity_id].add(meeting_id)
    return {
        activity_id: breaches(
            enrolment,
            holdings=holdings[activity_id],
            contributions=contributions[activity_id],
            meetings_attended=len(attended[activity_id]),
            today=today,
        )
        for activity_id, enrolment in enrolments.items()
    }


@dataclass
class FollowUp:
    activity: Activity
    last_meeting: datetime.date | None
    planned: datetime.date | None
    today: datetime.date

    @property
    def days_since(self) -> int | None:
        return None if self.last_meeting is None else (self.today - self.last_meeting).days


def follow_ups(activities: list[Activity], today: datetime.date) -> list[FollowUp]:
    """Activities on their way whose last support meeting is more than six months old (or
    never happened) and that have none planned: the adviser's follow-ups due (one query)."""
    rows = (
        SupportMeeting.objects.filter(activity__in=activities)
        .values("activity_id")
        .annotate(
            last=Max("held_on", filter=Q(status=SupportMeeting.Status.HELD)),
            planned=Max(
                "held_on", filter=Q(status=SupportMeeting.Status.PLANNED, held_on__gte=today)
            ),
        )
    )
    by_activity = {row["activity_id"]: (row["last"], row["planned"]) for row in rows}
    due = []
    for activity in activities:
        if activity.stage == Stage.EXITED:
            continue
        last, planned = by_activity.get(activity.pk, (None, None))
        if planned is None and (last is None or last < today - FOLLOW_UP):
            due.append(FollowUp(activity, last, planned, today))
    return sorted(due, key=lambda f: f.last_meeting or datetime.date.min)


def stage_counts(activities: QuerySet[Activity]) -> list[tuple[str, str, int]]:
    counts = Counter(
        dict(activities.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in Stage.choices]


def variant_counts(activities: QuerySet[Activity]) -> list[tuple[str, int]]:
    """Activities per variant they are in now, plus those in none (two queries)."""
    rows = (
        Enrolment.objects.filter(activity__in=activities, ends_on__isnull=True)
        .values_list("version__offer__name")
        .annotate(n=Count("pk"))
        .order_by("version__offer__position", "version__offer__name")
    )
    counted = list(rows)
    total = activities.exclude(stage=Stage.EXITED).count()
    enrolled = sum(n for _name, n in counted)
    return [*counted, (_("In no variant"), max(total - enrolled, 0))]


DELAY_BUCKETS = (
    (90, "≤ 3"),
    (183, "3\N{EN DASH}6"),
    (365, "6\N{EN DASH}12"),
    (None, "> 12"),
)


def delay_buckets(activities: QuerySet[Activity], today: datetime.date) -> list[tuple[str, int]]:
    """Activities on their way by months since their last support meeting (one query)."""
    lasts = dict(
        activities.exclude(stage=Stage.EXITED)
        .annotate(
            last=Max(
                "support_meetings__held_on",
                filter=Q(support_meetings__status=SupportMeeting.Status.HELD),
            )
        )
        .values_list("pk", "last")
    )
    counts: Counter[str] = Counter()
    for last in lasts.values():
        if last is None:
            counts[_("never")] += 1
            continue
        days = (today - last).days
        for limit, label in DELAY_BUCKETS:
            if limit is None or days <= limit:
                counts[label] += 1
                break
    return [
        *(
            (_("%(months)s months") % {"months": label}, counts[label])
            for _l, label in DELAY_BUCKETS
        ),
        (_("never"), counts[_("never")]),
    ]


@dataclass
class Step:
    day: datetime.date
    kind: str
    title: str
    detail: str
    obj: Any


def timeline(activity: Activity) -> list[Step]:
    """Everything that happened to the activity, in date order (nine queries)."""
    steps: list[Step] = []
    for stage in activity.path.select_related("recorded_by"):
        steps.append(Step(stage.on, "stage", stage.get_stage_display(), stage.note, stage))
    for enrolment in activity.enrolments.select_related(
        "version__offer", "member_accepted_by", "cooperative_accepted_by"
    ):
        steps.append(
            Step(enrolment.starts_on, "enrolment", enrolment.version.offer.name, "", enrolment)
        )
    for meeting in activity.support_meetings.prefetch_related("advisers", "participations__person"):
        steps.append(
            Step(
                meeting.held_on,
                "support",
                meeting.get_status_display(),
                meeting.objectives,
                meeting,
            )
        )
    for milestone in activity.milestones.all():
        steps.append(
            Step(milestone.done_on or milestone.due_on, "milestone", milestone.title, "", milestone)
        )
    for evaluation in activity.evaluations.select_related("evaluator"):
        steps.append(
            Step(evaluation.evaluated_on, "evaluation", "", evaluation.comment, evaluation)
        )
    for contribution in activity.contributions.all():
        steps.append(Step(contribution.period_end, "contribution", "", "", contribution))
    return sorted(steps, key=lambda s: (s.day, s.kind), reverse=True)


@dataclass
class GridSeries:
    competences: list[str]
    dates: list[datetime.date]
    scores: list[list[int | None]]  # per competence, per date
    averages: list[float]


def grid_progress(activity: Activity) -> GridSeries | None:
    """The competence grid over time: each competence's score at each evaluation and the
    average (two queries)."""
    evaluations = list(activity.evaluations.order_by("evaluated_on"))
    if not evaluations:
        return None
    scores = list(
        Score.objects.filter(evaluation__in=evaluations)
        .select_related("competence")
        .order_by("competence__position", "competence__name")
    )
    names: list[str] = []
    grid: dict[tuple[str, int], int] = {}
    for score in scores:
        if score.competence.name not in names:
            names.append(score.competence.name)
        grid[(score.competence.name, score.evaluation_id)] = score.score
    rows = [[grid.get((name, e.pk)) for e in evaluations] for name in names]
    averages = []
    for index in range(len(evaluations)):
        values = [row[index] for row in rows if row[index] is not None]
        averages.append(sum(values) / len(values) if values else 0.0)  # type: ignore[arg-type]
    return GridSeries(names, [e.evaluated_on for e in evaluations], rows, averages)


@dataclass
class NeedSummary:
    service: Service
    counts: dict[str, int]
    comments: list[str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def needs_summary(
    organisation: Organisation, activities: QuerySet[Activity] | None = None
) -> list[NeedSummary]:
    """Per service, how many activities on their way (not exited) find it essential, useful or
    not needed, and their comments (three queries)."""
    needs = Need.objects.filter(service__organisation=organisation).exclude(
        activity__stage=Stage.EXITED
    )
    if activities is not None:
        needs = needs.filter(activity__in=activities)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for service_id, level, n in (
        needs.values_list("service_id", "level")
        .annotate(n=Count("pk"))
        .values_list("service_id", "level", "n")
    ):
        counts[service_id][level] = n
    comments: dict[int, list[str]] = defaultdict(list)
    for service_id, comment in needs.exclude(comment="").values_list("service_id", "comment")[:500]:
        if comment not in comments[service_id]:  # the same words said by several activities
            comments[service_id].append(comment)
    return [
        NeedSummary(
            service,
            {level: counts[service.pk][level] for level in Need.Level.values},
            comments[service.pk],
        )
        for service in Service.objects.filter(organisation=organisation)
    ]


def summary_text(summaries: list[NeedSummary]) -> str:
    """The needs summary as the text fed to the offer's dossier."""
    lines = [_("Members' needs, per service (essential / useful / not needed):")]
    for summary in summaries:
        if summary.total:
            lines.append(
                f"- {summary.service.name}: {summary.counts['essential']} / "
                f"{summary.counts['useful']} / {summary.counts['not_needed']}"
            )
    return "\n".join(lines)
