"""Fetch-or-deny for bodies, mandates and draws. Refused looks like missing (404)."""

from __future__ import annotations

from django.http import Http404

from coopgov.bodies.models import Body, Confirmation, Draw, Mandate
from coopgov.core.access import Actor, may_read, require

WRITE = "bodies.mandates:write"


def may_see_internals(actor: Actor, body: Body) -> bool:
    """Members and mandates of a body follow its confidentiality level."""
    return may_read(actor, body.confidentiality, bodies=[body.pk])


def access_body(actor: Actor, code: str, *, for_write: bool = False) -> Body:
    require(actor, "core.organisation:read")
    body = (
        Body.objects.filter(organisation=actor.organisation, code=code)
        .select_related("organisation", "seat_rule")
        .first()
    )
    if body is None:
        raise Http404
    if for_write:
        require(actor, WRITE)
    return body


def access_mandate(actor: Actor, code: str, *, for_write: bool = False) -> Mandate:
    mandate = (
        Mandate.objects.with_people().filter(organisation=actor.organisation, code=code).first()
    )
    if mandate is None or not (
        may_see_internals(actor, mandate.body) or mandate.person == actor.person
    ):
        raise Http404
    if for_write:
        require(actor, WRITE)
    return mandate


def access_confirmation(actor: Actor, mandate_code: str) -> Confirmation:
    """The co-optation awaiting the assembly, reached through its mandate's code."""
    require(actor, WRITE)
    confirmation = (
        Confirmation.objects.select_related("mandate", "mandate__body", "mandate__organisation")
        .filter(organisation=actor.organisation, mandate__code=mandate_code)
        .first()
    )
    if confirmation is None:
        raise Http404
    return confirmation


def access_draw(actor: Actor, code: str) -> Draw:
    draw = (
        Draw.objects.select_related("body", "body__organisation", "drawn_by", "organisation")
        .filter(organisation=actor.organisation, code=code)
        .first()
    )
    if draw is None or not may_see_internals(actor, draw.body):
        raise Http404
    return draw
