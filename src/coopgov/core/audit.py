"""Appending to the audit trail. Every action calls record_event once, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from coopgov.core.models import Event, Organisation, Person


def record_event(
    actor: Person | None,
    action: str,
    *,
    target: models.Model | None,
    organisation: Organisation | None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event; `action` is namespaced like "core.member.admitted"."""
    return Event.objects.create(
        actor=actor,
        organisation=organisation,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        data=data or {},
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value changed, as {field: [old, new]} in JSON-friendly strings."""
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def last_change(organisation_id: int) -> int | None:
    """The organisation's newest audit event: every change goes through an action that writes
    one, so a value computed from its data stays valid as long as this does not change. Caches
    of derived figures put it in their key."""
    return (
        Event.objects.filter(organisation_id=organisation_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
