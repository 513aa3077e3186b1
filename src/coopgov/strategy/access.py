"""Fetch-or-deny for plans, workstreams, directions' updates and reviews (refused = 404).

The secretariat steers the strategy; a direction's head writes its updates and keeps its
workstreams' milestones and indicators; a review is seen by the body consulted."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from coopgov.core.access import Actor, may_read, require
from coopgov.core.models import Confidentiality, Unit
from coopgov.meetings.models import Invitation
from coopgov.strategy.models import Plan, ProgressUpdate, Review, Workstream, WorkstreamReport

WRITE = "strategy.plans:write"


def may_read_plan(actor: Actor, plan: Plan) -> bool:
    return may_read(actor, plan.confidentiality, bodies=[plan.body_id])


def access_plan(actor: Actor, code: str, *, for_write: bool = False) -> Plan:
    require(actor, "core.organisation:read")
    plan = (
        Plan.objects.of(actor.organisation)
        .select_related("organisation", "body", "derived_from", "decision", "dossier")
        .filter(code=code)
        .first()
    )
    if plan is None or not may_read_plan(actor, plan):
        raise Http404
    if for_write:
        require(actor, WRITE)
    return plan


def may_steer(actor: Actor, workstream: Workstream) -> bool:
    """The secretariat, the head of the direction that carries it, and its sponsor."""
    person = actor.person
    return actor.has(WRITE) or (
        person is not None and person.pk in {workstream.owner_unit.head_id, workstream.sponsor_id}
    )


def access_workstream(actor: Actor, code: str, *, for_write: bool = False) -> Workstream:
    require(actor, "core.organisation:read")
    workstream = (
        Workstream.objects.filter(organisation=actor.organisation, code=code)
        .select_related(
            "organisation",
            "owner_unit",
            "sponsor",
            "objective__axis__plan__organisation",
            "objective__axis__plan__body",
        )
        .first()
    )
    if workstream is None or not may_read_plan(actor, workstream.objective.axis.plan):
        raise Http404
    if for_write and not may_steer(actor, workstream):
        raise Http404
    return workstream


def directions_written_by(actor: Actor) -> list[Unit]:
    """The directions whose updates the actor writes: all for the secretariat, else those
    they head."""
    directions = Unit.objects.of(actor.organisation).filter(kind=Unit.Kind.DIRECTION)
    if actor.has(WRITE):
        return list(directions)
    if actor.person is None:
        return []
    return list(directions.filter(head=actor.person))


def access_direction(actor: Actor, code: str) -> Unit:
    for unit in directions_written_by(actor):
        if unit.code == code:
            return unit
    raise Http404


def may_read_review(actor: Actor, review: Review) -> bool:
    if not may_read_plan(actor, review.plan):
        return False
    if actor.has(WRITE) or may_read(actor, Confidentiality.BODIES, bodies=[review.body_id]):
        return True
    return (
        review.meeting_id is not None
        and actor.person is not None
        and Invitation.objects.filter(meeting_id=review.meeting_id, person=actor.person).exists()
    )


def access_review(actor: Actor, code: str, *, for_write: bool = False) -> Review:
    require(actor, "core.organisation:read")
    review = (
        Review.objects.filter(organisation=actor.organisation, code=code)
        .select_related("organisation", "plan__organisation", "plan__body", "body", "meeting")
        .first()
    )
    if review is None or not may_read_review(actor, review):
        raise Http404
    if for_write:
        require(actor, WRITE)
    return review


def may_read_updates(actor: Actor) -> bool:
    """The directions' news is for those who follow the strategy: the secretariat, the heads of
    directions, and the members of the bodies that follow a plan."""
    if actor.has(WRITE) or directions_written_by(actor):
        return True
    followers = set(Plan.objects.of(actor.organisation).values_list("body_id", flat=True))
    return bool(actor.body_ids & followers)


def readable_updates(actor: Actor) -> QuerySet[ProgressUpdate]:
    """The organisation's updates (404 for those who do not follow the strategy); each carries
    `visible_reports`, its reports on workstreams of the plans the actor may read."""
    if not may_read_updates(actor):
        raise Http404
    readable = [
        plan.pk
        for plan in Plan.objects.of(actor.organisation).only("pk", "confidentiality", "body_id")
        if may_read_plan(actor, plan)
    ]
    reports = WorkstreamReport.objects.filter(
        workstream__objective__axis__plan__in=readable
    ).select_related("workstream__organisation")
    return (
        ProgressUpdate.objects.filter(organisation=actor.organisation)
        .select_related("unit", "author")
        .prefetch_related(Prefetch("reports", queryset=reports, to_attr="visible_reports"))
    )
