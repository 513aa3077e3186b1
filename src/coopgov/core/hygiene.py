"""Input hygiene: the rules every input follows, and the hooks that apply them everywhere.

Character level, for every request (InputHygieneMiddleware): the path, the query string, form
fields, file names, cookies and JSON bodies (keys and values, at any depth) hold no NUL, no
other C0 control character except tab, line feed and carriage return, and no lone surrogate.
A JSON body is UTF-8 JSON as RFC 8259 writes it (no NaN or Infinity, no number that overflows).
PostgreSQL refuses NUL in text, so such input used to end in a 500; now it is a 400 that
names the field.

Field level, by type, for API schemas (coopgov.core.schemas.Schema) and forms (Form and
ModelForm below): single-line text holds no line break (multi-line text, a Textarea or a
`Text` schema field, may); dates and datetimes fall within the years YEAR_MIN to YEAR_MAX and
are written as dates, never as numbers; integers fit the database's signed 64-bit column.

Output: CSV cells are neutralised against formula injection (csv_cell).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import register_converter
from django.utils.translation import gettext as _

# Integers: the range of a signed 64-bit column (BigAutoField, bigint), the widest the
# database stores; beyond it SQLite raises OverflowError and PostgreSQL "out of range".
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# Dates: every date coopgov records (admissions of living members, mandates, meetings,
# decisions, plans, deadlines) falls well inside 1900 to 2199. Year 1 or 9999 is a typing error,
# and dates near the ends of Python's range overflow in date arithmetic (a term added, a
# time zone applied), which used to give 500s.
YEAR_MIN = 1900
YEAR_MAX = 2199

# Decimals: amounts and indicator values have at most 14 digits (DecimalField max_digits);
# anything not finite or beyond 10^15 is refused before it reaches arithmetic.
DECIMAL_LIMIT = Decimal(10) ** 15

# C0 controls except tab, LF and CR; and lone surrogates (only JSON's \ud800 escapes make them).
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# What str.splitlines() breaks on: what a single line must not hold.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ONLY_DIGITS = re.compile(r"\s*[-+]?\d+(\.\d*)?\s*")


# Characters


def character_problem(text: str) -> str | None:
    """What is wrong with the characters of `text`, as a message, or None."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return str(ProhibitNullCharactersValidator.message)
    if "\ud800" <= char <= "\udfff":
        return _("Invalid character (a lone surrogate, U+%(code)04X).") % {"code": ord(char)}
    return _("Control characters are not allowed (U+%(code)04X).") % {"code": ord(char)}


def one_line(text: str) -> str:
    """`text` on one line, without control characters: for places that cannot hold a line
    break (an email subject, a calendar summary), whatever was stored."""
    return " ".join(_BAD_CHARACTER.sub(" ", _LINE_BREAK.sub(" ", text)).split())


# JSON


class JsonError(ValueError):
    """A body that is not strict UTF-8 JSON."""


def _refuse_constant(name: str) -> Any:
    raise JsonError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonError(text)
    return value


