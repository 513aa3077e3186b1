"""Emails of meetings, each rendered in the recipient's language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from coopgov.core.access import Actor, standing_of
from coopgov.core.audit import record_event
from coopgov.core.hygiene import one_line
from coopgov.meetings import ics
from coopgov.meetings.models import AgendaItem, Invitation
from coopgov.meetings.queries import readable_items


def send_convocation(*, invitation_id: int) -> None:
    """The convocation: agenda, place, links, and the .ics invitation attached (M3)."""
    invitation = Invitation.objects.select_related(
        "person", "meeting", "meeting__kind", "meeting__kind__body", "meeting__organisation"
    ).get(pk=invitation_id)
    meeting, person = invitation.meeting, invitation.person
    if not person.email:
        return
    # Each invitee reads in the agenda only the items they may read on the meeting's page.
    roles, bodies = standing_of(person)
    reader = Actor(organisation=meeting.organisation, person=person, roles=roles, body_ids=bodies)
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "person": person,
        "items": readable_items(reader, meeting)
        .filter(status=AgendaItem.Status.ACCEPTED)
        .order_by("position"),
        "link": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url(),
    }
    with translation.override(person.preferred_language):
        # A header holds one line: a line break in a stored title used to fail every send.
        subject = one_line(render_to_string("meetings/email/convocation_subject.txt", context))
        body = render_to_string("meetings/email/convocation_body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    message.attach(
        "invitation.ics",
        ics.calendar([meeting], name=meeting.title, method="REQUEST"),
        "text/calendar; method=REQUEST; charset=utf-8",
    )
    message.send()


logger = logging.getLogger(__name__)


def record_convocation_failure(*, invitation_id: int, error: BaseException) -> None:
    """A convocation that could not be sent is not silent: the invitation counts as not
    convened again (the meeting page tells the secretariat how many, and convening again
    retries them), and the audit trail says who was not reached and why."""
    invitation = (
        Invitation.objects.select_related("meeting__organisation", "person")
        .filter(pk=invitation_id)
        .first()
    )
    logger.error("Convocation %s could not be sent: %r", invitation_id, error)
    if invitation is None:
        return
    meeting = invitation.meeting
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(convened_at=None)
        record_event(
            None,
            "meetings.convocation.failed",
            target=meeting,
            organisation=meeting.organisation,
            data={
                "invitation": invitation.pk,
                "person": str(invitation.person.code),
                "error": type(error).__name__,
            },
        )
