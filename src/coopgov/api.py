"""The JSON API, /api/v1/: one NinjaAPI with a router per app, token or session auth."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from coopgov.bodies.api import router as bodies_router
from coopgov.core import hygiene
from coopgov.core.actions import authenticate_api_token
from coopgov.core.api import router as core_router
from coopgov.core.middleware import MFA_REQUIRED, MFA_SESSION_KEY, lacks_required_mfa
from coopgov.core.schemas import ErrorOut
from coopgov.dossiers.api import router as dossiers_router
from coopgov.meetings.api import router as meetings_router
from coopgov.offers.api import router as offers_router
from coopgov.strategy.api import router as strategy_router


class TokenAuth(HttpBearer):
    """Personal API tokens: `Authorization: Bearer cg_…`. Unknown, revoked and expired tokens
    are refused with 401; the token of an officer who must set up MFA with 403."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            user = authenticate_api_token(token)
        except PermissionDenied as refusal:
            raise HttpError(403, str(refusal)) from refusal
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session, unless the request presents a token: a bad token is
    refused rather than silently replaced by the session cookie. The session of an officer
    who must set up MFA is refused as the pages refuse it (RequireMfaMiddleware)."""

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        user = super().__call__(request)
        # A session that passed the pages' check costs nothing; otherwise one small query.
        if user and not request.session.get(MFA_SESSION_KEY) and lacks_required_mfa(user):
            raise HttpError(403, str(MFA_REQUIRED))
        return user


class StrictJsonParser(Parser):
    """Request bodies read as hygiene reads them: UTF-8 JSON, no NaN or Infinity."""

    def parse_body(self, request: HttpRequest) -> Any:
        return hygiene.load_json(request.body)


# The error answers an operation can give, all in the one error format (error_body).
ERROR_ANSWERS = {
    "400": gettext_lazy("Characters that are not allowed, or a body that is not UTF-8 JSON."),
    "401": gettext_lazy("No valid token or session."),
    "403": gettext_lazy("Refused: two-factor authentication to set up, or a CSRF check failed."),
    "404": gettext_lazy("Not found, or not readable by you (a refusal looks like absence)."),
    "422": gettext_lazy("A field is not valid, or the request breaks a rule of the domain."),
}


class CoopgovAPI(NinjaAPI):
    """NinjaAPI whose schema declares, on every operation, the error answers it can give, so
    that clients (and schemathesis) find every answer in the schema."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema["components"].setdefault("schemas", {})
        components.update(error.pop("$defs", {}))
        components["ErrorOut"] = error
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                answers = operation["responses"]
                for status in error_statuses(path, method, operation):
                    if int(status) in answers:  # declared by the operation itself
                        continue
                    answers.setdefault(
                        status,
                        {
                            "description": str(ERROR_ANSWERS[status]),
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        },
                    )
        return schema


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    """400 for any request (InputHygieneMiddleware); 401 and 403 where authentication is
    required; 404 where the path names something; 422 where there is input to validate or a
    rule to break."""
    statuses = ["400"]
    if operation.get("security"):
        statuses += ["401", "403"]
    if "{" in path:
        statuses.append("404")
    if operation.get("parameters") or operation.get("requestBody") or method != "get":
        statuses.append("422")
    return statuses


api = CoopgovAPI(
    title="coopgov API",
    version="1",
    description=(
        "Governance of member-owned cooperatives. Authenticate with a personal token "
        "(`Authorization: Bearer …`, created on your account page) or a browser session."
    ),
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
    parser=StrictJsonParser(),
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
        {"field": _field_name(item.get("loc", [])), "message": _input_message(item)}
        for item in error.errors
    ]
    return api.create_response(
        request, error_body(_("The request is not valid."), errors), status=422
    )


def _input_message(item: dict[str, Any]) -> str:
    """Pydantic's message for the common kinds of error, in the reader's language (Django's
    own wording, already translated); hygiene's messages are translated when raised."""
    kind, context = item.get("type", ""), item.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind.startswith("date_") and not kind.startswith("datetime"):
        return _("Enter a valid date.")
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("uuid_"):
        return _("Enter a valid UUID.")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Send a JSON object here.")
    if kind == "list_type":
        return _("Enter a list of values.")
    if kind in {"literal_error", "enum"}:
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind in {"less_than_equal", "less_than"}:
        limit = context.get("le", context.get("lt"))
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind in {"greater_than_equal", "greater_than"}:
        limit = context.get("ge", context.get("gt"))
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind == "string_too_long":
        limit, length = context.get("max_length", 0), len(str(item.get("input", "")))
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": length}
    if kind == "string_too_short":
        return _("This field is required.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    return str(item.get("msg", ""))


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
