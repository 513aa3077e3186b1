"""Input hygiene (coopgov.core.hygiene): each rule, each hook that applies it, and each edge
input that used to end in a 500 or be accepted wrongly."""

from __future__ import annotations

import datetime
import importlib
import inspect
import typing
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from pydantic import ValidationError as PydanticError

from coopgov.api import api
from coopgov.core import hygiene
from coopgov.core.models import Member, MemberCategory, Organisation, Person
from coopgov.core.schemas import Schema, Text
from tests.conftest import in_english, login

BIG = str(2**63)  # one more than the largest bigint


def api_client(client: Client, person: Person) -> Client:
    login(client, person)
    return in_english(client)


# Characters, for every request


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a\x00b", "Null characters are not allowed."),
        ("a\x07b", "Control characters are not allowed (U+0007)."),
        ("a\x1bb", "Control characters are not allowed (U+001B)."),
        ("a\ud800b", "Invalid character (a lone surrogate, U+D800)."),
        ("tab\tline\nfeed\r\n", None),
        ("Écrit — “ok” 😀", None),
    ],
)
def test_the_character_rule_refuses_c0_controls_and_lone_surrogates_only(
    text: str, problem: str | None
) -> None:
    assert hygiene.character_problem(text) == problem


def test_a_nul_in_an_api_search_is_a_400_naming_the_field(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    # PostgreSQL refuses NUL in text: this search used to answer 500 there.
    response = api_client(client, secretariat).get("/api/v1/organisations/coop/people?q=a%00b")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request contains characters that are not allowed.",
        "errors": [{"field": "q", "message": "Null characters are not allowed."}],
    }


def test_a_nul_in_a_page_search_is_a_400_page_naming_the_field(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    response = api_client(client, secretariat).get("/coop/members/?q=a%00b")
    assert response.status_code == 400
    assert b"<strong>q</strong>: Null characters are not allowed." in response.content


def test_a_nul_in_a_form_field_is_refused_before_the_view(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    count = Person.objects.count()
    response = api_client(client, secretariat).post(
        "/coop/people/new/", {"first_name": "Ann\x00", "last_name": "Lee"}
    )
    assert response.status_code == 400
    assert b"<strong>first_name</strong>" in response.content
    assert Person.objects.count() == count


def test_a_nul_in_the_path_or_a_cookie_is_refused(client: Client, org: Organisation) -> None:
    # The calendar token and the session key reach a query: a 500 on PostgreSQL.
    assert client.get("/calendars/abc%00def.ics").status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/").status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"first_name": "a\\u0000", "last_name": "b"}', "first_name"),
        (b'{"first_name": "a", "last_name": "\\ud800"}', "last_name"),
        (b'{"first_name": "a", "last_name": "b", "x": [{"y\\u0007": 1}]}', "x.0.y\x07"),
        (b'{"first_name": "a", "last_name": "b", "x": {"y": ["ok", "\\u001f"]}}', "x.y.1"),
    ],
)
def test_bad_characters_in_a_json_body_are_refused_at_any_depth(
    client: Client, org: Organisation, secretariat: Person, body: bytes, field: str
) -> None:
    count = Person.objects.count()
    response = api_client(client, secretariat).post(
        "/api/v1/organisations/coop/people", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert Person.objects.count() == count


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe{\x00}\x00",  # UTF-16, which json.loads would guess and accept
        b'{"first_name": "\xe9"}',  # Latin-1
        b'{"first_name": NaN, "last_name": "b"}',
        b'{"first_name": "a", "last_name": "b", "n": 1e400}',
        b"[" * 100_000,
        b"{",
    ],
)
def test_a_body_that_is_not_strict_utf8_json_is_a_400(
    client: Client, org: Organisation, secretariat: Person, body: bytes
) -> None:
    response = api_client(client, secretariat).post(
        "/api/v1/organisations/coop/people", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": None, "message": "The body is not valid JSON in UTF-8."}
    ]


