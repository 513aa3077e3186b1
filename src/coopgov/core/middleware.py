from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from coopgov.core.models import Person, PersonQuerySet, Role


class NoStoreMiddleware:
    """Nothing coopgov answers is kept by a browser's history or a shared cache: pages, API
    answers, documents, PDFs and calendars are personal or confidential. Static files are
    served (and cached) before this middleware runs; a view that sets its own Cache-Control
    keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


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
OFFICER_ROLES = (Role.Kind.ADMIN, Role.Kind.SECRETARIAT, Role.Kind.STAFF)


def bound_to_mfa(user: Any) -> PersonQuerySet:
    """The user's records in organisations that require MFA where they are an officer: an
    administrator, secretariat or staff, or the holder of a running mandate. `user` may be an
    OuterRef, for a subquery. One query, whatever the number of organisations."""
    mandates = apps.get_model("bodies", "Mandate").objects.active_on(timezone.localdate())
    return Person.objects.filter(user=user, organisation__require_mfa=True).filter(
        Exists(Role.objects.filter(person=OuterRef("pk"), kind__in=OFFICER_ROLES))
        | Exists(mandates.filter(person=OuterRef("pk")))
    )


def lacking_mfa(user: Any) -> PersonQuerySet:
    """bound_to_mfa, for a user with no authenticator app: the one rule that pages, the API
    and API tokens obey."""
    totp = Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)
    return bound_to_mfa(user).filter(~Exists(totp))


def must_use_mfa(user: Any) -> bool:
    """An officer of at least one organisation that requires MFA."""
    return bound_to_mfa(user).exists()


def lacks_required_mfa(user: Any) -> bool:
    """Must use MFA and has no authenticator app yet: refused everywhere but the MFA setup."""
    return lacking_mfa(user).exists()


MFA_REQUIRED = gettext_lazy(
    "Your cooperative requires two-factor authentication for its officers: "
    "set up an authenticator app to continue."
)


class RequireMfaMiddleware:
    """Sends officers of an organisation that requires MFA to set up an authenticator first,
    and remembers in the session that the check passed. The API refuses such a session the
    same way (coopgov.api.BrowserSessionAuth)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(MFA_SESSION_KEY)
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
        ):
            if lacks_required_mfa(user):
                messages.warning(request, MFA_REQUIRED)
                return redirect("mfa_activate_totp")
            request.session[MFA_SESSION_KEY] = True
        return self.get_response(request)
