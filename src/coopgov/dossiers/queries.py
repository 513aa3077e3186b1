"""Reads across dossiers: one dossier's whole path, and the decision register."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from coopgov.bodies.access import may_see_internals
from coopgov.core import hygiene
from coopgov.core.access import Actor, may_read
from coopgov.dossiers.models import Decision, Dossier
from coopgov.meetings.queries import of_readable_item, readable_items


@dataclass
class Step:
    """One moment of a dossier's path, for its timeline (D1)."""

    day: datetime.date
    kind: str
    title: str
    detail: str
    link: str
    obj: Any


def timeline(dossier: Dossier, actor: Actor) -> list[Step]:
    """The dossier's path as the actor may read it: its appearances on items they may not
    read, with those items' outcomes and decisions, are left out (meetings.queries)."""
    steps: list[Step] = []
    appearances = (
        dossier.appearances.filter(item__in=readable_items(actor).values("pk"))
        .select_related("item__meeting__kind__body", "item__meeting__organisation")
        .prefetch_related("item__outcomes")
    )
    for appearance in appearances:
        meeting = appearance.item.meeting
        steps.append(
            Step(
                timezone.localtime(meeting.starts_at).date(),
                "appearance",
                meeting.title,
                appearance.get_stage_display(),
                meeting.get_absolute_url(),
                appearance,
            )
        )
        for outcome in appearance.item.outcomes.all():
            steps.append(
                Step(
                    timezone.localtime(meeting.starts_at).date(),
                    "outcome",
                    outcome.get_kind_display(),
                    outcome.text,
                    meeting.get_absolute_url(),
                    outcome,
                )
            )
    for consultation in dossier.consultations.select_related("consulted_body__organisation"):
        steps.append(
            Step(
                timezone.localtime(consultation.requested_at).date(),
                "consultation",
                consultation.consulted_body.name,
                consultation.get_status_display(),
                consultation.consulted_body.get_absolute_url(),
                consultation,
            )
        )
        if consultation.given_on:
            steps.append(
                Step(
                    consultation.given_on,
                    "opinion",
                    consultation.consulted_body.name,
                    consultation.opinion,
                    consultation.consulted_body.get_absolute_url(),
                    consultation,
                )
            )
    decisions = dossier.decisions.filter(of_readable_item(actor))
    for decision in decisions.select_related("body").prefetch_related("votes__person"):
        steps.append(
            Step(decision.decided_on, "decision", decision.number, decision.title, "", decision)
        )
    for action in dossier.actions.select_related("owner"):
        steps.append(
            Step(action.due_on, "action", action.title, action.get_status_display(), "", action)
        )
    return sorted(steps, key=lambda step: (step.day, step.kind))


def hidden_dossiers(actor: Actor) -> list[int]:
    """The dossiers the actor may not read: only those above the members' level are looked at,
    so lists filter in the database rather than row by row."""
    return [
        d.pk
        for d in Dossier.objects.filter(organisation=actor.organisation)
        .exclude(confidentiality="members")
        .exclude(confidentiality="public")
        .only("pk", "confidentiality", "origin_body_id")
        if not may_read(
            actor, d.confidentiality, bodies=[d.origin_body_id] if d.origin_body_id else []
        )
    ]


def readable_dossiers(actor: Actor) -> QuerySet[Dossier]:
    return Dossier.objects.filter(organisation=actor.organisation).exclude(
        pk__in=hidden_dossiers(actor)
    )


def search_dossiers(dossiers: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """Dossiers whose title holds every word typed."""
    for word in text.split():
        dossiers = dossiers.filter(title__icontains=word)
    return dossiers


def readable_decisions(actor: Actor) -> QuerySet[Decision]:
    """Decisions of the bodies the actor may look into, from dossiers they may read, taken on
    agenda items they may read: a decision on a confidential item is as confidential."""
    bodies = [b.pk for b in actor.organisation.bodies.all() if may_see_internals(actor, b)]
    decisions = Decision.objects.filter(organisation=actor.organisation, body__in=bodies)
    return (
        decisions.exclude(dossier__in=hidden_dossiers(actor))
        .filter(of_readable_item(actor))  # a decision outside a meeting has no item
        .select_related("body", "dossier__organisation", "item__meeting")
    )


def search_decisions(
    decisions: QuerySet[Decision],
    *,
    text: str = "",
    body: str = "",
    year: str = "",
    tag: str = "",
    adopted: str = "",
) -> QuerySet[Decision]:
    if text:
        for word in text.split():
            decisions = decisions.filter(
                Q(title__icontains=word) | Q(text__icontains=word) | Q(number__icontains=word)
            )
    if body:
        decisions = decisions.filter(body__code=body)
    if (number := hygiene.parse_int(year)) is not None:
        decisions = decisions.filter(year=number)
    if tag:
        # The tags are a JSON list: match the quoted tag, which works on SQLite and PostgreSQL.
        decisions = decisions.filter(dossier__tags__icontains=f'"{tag}"')
    if adopted in {"yes", "no"}:
        decisions = decisions.filter(adopted=adopted == "yes")
    return decisions