def load_json(body: bytes) -> Any:
    """Parse a JSON body strictly: UTF-8 only (json.loads would guess UTF-16 or 32), no NaN or
    Infinity, no number too large for a float, nesting within the interpreter's limits."""
    try:
        return json.loads(
            body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise JsonError(str(error)) from error


def json_problems(data: Any) -> Iterator[tuple[str | None, str]]:
    """(field, message) for each key or string value with bad characters, at any depth; the
    field is the path of keys and list positions, e.g. "levels.0.note". Iterative, so that
    nesting depth costs no recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if problem := character_problem(value):
                yield path or None, problem
        elif isinstance(value, dict):
            for key, item in value.items():
                field = f"{path}.{key}" if path else str(key)
                if problem := character_problem(str(key)):
                    yield field, problem
                else:
                    stack.append((field, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))


# Requests


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(settings.API_PREFIX)


def _is_form(request: HttpRequest) -> bool:
    return request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}


def _is_json(request: HttpRequest) -> bool:
    # The API parses any body that is not a form as JSON, whatever its declared type.
    content_type = request.content_type or ""
    return (
        content_type == "application/json"
        or content_type.endswith("+json")
        or (is_api(request) and not _is_form(request))
    )


def request_problems(request: HttpRequest) -> Iterator[tuple[str | None, str]]:
    """(field, message) for each part of the request that breaks the character rules."""
    if problem := character_problem(request.path_info):
        yield "path", problem
    for name, values in request.GET.lists():
        yield from _pairs(name, values)
    for name, value in request.COOKIES.items():
        yield from _pairs(name, [value])
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if _is_form(request) and request.method == "POST":
            for name, values in request.POST.lists():
                yield from _pairs(name, values)
            for name, files in request.FILES.lists():
                yield from _pairs(name, [str(file.name) for file in files])
        elif _is_json(request) and request.body:
            try:
                data = load_json(request.body)
            except JsonError:
                yield None, _("The body is not valid JSON in UTF-8.")
                return
            yield from json_problems(data)


def _pairs(name: str, values: Iterable[str]) -> Iterator[tuple[str | None, str]]:
    if problem := character_problem(name):
        yield None, problem
        return
    for value in values:
        if problem := character_problem(value):
            yield name, problem
            return


class InputHygieneMiddleware:
    """Refuses, with a 400 naming the field, a request whose characters break the rules,
    before any view, form or query sees it. Placed after LocaleMiddleware (the message is in
    the reader's language) and before anything that reads the session from the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problems = list(request_problems(request))
        if problems:
            return refuse(request, problems)
        return self.get_response(request)


def refuse(request: HttpRequest, problems: list[tuple[str | None, str]]) -> HttpResponse:
    if is_api(request):
        return JsonResponse(
            {
                "detail": _("The request contains characters that are not allowed."),
                "errors": [{"field": field, "message": message} for field, message in problems],
            },
            status=400,
        )
    return render(request, "core/refused_input.html", {"problems": problems}, status=400)


# Fields


_INTEGER = re.compile("[0-9]{1,19}")


def parse_int(text: str, *, minimum: int = 0, maximum: int = INT64_MAX) -> int | None:
    """The whole number written in `text` in ASCII digits, or None when it is not one or falls
    outside minimum..maximum. For numbers read by hand from a query string or a form:
    str.isdigit() accepts "²", which int() then refuses with a 500."""
    text = text.strip()
    if not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_day(text: str) -> datetime.date | None:
    """The date written YYYY-MM-DD in `text` within YEAR_MIN to YEAR_MAX, or None (empty,
    malformed, impossible or out of range): for dates read by hand from a request, where
    django.utils.dateparse.parse_date raises ValueError on 2024-02-30."""
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None


def parse_year(text: str) -> int | None:
    """A year within YEAR_MIN to YEAR_MAX, or None: a year filter beyond them used to reach
    Django's year lookup, which cannot build the dates of year 0 or 10000."""
    return parse_int(text, minimum=YEAR_MIN, maximum=YEAR_MAX)


def check_single_line(value: Any) -> None:
    """Validator of single-line text."""
    if isinstance(value, str) and _LINE_BREAK.search(value):
        raise ValidationError(
            _("Write this on one line: line breaks are not allowed here."), code="single_line"
        )


def check_characters(value: Any) -> None:
    """Validator of text that does not come through a request (the middleware covers those)."""
    if isinstance(value, str) and (problem := character_problem(value)):
        raise ValidationError(problem, code="characters")


def check_date(value: Any) -> None:
    """Validator of dates and datetimes: within YEAR_MIN to YEAR_MAX."""
    if isinstance(value, datetime.date) and not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("Give a date between the years %(min)s and %(max)s.")
            % {"min": YEAR_MIN, "max": YEAR_MAX},
            code="date_range",
        )


def check_date_input(value: Any) -> None:
    """Refuse a number where a date is expected: pydantic reads 0 or "1700000000" as a Unix
    time (0 became 1 January 1970); a date is written 2026-03-31."""
    if isinstance(value, bool | int | float | Decimal) or (
        isinstance(value, str | bytes) and _ONLY_DIGITS.fullmatch(str(value))
    ):
        raise ValidationError(
            _("Write a date as YYYY-MM-DD (a time as YYYY-MM-DDTHH:MM), not as a number."),
            code="date_format",
        )


def check_int(value: Any) -> None:
    """Validator of integers: within the signed 64-bit range."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not INT64_MIN <= value <= INT64_MAX
    ):
        raise ValidationError(
            _("Give a whole number between %(min)s and %(max)s.")
            % {"min": INT64_MIN, "max": INT64_MAX},
            code="int_range",
        )


def check_decimal(value: Any) -> None:
    """Validator of decimals and floats: finite, and below DECIMAL_LIMIT in size."""
    if isinstance(value, Decimal | float) and (
        not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value))
        or abs(Decimal(value)) >= DECIMAL_LIMIT
    ):
        raise ValidationError(_("Give a number below 10¹⁵ in size."), code="decimal_range")


def apply_rules(field: forms.Field) -> None:
    """Add the field-level rules to one form field, according to its type and widget."""
    if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
        field.validators.append(check_single_line)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(check_date)
    if isinstance(field, forms.IntegerField):
        high, low = field.max_value, field.min_value
        if not isinstance(high, int) or high > INT64_MAX:
            field.validators.append(MaxValueValidator(INT64_MAX))
        if not isinstance(low, int) or low < INT64_MIN:
            field.validators.append(MinValueValidator(INT64_MIN))
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        field.validators.append(check_decimal)


class FieldRules:
    """The field-level rules for a form: every form of coopgov derives from Form or ModelForm
    below (tests/core/test_hygiene.py checks it), so a new field gets them by its type."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            apply_rules(field)


class Form(FieldRules, forms.Form):
    pass


class ModelForm[M: models.Model](FieldRules, forms.ModelForm[M]):
    pass


# URLs


class Int64Converter:
    """`<int64:pk>`: Django's `<int:…>` accepts any number of digits; beyond 64 bits the
    database cannot hold it, so the URL does not match (404) rather than reach a query."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT64_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register_converters() -> None:
    """Called by the root URLconf before it includes the apps' URLs; safe to call again."""
    with suppress(ValueError):  # already registered, e.g. when the URLconf is reloaded
        register_converter(Int64Converter, "int64")


# CSV

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell that a spreadsheet will not run as a formula: text starting with =, +, -, @, a
    tab or a carriage return gets a leading apostrophe (OWASP, CSV injection). Numbers and
    dates are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]
