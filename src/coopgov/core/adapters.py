from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from coopgov.core.models import Person


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are opened by the secretariat; emails go out in the recipient's language."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        language = (
            Person.objects.filter(email__iexact=email)
            .values_list("preferred_language", flat=True)
            .first()
        )
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, context)
