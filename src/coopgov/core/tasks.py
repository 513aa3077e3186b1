"""Background work of the core app: thin wrappers that take primary keys.

They run on Django's tasks framework: immediately in the demo and the tests, on a worker
once a queue backend is configured (see docs/operator-guide.md).
"""

from __future__ import annotations

from django.tasks import task

from coopgov.core import emails


@task()
def send_invitation(person_id: int, link: str) -> None:
    emails.send_invitation(person_id=person_id, link=link)
