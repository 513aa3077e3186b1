from __future__ import annotations

from coopgov.core.models import Organisation, Person


def load(org: Organisation, people: dict[str, Person]) -> None:
    return None
