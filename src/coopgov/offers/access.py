"""Fetch-or-deny for the catalogue and the activities (refused = 404).

The secretariat keeps the catalogue and every activity; staff read the activities; an adviser
keeps the activities they follow; a member reads their own activity's record (and says its
needs, and accepts its commitments)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from coopgov.core.access import Actor, require
from coopgov.offers.models import Activity, Offer

CATALOGUE = "offers.catalogue:write"
READ = "offers.activities:read"
WRITE = "offers.activities:write"


def visible_activities(actor: Actor) -> QuerySet[Activity]:
    """All activities for staff; else those the person advises or holds."""
    activities = Activity.objects.filter(organisation=actor.organisation)
    if actor.has(READ):
        return activities
    person = actor.person
    if person is None:
        return activities.none()
    return activities.filter(
        Q(advisers=person)
        | Q(holdings__member__person=person)
        | Q(holdings__member__representative=person)
    ).distinct()


def is_holder(actor: Actor, activity: Activity) -> bool:
    person = actor.person
    return (
        person is not None
        and activity.holdings.filter(
            Q(member__person=person) | Q(member__representative=person)
        ).exists()
    )


def is_adviser(actor: Actor, activity: Activity) -> bool:
    return actor.person is not None and activity.advisers.filter(pk=actor.person.pk).exists()


def may_keep(actor: Actor, activity: Activity) -> bool:
    """The secretariat and the activity's advisers keep its record, never one of its holders:
    the member's side and the cooperative's side are not the same person."""
    return (actor.has(WRITE) or is_adviser(actor, activity)) and not is_holder(actor, activity)


def access_activity(actor: Actor, code: str, *, for_write: bool = False) -> Activity:
    require(actor, "core.organisation:read")
    activity = (
        visible_activities(actor).select_related("organisation", "office").filter(code=code).first()
    )
    if activity is None or (for_write and not may_keep(actor, activity)):
        raise Http404
    return activity


def access_offer(actor: Actor, code: str, *, for_write: bool = False) -> Offer:
    """The catalogue is public to the members; the secretariat keeps it."""
    require(actor, "core.organisation:read")
    offer = (
        Offer.objects.filter(organisation=actor.organisation, code=code)
        .select_related("organisation", "dossier")
        .first()
    )
    if offer is None:
        raise Http404
    if for_write:
        require(actor, CATALOGUE)
    return offer
