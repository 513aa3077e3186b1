"""Background work of meetings: thin wrappers taking primary keys."""

from __future__ import annotations

from django.tasks import task

from coopgov.meetings import emails


@task()
def send_convocation(invitation_id: int) -> None:
    emails.send_convocation(invitation_id=invitation_id)
