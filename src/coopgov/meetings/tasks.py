"""Background work of meetings: thin wrappers taking primary keys."""

from __future__ import annotations

from django.tasks import task

from coopgov.meetings import emails


@task()
def send_convocation(invitation_id: int) -> None:
    """A failure is recorded before it is raised again: Django's immediate backend keeps a
    task's exception to itself, so the secretariat would never hear of it."""
    try:
        emails.send_convocation(invitation_id=invitation_id)
    except Exception as error:
        emails.record_convocation_failure(invitation_id=invitation_id, error=error)
        raise


def enqueue_convocation(invitation_id: int) -> None:
    """Queue one convocation; a queue that refuses it is recorded like a failed send, so that
    one refusal neither hides the others nor turns a committed convocation into a 500."""
    try:
        send_convocation.enqueue(invitation_id)
    except Exception as error:  # any refusal of the task backend
        emails.record_convocation_failure(invitation_id=invitation_id, error=error)
