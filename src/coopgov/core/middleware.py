from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from coopgov.core.access import body_ids_of, roles_of
from coopgov.core.models import Person, Role


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required default, except for the API, which checks its own tokens."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path.startswith(settings.API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PersonLanguageMiddleware:
    """Signed-in people see pages in their preferred language unless they chose one here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = (
                Person.objects.filter(user=request.user)
                .values_list("preferred_language", flat=True)
                .first()
            )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


MFA_SESSION_KEY = "coopgov_mfa_checked"
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/")


def must_use_mfa(user: Any) -> bool:
    """True when one of the user's organisations requires MFA and the user is an officer there:
    an administrator, secretariat or staff, or the holder of a running mandate."""
    for person in Person.objects.filter(user=user, organisation__require_mfa=True):
        if roles_of(person) & {Role.Kind.ADMIN, Role.Kind.SECRETARIAT, Role.Kind.STAFF}:
            return True
        if body_ids_of(person):
            return True
    return False


class RequireMfaMiddleware:
    """Sends officers of an organisation that requires MFA to set up an authenticator first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(MFA_SESSION_KEY)
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
        ):
            has_totp = Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp and must_use_mfa(user):
                messages.warning(
                    request,
                    _(
                        "Your cooperative requires two-factor authentication for its officers: "
                        "set up an authenticator app to continue."
                    ),
                )
                return redirect("mfa_activate_totp")
            request.session[MFA_SESSION_KEY] = True
        return self.get_response(request)
