"""The JSON API, /api/v1/: one NinjaAPI with a router per app, token or session auth."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from coopgov.bodies.api import router as bodies_router
from coopgov.core.actions import authenticate_api_token
from coopgov.core.api import router as core_router
from coopgov.dossiers.api import router as dossiers_router
from coopgov.meetings.api import router as meetings_router
from coopgov.offers.api import router as offers_router
from coopgov.strategy.api import router as strategy_router


class TokenAuth(HttpBearer):
    """Personal API tokens: `Authorization: Bearer cg_…`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session, unless the request presents a token: a bad token is
    refused rather than silently replaced by the session cookie."""

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="coopgov API",
    version="1",
    description=(
        "Governance of member-owned cooperatives. Authenticate with a personal token "
        "(`Authorization: Bearer …`, created on your account page) or a browser session."
    ),
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
)


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The one error format of the API."""
    return {"detail": detail, "errors": errors or []}


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            errors.extend({"field": field, "message": message} for message in field_errors)
    else:
        errors = [{"field": None, "message": message} for message in error.messages]
    return api.create_response(
        request, error_body(_("The request breaks a rule."), errors), status=422
    )


@api.exception_handler(NinjaValidationError)
def input_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(item.get("loc", [])), "message": item.get("msg", "")}
        for item in error.errors
    ]
    return api.create_response(
        request, error_body(_("The request is not valid."), errors), status=422
    )


def _field_name(location: list[Any]) -> str | None:
    """("body", "payload", "first_name") → "first_name"; ("query", "page") → "page"."""
    parts = [str(part) for part in location]
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(parts) or None


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, error_body(_("Authentication required: send a valid API token.")), status=401
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, error_body(_("Not found.")), status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(str(error)), status=error.status_code)


api.add_router("/", core_router)
api.add_router("/", bodies_router)
api.add_router("/", meetings_router)
api.add_router("/", dossiers_router)
api.add_router("/", strategy_router)
api.add_router("/", offers_router)
