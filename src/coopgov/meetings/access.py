"""Fetch-or-deny for meetings. A meeting is seen by those who may look into its body, and by
its invitees; its items, and everything that belongs to them, follow the items' confidentiality
(meetings.queries)."""

from __future__ import annotations

from django.http import Http404

from coopgov.bodies.access import may_see_internals
from coopgov.core.access import Actor, require
from coopgov.meetings.models import Meeting

WRITE = "meetings.meetings:write"


def may_see_meeting(actor: Actor, meeting: Meeting, invited: bool) -> bool:
    return invited or may_see_internals(actor, meeting.kind.body)


def access_meeting(actor: Actor, code: str, *, for_write: bool = False) -> Meeting:
    meeting = (
        Meeting.objects.listed()
        .select_related("host_unit", "kind__body__organisation")
        .filter(organisation=actor.organisation, code=code)
        .first()
    )
    if meeting is None:
        raise Http404
    invited = actor.person is not None and meeting.invitations.filter(person=actor.person).exists()
    if not may_see_meeting(actor, meeting, invited):
        raise Http404
    if for_write:
        require(actor, WRITE)
    return meeting
