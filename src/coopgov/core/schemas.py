"""The base of every API schema, with coopgov.core.hygiene's field rules applied by type.

Every app's api.py derives its schemas from `Schema` here instead of ninja's. When a request
body is validated, each field follows the rules of its type, so a new field is covered
without further work:
- text is single-line; a field annotated `Text` (a model TextField: description, text,
  purpose, notes…) may hold line breaks;
- dates and datetimes are written as dates (not numbers: pydantic reads 0 as 1 January 1970),
  fall within hygiene.YEAR_MIN to YEAR_MAX, and a datetime without an offset is read in the
  cooperative's time zone, as the forms do;
- integers fit a signed 64-bit column; decimals are finite and bounded;
- a body is a JSON object where an object is declared (ninja reads attributes of anything,
  so a bare string used to pass for an object whose fields all have defaults).
The rules apply to input only: answers show stored data as it is.

Query and path parameters are not schemas: annotate them with `Int64`, `Day` or `Moment`
(tests/core/test_hygiene.py checks that every operation does).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, get_args, get_origin

import ninja
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.conf import settings as ninja_settings
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from coopgov.core import hygiene


class _MultiLine:
    """Marks a text field that may hold line breaks."""

    def __repr__(self) -> str:
        return "MULTI_LINE"


MULTI_LINE = _MultiLine()
# The schema says so too, for clients: "x-multi-line": true.
Text = Annotated[str, MULTI_LINE, Field(json_schema_extra={"x-multi-line": True})]


def _custom_error(error: ValidationError) -> PydanticCustomError:
    # The message is already translated and formatted; braces would be read as placeholders.
    message = " ".join(str(m) for m in error.messages).replace("{", "(").replace("}", ")")
    return PydanticCustomError(error.code or "hygiene", message)


def _is_request_input(info: ValidationInfo) -> bool:
    """Ninja validates request data with {"request": …} as context, and answers with
    "response_status" added: the rules apply to the first only."""
    context = info.context
    return isinstance(context, dict) and "request" in context and "response_status" not in context


def _walk(annotation: Any) -> Any:
    yield annotation
    for arg in get_args(annotation):
        yield from _walk(arg)


@cache
def _shape(model: type[BaseModel], name: str) -> tuple[bool, bool]:
    """(may hold line breaks, expects dates) for one field of a schema."""
    field = model.model_fields[name]
    parts = list(_walk(field.annotation))
    multi_line = MULTI_LINE in field.metadata or any(
        get_origin(part) is Annotated and MULTI_LINE in get_args(part)[1:] for part in parts
    )
    dates = any(isinstance(part, type) and issubclass(part, datetime.date) for part in parts)
    return multi_line, dates


def _raw_dates(value: Any) -> None:
    if isinstance(value, list | tuple):
        for item in value:
            _raw_dates(item)
    elif value is not None:
        hygiene.check_date_input(value)


def clean_value(value: Any, *, multi_line: bool) -> Any:
    """Apply the rules by type to a validated value, at any depth; nested schemas have
    already applied them to their own fields."""
    if isinstance(value, BaseModel) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        hygiene.check_characters(value)
        if not multi_line:
            hygiene.check_single_line(value)
    elif isinstance(value, datetime.datetime):
        hygiene.check_date(value)
        if timezone.is_naive(value):
            return timezone.make_aware(value)
    elif isinstance(value, datetime.date):
        hygiene.check_date(value)
    elif isinstance(value, int):
        hygiene.check_int(value)
    elif isinstance(value, Decimal | float):
        hygiene.check_decimal(value)
    elif isinstance(value, list):
        return [clean_value(item, multi_line=multi_line) for item in value]
    elif isinstance(value, tuple | set | frozenset):
        return type(value)(clean_value(item, multi_line=multi_line) for item in value)
    elif isinstance(value, dict):
        return {
            clean_value(key, multi_line=False): clean_value(item, multi_line=multi_line)
            for key, item in value.items()
        }
    return value


class Schema(ninja.Schema):
    model_config = ConfigDict(allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any, info: ValidationInfo) -> Any:
        # Ninja's own validator may already have wrapped the data for attribute access.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if _is_request_input(info) and not isinstance(raw, dict | BaseModel):
            raise PydanticCustomError("object_expected", _("Send a JSON object here."))
        return data

    @field_validator("*", mode="wrap")
    @classmethod
    def _hygiene(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        if not _is_request_input(info) or info.field_name is None:
            return handler(value)
        multi_line, dates = _shape(cls, info.field_name)
        try:
            if dates:
                _raw_dates(value)
            return clean_value(handler(value), multi_line=multi_line)
        except ValidationError as error:
            raise _custom_error(error) from error


# Query and path parameters.


def _validator(check: Any) -> Any:
    def run(value: Any) -> Any:
        try:
            check(value)
        except ValidationError as error:
            raise _custom_error(error) from error
        return value

    return run


Int64 = Annotated[int, Field(ge=hygiene.INT64_MIN, le=hygiene.INT64_MAX)]
Day = Annotated[
    datetime.date,
    BeforeValidator(_validator(hygiene.check_date_input)),
    AfterValidator(_validator(hygiene.check_date)),
]
Moment = Annotated[
    datetime.datetime,
    BeforeValidator(_validator(hygiene.check_date_input)),
    AfterValidator(_validator(hygiene.check_date)),
    AfterValidator(lambda value: timezone.make_aware(value) if timezone.is_naive(value) else value),
]


class PageNumberPagination(NinjaPageNumberPagination):
    """Ninja's page-number pagination with the page bounded: its offset, (page - 1) x page
    size, must fit the database's 64-bit OFFSET (a page of 2^63 used to give a 500)."""

    class Input(Schema):
        page: int = Field(
            1, ge=1, le=hygiene.INT64_MAX // ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE
        )
        # Larger sizes are cut to NINJA_MAX_PER_PAGE_SIZE, as ninja does.
        page_size: int | None = Field(None, ge=1, le=hygiene.INT64_MAX)


# The error answers of the API (coopgov.api declares them on every operation).


class ErrorItem(ninja.Schema):
    field: str | None
    message: str


class ErrorOut(ninja.Schema):
    detail: str
    errors: list[ErrorItem]
