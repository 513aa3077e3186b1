"""Hostile input at every API operation and every HTML form (scenarios 11 and 23 in spirit):
NUL and other control characters, line breaks where one line is meant, year 1 and `0` as
dates, numbers beyond 64 bits, very long strings, formula prefixes, JSON of the wrong shape.
Never a 5xx; what the rules refuse is a 4xx (or, for a page, the form shown again or a
redirect with an error) and leaves every row count unchanged (an accepted action writes at
least its audit event).

The targets are generated, so a new endpoint is covered without an edit: API operations from
the OpenAPI schema, forms by crawling the pages of the demo as its secretariat (each kind of
page once, each form a card opens with ?form=…).
"""

from __future__ import annotations

import dataclasses
import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgov.api import api
from tests.reliability.fuzz_support import (
    World,
    api_path_values,
    changed,
    demo_world,
    fill_path,
    row_counts,
)

BIG = 2**63
LONG = "x" * 20_000


@dataclass(frozen=True)
class Hostile:
    name: str
    value: Any
    must_refuse: bool
    # Which kinds of field it goes into: see _kind().
    kinds: frozenset[str]


TEXTS = frozenset({"line", "text"})
HOSTILE = [
    Hostile("NUL", "a\x00b", True, TEXTS | {"hidden"}),
    Hostile("escape", "a\x1b[31mb", True, TEXTS | {"hidden"}),
    Hostile("line break", "first\nsecond", True, frozenset({"line"})),
    Hostile("line separator", "first\u2028second", True, frozenset({"line"})),
    Hostile("year 1", "0001-01-01", True, frozenset({"date"})),
    Hostile("year 9999", "9999-12-31", True, frozenset({"date"})),
    Hostile("0 as a date", "0", True, frozenset({"date"})),
    Hostile("year 1 time", "0001-01-01T10:00", True, frozenset({"datetime"})),
    Hostile("2^63", str(BIG), True, frozenset({"int"})),
    Hostile("-2^63-1", str(-BIG - 1), True, frozenset({"int"})),
    Hostile("long", LONG, False, TEXTS),
    Hostile("formula", '=HYPERLINK("http://evil.example")', False, TEXTS),
    Hostile("letters for a number", "x1", False, frozenset({"hidden", "int"})),
]
# Only JSON carries a lone surrogate (as \ud800): form encoding cannot.
API_ONLY = [
    Hostile("lone surrogate", "a\ud800b", True, TEXTS),
    Hostile("0 as a number", 0, True, frozenset({"date", "datetime"})),
]


# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("hostile_input")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), demo_world() as loaded:
        yield loaded


@dataclass
class Outcome:
    """What a hostile request did, and whether that breaks the rules."""

    target: str
    hostile: str
    status: int
    changed: dict[str, tuple[int, int]]
    must_refuse: bool
    page: bool  # a page shows a refused form again (200) or redirects with an error

    @property
    def problem(self) -> str | None:
        if self.status >= 500:
            return "server error"
        if self.must_refuse and not self.page and self.status < 400:
            return "accepted"
        if (self.must_refuse or self.status >= 400) and self.changed:
            return f"saved {self.changed}"
        return None


def run(target: str, hostile: Hostile, send: Any, *, page: bool = False) -> Outcome:
    before = row_counts()
    status = send().status_code
    after = row_counts()
    return Outcome(target, hostile.name, status, changed(before, after), hostile.must_refuse, page)


def report(outcomes: list[Outcome]) -> str:
    return "\n".join(
        f"{o.target} <- {o.hostile}: {o.status}, {o.problem}" for o in outcomes if o.problem
    )


# The API, from its schema


SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:  # X | None
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return _resolve(schema)
    return schema


def _kind(schema: dict[str, Any]) -> str:
    schema = _resolve(schema)
    kind = schema.get("type")
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return "date"
        if fmt == "date-time":
            return "datetime"
        if fmt in {"uuid", "decimal"} or "enum" in schema:
            return "other"
        return "text" if schema.get("x-multi-line") else "line"
    if kind == "integer":
        return "int"
    return kind or "other"


