"""Emails of meetings, each rendered in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from coopgov.meetings import ics
from coopgov.meetings.models import AgendaItem, Invitation


def send_convocation(*, invitation_id: int) -> None:
    """The convocation: agenda, place, links, and the .ics invitation attached (M3)."""
    invitation = Invitation.objects.select_related(
        "person", "meeting", "meeting__kind", "meeting__kind__body", "meeting__organisation"
    ).get(pk=invitation_id)
    meeting, person = invitation.meeting, invitation.person
    if not person.email:
        return
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "person": person,
        "items": meeting.items.filter(status=AgendaItem.Status.ACCEPTED).order_by("position"),
        "link": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url(),
    }
    with translation.override(person.preferred_language):
        subject = render_to_string("meetings/email/convocation_subject.txt", context).strip()
        body = render_to_string("meetings/email/convocation_body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    message.attach(
        "invitation.ics",
        ics.calendar([meeting], name=meeting.title, method="REQUEST"),
        "text/calendar; method=REQUEST; charset=utf-8",
    )
    message.send()
