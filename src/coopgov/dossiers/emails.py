"""Emails of dossiers, each in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from coopgov.core.models import Person
from coopgov.dossiers.models import Action


def send_action_reminder(*, person_id: int, action_ids: list[int]) -> None:
    person = Person.objects.select_related("organisation").get(pk=person_id)
    if not person.email:
        return
    items = list(
        Action.objects.filter(pk__in=action_ids).select_related("dossier").order_by("due_on")
    )
    context = {
        "person": person,
        "actions": items,
        "link": settings.SITE_URL.rstrip("/") + f"/{person.organisation.code}/actions/?mine=1",
    }
    with translation.override(person.preferred_language):
        subject = render_to_string("dossiers/email/reminder_subject.txt", context).strip()
        body = render_to_string("dossiers/email/reminder_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