def test_line_breaks_and_tabs_pass_the_character_check(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    response = api_client(client, secretariat).get("/coop/members/?q=a%0D%0Ab%09c")
    assert response.status_code == 200


# Fields, in API schemas


class Sample(Schema):
    title: str
    text: Text = ""
    note: Text | None = None
    day: datetime.date | None = None
    moment: datetime.datetime | None = None
    number: int = 0
    amount: Decimal | None = None
    tags: list[str] = []
    scores: dict[int, int] = {}


INPUT = {"request": None}  # how ninja validates a request: the rules apply
OUTPUT = {"request": None, "response_status": 200}  # an answer: stored data as it is


def messages(data: Any) -> list[str]:
    with pytest.raises(PydanticError) as error:
        Sample.model_validate(data, context=INPUT)
    return [item["msg"] for item in error.value.errors()]


def test_plain_text_is_single_line_and_text_fields_are_multi_line() -> None:
    assert messages({"title": "two\nlines"}) == [
        "Write this on one line: line breaks are not allowed here."
    ]
    for brk in ["\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]:
        assert messages({"title": f"a{brk}b"}), repr(brk)
    assert messages({"title": "ok", "tags": ["a", "b\nc"]})
    valid = Sample.model_validate(
        {"title": "one line\twith a tab", "text": "two\nlines", "note": "a\r\nb"}, context=INPUT
    )
    assert valid.text == "two\nlines"


@pytest.mark.parametrize("value", [0, 1700000000, "0", "1700000000", " 20260331 ", 1.5, "-1"])
def test_a_date_written_as_a_number_is_refused(value: object) -> None:
    # Pydantic reads numbers as Unix times: 0 used to become 1 January 1970.
    assert messages({"title": "x", "day": value}) == [
        "Write a date as YYYY-MM-DD (a time as YYYY-MM-DDTHH:MM), not as a number."
    ]
    assert messages({"title": "x", "moment": value})


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_a_date_outside_1900_to_2199_is_refused(day: str) -> None:
    assert messages({"title": "x", "day": day}) == ["Give a date between the years 1900 and 2199."]
    assert messages({"title": "x", "moment": f"{day}T10:00:00+14:00"})


def test_a_datetime_without_offset_is_read_in_the_cooperative_s_time_zone() -> None:
    valid = Sample.model_validate(
        {"title": "x", "day": "1900-01-01", "moment": "2199-12-31T23:00:00"}, context=INPUT
    )
    assert valid.moment is not None and valid.moment.utcoffset() == datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    "data",
    [
        {"number": 2**63},
        {"number": -(2**63) - 1},
        {"scores": {"1": 2**64}},
        {"scores": {str(2**64): 1}},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"amount": "1e15"},
    ],
)
def test_numbers_beyond_the_database_range_are_refused(data: dict[str, Any]) -> None:
    assert messages({"title": "x", **data})


def test_the_largest_numbers_the_database_holds_are_accepted() -> None:
    valid = Sample.model_validate(
        {
            "title": "x",
            "number": 2**63 - 1,
            "scores": {"1": -(2**63)},
            "amount": "99999999999999.99",
        },
        context=INPUT,
    )
    assert valid.number == 2**63 - 1


@pytest.mark.parametrize("body", ["hello", 1, None, [], ["title"], True])
def test_a_body_of_another_shape_than_an_object_is_refused(body: object) -> None:
    # Ninja reads attributes of anything: "hello" passed for an object whose fields have defaults.
    assert messages(body) == ["Send a JSON object here."]


def test_answers_show_stored_data_as_it_is() -> None:
    stored = {"title": "two\nlines", "day": "0001-01-01", "number": 2**70}
    assert Sample.model_validate(stored, context=OUTPUT).title == "two\nlines"


def test_every_api_schema_derives_from_coopgov_s_schema() -> None:
    for label in ("core", "bodies", "meetings", "dossiers", "strategy", "offers"):
        module = importlib.import_module(f"coopgov.{label}.api")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and hasattr(value, "model_fields")
            ):
                assert issubclass(value, Schema), f"{module.__name__}.{name}"


def _operations() -> list[Any]:
    found = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            found.extend(path_view.operations)
    return found


def test_every_number_and_date_parameter_of_the_api_is_bounded() -> None:
    """Query and path parameters are not schemas: they must be annotated Int64, Day or Moment
    (coopgov.core.schemas). This lists any that a new endpoint declares as a plain int, date or
    datetime."""
    plain = []
    for operation in _operations():
        for model in operation.models:
            if model.__ninja_param_source__ not in {"path", "query"}:
                continue
            for name, field in model.model_fields.items():
                kinds = [field.annotation, *typing.get_args(field.annotation)]
                if datetime.date in kinds or datetime.datetime in kinds:
                    if not any(getattr(m, "func", None) for m in field.metadata):
                        plain.append(f"{operation.view_func.__name__}({name})")
                elif int in kinds and not field.metadata:
                    plain.append(f"{operation.view_func.__name__}({name})")
    assert plain == []


