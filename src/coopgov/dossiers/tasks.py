"""Background work of dossiers: thin wrappers taking primary keys."""

from __future__ import annotations

from django.tasks import task

from coopgov.dossiers import emails


@task()
def send_action_reminder(person_id: int, action_ids: list[int]) -> None:
    emails.send_action_reminder(person_id=person_id, action_ids=action_ids)
