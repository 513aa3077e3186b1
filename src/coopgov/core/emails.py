"""Emails of the core app, each rendered in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from coopgov.core.models import Person


def send_invitation(*, person_id: int, link: str) -> None:
    """Tell a person that a login waits for them, with a link to choose their password."""
    person = Person.objects.select_related("organisation").get(pk=person_id)
    context = {"person": person, "organisation": person.organisation, "link": link}
    with translation.override(person.preferred_language):
        subject = render_to_string("core/email/invitation_subject.txt", context).strip()
        body = render_to_string("core/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