def test_a_page_number_beyond_the_database_offset_is_a_422(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    # The offset (page - 1) x size overflowed the database: a 500 on both databases.
    api_client(client, secretariat)
    response = client.get(f"/api/v1/organisations/coop/people?page={BIG}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"
    assert client.get("/api/v1/organisations/coop/people?page=1000000").json()["items"] == []


def test_a_member_admitted_in_year_1_or_on_date_0_is_refused(
    client: Client, org: Organisation, secretariat: Person, category_a: MemberCategory
) -> None:
    api_client(client, secretariat)
    url = "/api/v1/organisations/coop/members"
    for day in ("0001-01-01", 0, "0"):
        payload = {"category": "A", "legal_name": "X", "admission_date": day}
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 422, day
        assert response.json()["errors"][0]["field"] == "admission_date"
    assert not Member.objects.filter(legal_name="X").exists()


def test_pydantic_messages_are_given_in_the_reader_s_language(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    login(client, secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(
        "/api/v1/organisations/coop/people", {"last_name": "Lee"}, content_type="application/json"
    )
    assert response.json()["errors"] == [
        {"field": "first_name", "message": "Ce champ est obligatoire."}
    ]


def test_every_api_operation_declares_its_error_answers_in_the_error_format() -> None:
    schema = api.get_openapi_schema()
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"detail", "errors"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answers = {str(status): answer for status, answer in operation["responses"].items()}
            expected = {"400", "401", "403", "422"} | ({"404"} if "{" in path else set())
            assert expected <= set(answers), (method, path)
            for status in expected:
                content = answers[status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


# Fields, in forms


def _coopgov_forms() -> list[type[forms.BaseForm]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("coopgov."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, forms.BaseForm)
            and value.__module__ == module.__name__
        ]
    return found


def test_every_form_of_coopgov_applies_the_field_rules() -> None:
    found = _coopgov_forms()
    assert len(found) > 50
    assert [f.__qualname__ for f in found if not issubclass(f, hygiene.FieldRules)] == []


class SampleForm(hygiene.Form):
    title = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    day = forms.DateField(required=False)
    moment = forms.DateTimeField(required=False)
    seats = forms.IntegerField(required=False)
    weight = forms.IntegerField(required=False, min_value=1, max_value=10)
    rate = forms.DecimalField(required=False)


def form_errors(**data: Any) -> dict[str, list[str]]:
    form = SampleForm(data={"title": "x", **data})
    form.is_valid()
    return dict(form.errors)


def test_a_form_refuses_line_breaks_in_single_line_fields_only() -> None:
    assert form_errors(title="a\nb") == {
        "title": ["Write this on one line: line breaks are not allowed here."]
    }
    assert form_errors(notes="a\r\nb") == {}


def test_a_form_refuses_dates_outside_1900_to_2199() -> None:
    assert form_errors(day="0001-01-01") == {
        "day": ["Give a date between the years 1900 and 2199."]
    }
    assert form_errors(moment="2200-01-01T10:00") == {
        "moment": ["Give a date between the years 1900 and 2199."]
    }
    assert form_errors(day="1900-01-01", moment="2199-12-31T23:59") == {}


def test_a_form_refuses_integers_beyond_64_bits_and_keeps_its_own_limits() -> None:
    assert "seats" in form_errors(seats=BIG)
    assert form_errors(seats=str(2**63 - 1)) == {}
    assert "weight" in form_errors(weight="11")
    assert "rate" in form_errors(rate="1e20")


def test_a_meeting_form_refuses_a_title_on_two_lines_and_year_1(org: Organisation) -> None:
    from coopgov.meetings.forms import MeetingForm

    form = MeetingForm(
        data={"title": "A\nB", "starts_at": "0001-01-01T10:00", "access_notes": "1\n2"},
        organisation=org,
    )
    form.is_valid()
    assert {"title", "starts_at"} <= set(form.errors)
    assert "access_notes" not in form.errors


# Numbers read by hand, paths


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), (" 7 ", 7), ("²", None), ("١٢", None), ("-1", None), ("", None), (BIG, None)],
)
def test_parse_int_reads_ascii_digits_within_range(text: str, number: int | None) -> None:
    assert hygiene.parse_int(text) == number


@pytest.mark.parametrize("year", [BIG, "%C2%B2", "0", "10000"])
def test_a_year_filter_out_of_range_or_not_a_number_shows_a_page(
    client: Client, org: Organisation, secretariat: Person, year: str
) -> None:
    # Each of these used to answer 500: OverflowError, int("²"), year 0 out of range.
    api_client(client, secretariat)
    assert client.get(f"/coop/meetings/?year={year}").status_code == 200
    assert client.get(f"/coop/decisions/?year={year}").status_code == 200
    assert client.get(f"/coop/members/?q={year}").status_code == 200
    assert client.get(f"/api/v1/organisations/coop/members?q={year}").status_code == 200
    assert client.get(f"/coop/members/?page={year}").status_code == 200


def test_a_number_in_a_path_beyond_64_bits_does_not_match_a_url() -> None:
    assert resolve(f"/coop/members/{2**63 - 1}/").kwargs["number"] == 2**63 - 1
    with pytest.raises(Resolver404):
        resolve(f"/coop/members/{BIG}/")


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            found.append(route)
    return found


def test_every_url_of_coopgov_bounds_its_numbers() -> None:
    routes = _routes(get_resolver())
    assert any("<int64:" in route for route in routes)
    assert [route for route in routes if "<int:" in route and "admin/" not in route] == []


# Output


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Budget 2026", "Budget 2026"),
        ("", ""),
        (-5, -5),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 1)),
    ],
)
def test_csv_cells_that_start_like_a_formula_get_an_apostrophe(cell: object, safe: object) -> None:
    assert hygiene.csv_cell(cell) == safe


def test_one_line_puts_any_stored_text_on_one_line() -> None:
    assert hygiene.one_line(" a\r\nb\u2028c\x00d\x0be ") == "a b c d e"


def test_load_json_is_strict() -> None:
    assert hygiene.load_json(b'{"a": [1, 2.5, "\\u00e9"]}') == {"a": [1, 2.5, "é"]}
    for body in (b"NaN", b"-Infinity", b"1e999", b"\xff", "é".encode("latin-1")):
        with pytest.raises(hygiene.JsonError):
            hygiene.load_json(body)