def baseline(schema: dict[str, Any]) -> Any:
    """A plausible value of a schema: required fields only, simple values."""
    schema = _resolve(schema)
    kind = _kind(schema)
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: baseline(properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [baseline(schema["items"])] if schema.get("minItems") else []
    return {
        "line": "Plain",
        "text": "Plain",
        "date": timezone.localdate().isoformat(),
        "datetime": timezone.now().isoformat(),
        "int": 1,
        "number": 1,
        "boolean": False,
    }.get(kind, "1")


def fields(
    schema: dict[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path, kind) of every field of a body schema, nested objects included."""
    schema = _resolve(schema)
    for name, sub in schema.get("properties", {}).items():
        if _kind(sub) == "object":
            yield from fields(sub, (*path, name))
        else:
            yield (*path, name), _kind(sub)


def put(body: Any, path: tuple[str, ...], value: Any) -> Any:
    body = json.loads(json.dumps(body))
    target = body
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return body


OPERATIONS = [
    (method, path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
]


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    OPERATIONS,
    ids=[f"{m.upper()} {p.removeprefix('/api/v1')}" for m, p, _ in OPERATIONS],
)
def test_every_api_operation_refuses_hostile_input_cleanly(
    method: str, path: str, operation: dict[str, Any], world: World, db: None, client: Client
) -> None:
    url = fill_path(path, api_path_values(world, path))
    outcomes: list[Outcome] = []
    query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    for parameter in query:
        kind = _kind(parameter["schema"])
        for hostile in HOSTILE:
            if kind in hostile.kinds:
                if "line" in hostile.name:  # a search on two lines stores nothing: allowed
                    hostile = dataclasses.replace(hostile, must_refuse=False)
                params = {parameter["name"]: hostile.value}
                outcomes.append(
                    run(
                        parameter["name"],
                        hostile,
                        lambda q=params: client.generic(
                            method.upper(), url, query_params=q, **world.auth
                        ),
                    )
                )
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and _kind(parameter["schema"]) == "int":
            values = {**api_path_values(world, path), parameter["name"]: str(BIG)}
            beyond = fill_path(path, values)
            outcomes.append(
                run(
                    parameter["name"],
                    HOSTILE[8],
                    lambda u=beyond: client.generic(
                        method.upper(), u, "{}", "application/json", **world.auth
                    ),
                )
            )
    body_schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
    )
    if body_schema is not None:
        base = baseline(body_schema)
        for path_in_body, kind in fields(body_schema):
            for hostile in HOSTILE + API_ONLY:
                if kind in hostile.kinds:
                    value = hostile.value
                    if kind == "int" and str(value).lstrip("-").isdigit():
                        value = int(value)  # a number in JSON, not a string
                    body = json.dumps(put(base, path_in_body, value))
                    outcomes.append(
                        run(
                            ".".join(path_in_body),
                            hostile,
                            lambda b=body: _send(client, method, url, b, world),
                        )
                    )
        for shape in ('"hello"', "[]", "null", "42", '{"a": "\\u0000"}', "{", '"\\ud800"'):
            outcomes.append(
                run(
                    "body",
                    Hostile(f"body {shape}", shape, True, frozenset()),
                    lambda s=shape: _send(client, method, url, s, world),
                )
            )
    assert not report(outcomes), report(outcomes)


def _send(client: Client, method: str, url: str, body: str, world: World) -> Any:
    return client.generic(
        method.upper(), url, body.encode("utf-8", "surrogatepass"), "application/json", **world.auth
    )


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operation=st.sampled_from([o for o in OPERATIONS if "requestBody" in o[2]]),
    text=st.text(st.characters(codec="utf-8"), max_size=40),
)
def test_random_text_in_any_api_body_field_never_gives_a_server_error(
    operation: tuple[str, str, dict[str, Any]], text: str, world: World, db: None, client: Client
) -> None:
    method, path, spec = operation
    schema = spec["requestBody"]["content"]["application/json"]["schema"]
    targets = [p for p, kind in fields(schema) if kind in TEXTS]
    if not targets:
        return
    body = json.dumps(put(baseline(schema), targets[len(text) % len(targets)], text))
    url = fill_path(path, api_path_values(world, path))
    outcome = run(
        path, Hostile("random", text, False, TEXTS), lambda: _send(client, method, url, body, world)
    )
    assert outcome.problem is None, (method, path, text, outcome)


# HTML forms, by crawling the pages


@dataclass
class Input:
    name: str
    kind: str  # line, text, hidden, date, datetime, int, choice, check, file, other
    value: str = ""
    values: list[str] = field(default_factory=list)  # options of a select, in order
    selected: list[str] = field(default_factory=list)
    checked: bool = False
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    inputs: list[Input] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """What a person submitting the form as shown would send."""
        data: dict[str, Any] = {}
        for item in self.inputs:
            if item.kind == "choice":
                chosen = item.selected or [v for v in item.values if v][:1]
                if chosen:
                    data[item.name] = chosen if item.multiple else chosen[0]
            elif item.kind == "check":
                if item.checked:
                    data.setdefault(item.name, []).append(item.value or "on")
            elif item.kind != "file":
                data[item.name] = item.value
        return data


INPUT_KINDS = {
    "text": "line",
    "search": "other",  # the search box of a long select: the view ignores it
    "email": "line",
    "url": "line",
    "tel": "line",
    "password": "line",
    "hidden": "hidden",
    "date": "date",
    "datetime-local": "datetime",
    "number": "int",
    "checkbox": "check",
    "radio": "check",
    "file": "file",
}


class Page(HTMLParser):
    """The links and the POST forms of a page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.get_form: Form | None = None  # a search form: its fields are query parameters
        self._form: Form | None = None
        self._select: Input | None = None
        self._textarea: Input | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for link in (a.get("href"), a.get("hx-get")):
            if link is not None and tag in {"a", "div", "button", "select", "input", "form"}:
                self.links.append(urljoin(self.url, link))
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(self.url, urljoin(self.url, a.get("action") or self.url))
            self.forms.append(self._form)
        elif tag == "form":
            self._form = self.get_form = Form(self.url, urljoin(self.url, a.get("action") or ""))
        elif self._form is None or ("name" not in a and tag != "option"):
            return
        elif tag == "input":
            kind = INPUT_KINDS.get(a.get("type", "text").lower(), "other")
            self._form.inputs.append(
                Input(a["name"], kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "textarea":
            self._textarea = Input(a["name"], "text")
            self._form.inputs.append(self._textarea)
        elif tag == "select":
            self._select = Input(a["name"], "choice", multiple="multiple" in a)
            self._form.inputs.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))
            if "selected" in a:
                self._select.selected.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


SKIPPED = ("/static/", "/admin/", "/accounts/", "/api/", "/calendars/", "/i18n/")


def _page_key(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.netloc not in {"", "testserver"} or parts.path.startswith(SKIPPED):
        return None
    if parts.path.endswith((".pdf", ".ics", ".csv")) or "format=" in parts.query:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name in {"meetings:document", "meetings:board_book", "meetings:minutes_pdf"}:
        return None
    form = next((q.split("=", 1)[1] for q in parts.query.split("&") if q.startswith("form=")), "")
    return match.view_name, form


def crawl(
    client: Client, roots: list[str], limit: int = 400
) -> tuple[list[str], list[Form], dict[str, set[str]]]:
    """Each kind of page once (each ?form= card too), following the links of the pages; with
    the POST forms found, and the query parameters each page takes (from its links and its
    search forms)."""
    queue, seen, visited, forms = deque(roots), set(), [], []
    queries: dict[str, set[str]] = {}
    while queue and len(visited) < limit:
        url = queue.popleft().split("#")[0]
        key = _page_key(url)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = client.get(url)
        visited.append(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = Page(url)
        page.feed(response.content.decode())
        queue.extend(page.links)
        forms.extend(page.forms)
        for link in page.links:
            parts = urlsplit(link)
            if parts.query and _page_key(link) is not None:
                names = {q.split("=", 1)[0] for q in parts.query.split("&")}
                queries.setdefault(parts.path, set()).update(names - {"form"})
        if page.get_form is not None:
            names = {i.name for i in page.get_form.inputs}
            queries.setdefault(urlsplit(page.get_form.action).path, set()).update(names)
    return visited, forms, queries


def _form_key(form: Form) -> tuple[str, tuple[str, ...]] | None:
    parts = urlsplit(form.action)
    if parts.path.startswith(SKIPPED) or parts.path.startswith("/accounts/"):
        return None
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return None
    return name, tuple(sorted({i.name for i in form.inputs}))


@dataclass
class Site:
    pages: list[str]
    forms: list[Form]
    queries: dict[str, set[str]]


@pytest.fixture(scope="module")
def site(world: World, django_db_blocker: Any) -> Site:
    """The demo's pages as its secretariat sees them, and one form of each kind."""
    org = world.org.code
    sections = ("bodies", "meetings", "dossiers", "decisions", "actions", "resolutions")
    sections += ("dialogue", "strategy", "offers", "activities", "people", "members", "units")
    roots = ["/", "/me/", f"/{org}/", *(f"/{org}/{section}/" for section in sections)]
    with django_db_blocker.unblock():
        pages, found, queries = crawl(signed_in(world), roots)
    forms: dict[Any, Form] = {}
    for form in found:
        key = _form_key(form)
        if key is not None:
            forms.setdefault(key, form)
    return Site(pages, list(forms.values()), queries)


def signed_in(world: World) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is an outcome to report
    assert world.secretariat.user is not None
    client.force_login(world.secretariat.user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_row_snapshot_sees_what_an_accepted_form_saves(world: World, db: None) -> None:
    """The detector of half-saved requests, checked against a request that saves."""
    client = signed_in(world)
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "preferred_language": "fr",
        "gender": "female",
    }
    outcome = run(
        "people/new",
        Hostile("valid", "", True, frozenset()),
        lambda: client.post(f"/{world.org.code}/people/new/", data),
        page=True,
    )
    assert outcome.status == 302
    assert {"core_person", "core_event"} <= set(outcome.changed)
    assert outcome.problem is not None  # a must-refuse request that saved would be reported


QUERY_VALUES = ["a\x00b", "x1", "²", str(BIG), "-1", "0", "0001-01-01", "2024-02-30", LONG]


def test_every_query_parameter_of_the_pages_takes_hostile_values_cleanly(
    world: World, site: Site, db: None
) -> None:
    """Filters, years, dates, pages, searches: read by hand in views, where a "²" or a
    2024-02-30 used to end in a 500."""
    assert sum(len(names) for names in site.queries.values()) > 15, site.queries
    client = signed_in(world)
    outcomes = [
        run(
            f"{path}?{name}",
            Hostile(repr(value)[:20], value, value == "a\x00b", frozenset()),
            lambda p=path, q={name: value}: client.get(p, q),
        )
        for path, names in site.queries.items()
        for name in names
        for value in QUERY_VALUES
    ]
    assert not report(outcomes), report(outcomes)


def test_every_html_form_refuses_hostile_input_cleanly(world: World, site: Site, db: None) -> None:
    assert len(site.pages) > 40 and len(site.forms) > 40, (len(site.pages), len(site.forms))
    client = signed_in(world)
    outcomes = []
    for form in site.forms:
        for hostile in HOSTILE:
            targets = [i.name for i in form.inputs if i.kind in hostile.kinds]
            if not targets:
                continue
            data = {**form.data(), **dict.fromkeys(targets, hostile.value)}
            outcomes.append(
                run(
                    f"{form.action} ({', '.join(targets)})",
                    hostile,
                    lambda d=data, a=form.action: client.post(a, d),
                    page=True,
                )
            )
    print(
        f"\nHTML forms: {len(site.pages)} pages crawled, {len(site.forms)} forms, "
        f"{len(outcomes)} hostile submissions"
    )
    assert not report(outcomes), report(outcomes)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), text=st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_random_text_in_any_form_field_never_gives_a_server_error(
    data: st.DataObject, text: str, world: World, site: Site, db: None
) -> None:
    form = data.draw(st.sampled_from([f for f in site.forms if _text_inputs(f)]))
    name = data.draw(st.sampled_from(_text_inputs(form)))
    client = signed_in(world)
    outcome = run(
        f"{form.action} ({name})",
        Hostile("random", text, False, TEXTS),
        lambda: client.post(form.action, {**form.data(), name: text}),
        page=True,
    )
    assert outcome.problem is None, (outcome, text)


def _text_inputs(form: Form) -> list[str]:
    return [i.name for i in form.inputs if i.kind in TEXTS]
