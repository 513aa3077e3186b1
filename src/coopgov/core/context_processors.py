from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coopgov.core.models import Organisation


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page shell needs: the organisations of the signed-in person for navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def organisations() -> list[Organisation]:
        return list(Organisation.objects.filter(people__user=user).distinct())

    return {"my_organisations": organisations}
