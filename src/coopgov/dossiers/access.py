"""Fetch-or-deny for dossiers and decisions; refused looks like missing (404)."""

from __future__ import annotations

from django.http import Http404

from coopgov.core.access import Actor, may_read, require
from coopgov.dossiers.models import Dossier

WRITE = "meetings.meetings:write"


def may_read_dossier(actor: Actor, dossier: Dossier) -> bool:
    return may_read(
        actor,
        dossier.confidentiality,
        bodies=[dossier.origin_body_id] if dossier.origin_body_id else [],
    )


def access_dossier(actor: Actor, code: str, *, for_write: bool = False) -> Dossier:
    require(actor, "core.organisation:read")
    dossier = (
        Dossier.objects.select_related("owner", "origin_body", "organisation")
        .filter(organisation=actor.organisation, code=code)
        .first()
    )
    if dossier is None or not may_read_dossier(actor, dossier):
        raise Http404
    if for_write:
        require(actor, WRITE)
    return dossier
