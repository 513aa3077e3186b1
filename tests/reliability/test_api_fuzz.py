"""Schemathesis against coopgov's OpenAPI schema (scenario 25, CI size): every operation, the
examples and coverage phases, as the secretariat of the demo cooperative with real ids in the
paths. Checks: no 5xx, every status code and every answer body in the schema.

The fuzzing phase and the stateful phase stay out of CI (minutes each on two cores); run them
by hand with FUZZ_PHASES=examples,coverage,fuzzing. FUZZ_MAX_EXAMPLES bounds the cases per
operation and phase (10 in CI).
"""

from __future__ import annotations

import collections
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from coopgov.api import api
from tests.reliability.fuzz_support import World, api_path_values, demo_world

PHASES = os.environ.get("FUZZ_PHASES", "examples,coverage").split(",")
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))


def config(world: World) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20261204,
            "headers": {"Authorization": f"Bearer {world.token}"},
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
            "phases": {
                "examples": {"enabled": "examples" in PHASES},
                "coverage": {"enabled": "coverage" in PHASES},
                "fuzzing": {"enabled": "fuzzing" in PHASES},
                "stateful": {"enabled": False},
            },
        }
    )


def with_real_ids(raw: dict[str, Any], world: World) -> dict[str, Any]:
    """Each path parameter narrowed to the demo's real value (an enum of one): with random ids
    every request would stop at a 404 before reaching the body."""
    for path, operations in raw["paths"].items():
        values = api_path_values(world, path)
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    kind = parameter["schema"].get("type", "string")
                    value = values[parameter["name"]]
                    parameter["schema"] = {
                        "type": kind,
                        "enum": [int(value) if kind == "integer" else value],
                    }
    return raw


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

# Figures for the report at the end of the module: (operation, status) → count.
STATS: collections.Counter[tuple[str, int]] = collections.Counter()


# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("api_fuzz")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), demo_world() as loaded:
        yield loaded
    _report()


@pytest.fixture
def api_schema(world: World, db: None) -> Iterator[Any]:
    """The app's schema, run with the demo's real ids in paths. Requests go
    straight to Django's WSGI handler, in this thread and this test's transaction; as in
    Django's test client, the end of a request must not close the connection."""
    raw = Client().get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(with_real_ids(raw, world), config=config(world))
    schema.app = WSGIHandler()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _tags() -> list[str]:
    """The API's tags (one per app), read from its schema: a new app is fuzzed without an edit."""
    operations = api.get_openapi_schema()["paths"].values()
    return sorted({tag for ops in operations for op in ops.values() for tag in op["tags"]})


@pytest.mark.parametrize("tag", _tags())
def test_every_answer_is_in_the_schema_and_none_is_a_server_error(
    tag: str, api_schema: Any, world: World
) -> None:
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        STATS[(case.operation.label, response.status_code)] += 1
        case.validate_response(response, checks=CHECKS)

    failures: dict[str, str] = {}
    tests = get_all_tests(
        schema=api_schema.include(tag=tag), test_func=check, settings=None, given_kwargs=None
    )
    for result in tests:
        assert isinstance(result, Ok), result
        operation, test = result.ok()
        try:
            test()
        except Exception as error:  # each operation's failures are listed
            failures[operation.label] = str(error)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def _report() -> None:
    """Print the figures (`pytest -s` shows them): cases per operation and status."""
    by_status: collections.Counter[int] = collections.Counter()
    operations = set()
    for (label, status), count in STATS.items():
        by_status[status] += count
        operations.add(label)
    total = sum(by_status.values())
    server_errors = sorted({label for (label, status) in STATS if status >= 500})
    if server_errors:
        print("\nAPI fuzz: server errors on " + ", ".join(server_errors))
    print(
        f"\nAPI fuzz: {len(operations)} operations, {total} cases, by status {dict(sorted(by_status.items()))}"
    )
