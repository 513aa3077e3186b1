"""Limits under concurrency (issue 13, point 1): seats, seat groups, gender balance, terms,
advisory seats, one mandate per holder and body at a time, proxies per holder, one proxy per
giver.

Each race sends many attempts at once: real threads, each with its own database connection,
released together by a barrier, most of them through the API with the test client, so that a
refusal is seen as the person sees it. Exactly what the rule allows is stored; every other
attempt is refused with the rule's message and a 422, never a 5xx.

Each race ends with its negative control: the protection removed (the locking helper made a
no-op, the constraint dropped, then restored) and a barrier between the check and the write, so
that every attempt checks before any writes. The breach must then happen: it proves that the
race would catch a regression. The controls need row locks and constraints that SQLite does not
have, so they run on PostgreSQL only; the races run on both. A race and its control share one
test because each transactional test ends with emptying every table, which costs seconds.
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import translation

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import MemberCategory, Organisation, Person
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Invitation, Meeting, Proxy
from tests.conftest import login, make_member, make_person

pytestmark = pytest.mark.usefixtures("transactional_db")

D = datetime.date
START = D(2024, 1, 1)
MANY = 50  # as in the tester's findings: 50 appointments at once
SOME = 20
CONTROL = 6  # attempts of a negative control: enough to show the breach

# SQLite has no row locks and no exclusion constraint to remove: every write transaction runs
# alone (BEGIN IMMEDIATE), so a breach cannot be shown there, and a barrier between check and
# write would wait forever on the write lock.
CONTROLS = connection.vendor == "postgresql"


# Running attempts together


def race[T](attempts: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run the attempts at once, one thread and one database connection each; returns what
    each returned or raised."""
    start = threading.Barrier(len(attempts), timeout=60)
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(attempts)

    def run(index: int) -> None:
        try:
            with translation.override("en"):
                start.wait()
                results[index] = attempts[index]()
        except BaseException as error:  # reported, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an attempt is stuck"
    return results


class Api:
    """One signed-in session, a fresh client per thread (a Client is not thread-safe); a
    server error comes back as a 500 instead of raising."""

    def __init__(self, person: Person) -> None:
        self.session = login(Client(), person).cookies[settings.SESSION_COOKIE_NAME].value

    def post(self, url: str, payload: dict[str, Any]) -> Callable[[], tuple[int, str]]:
        def attempt() -> tuple[int, str]:
            client = Client(raise_request_exception=False)
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            response = client.post(url, payload, content_type="application/json")
            errors = response.json().get("errors") if response.status_code == 422 else None
            return response.status_code, errors[0]["message"] if errors else ""

        return attempt


def answers(results: list[Any]) -> Counter[int]:
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return Counter(status for status, _message in results)


def assert_one_accepted(results: list[Any], rule: str) -> None:
    """One 201; every other attempt a 422 with the rule's message; no 5xx."""
    assert answers(results) == {201: 1, 422: len(results) - 1}
    refusals = {message for status, message in results if status == 422}
    assert all(message.startswith(rule) for message in refusals), refusals


# The protections, removed in the negative controls


def without_lock(monkeypatch: pytest.MonkeyPatch, module: Any, parties: int) -> None:
    """The row lock of `module`'s actions made a no-op, and every attempt waits, after its
    checks and before its write, until `parties` attempts have checked: the interleaving that
    breaks a limit, made certain instead of likely."""
    if module is body_actions:
        monkeypatch.setattr(body_actions, "lock_body", lambda body: body)
    else:
        monkeypatch.setattr(module, "locked", lambda queryset: list(queryset))
    barrier = threading.Barrier(parties, timeout=30)  # reusable: it resets once all passed
    refusing_violations = module.refusing_violations

    def checked_then_write(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()
        return refusing_violations(*args, **kwargs)

    monkeypatch.setattr(module, "refusing_violations", checked_then_write)


@contextmanager
def constraint_dropped(model: Any, name: str) -> Iterator[None]:
    """A model constraint removed from the database (PostgreSQL) and from the model's checks,
    then put back once the test has removed what breaks it."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    kept = [c for c in model._meta.constraints if c.name != name]
    original = model._meta.constraints
    with connection.schema_editor() as editor:
        editor.remove_constraint(model, constraint)
    model._meta.constraints = kept
    try:
        yield
    finally:
        model._meta.constraints = original
        with connection.schema_editor() as editor:
            editor.add_constraint(model, constraint)


@contextmanager
def unique_dropped(model: Any, field: str) -> Iterator[None]:
    """The unique constraint of a field (a OneToOneField) removed and then put back."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    name = next(
        key
        for key, info in found.items()
        if info["unique"] and not info["primary_key"] and info["columns"] == [column]
    )
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ("{column}")')


# Bodies


def committee(org: Organisation, code: str, **rule: Any) -> Body:
    body = body_actions.create_body(
        None, organisation=org, code=code, name=f"Comité {code}", kind=Body.Kind.COMMITTEE
    )
    if rule:
        body_actions.set_seat_rule(None, body=body, **rule)
    return body


def seat(body: Body, person: Person | None = None, **fields: Any) -> Mandate:
    mandate, _warnings = body_actions.appoint(
        None,
        body=body,
        person=person or make_person(body.organisation),
        start=fields.pop("start", START),
        origin="appointed",
        **fields,
    )
    return mandate


def candidates(org: Organisation, count: int, **fields: Any) -> list[Person]:
    return [make_person(org, **fields) for _index in range(count)]


def appointments(api: Api, body: Body, people: list[Person], **payload: Any) -> list[Any]:
    url = f"/api/v1/organisations/{body.organisation.code}/bodies/{body.code}/mandates"
    return [
        api.post(
            url, {"person": str(person.code), "start": str(START), "origin": "appointed"} | payload
        )
        for person in people
    ]


def running(body: Body) -> int:
    return Mandate.objects.of_body(body).active_on(START).count()


@pytest.fixture
def api(secretariat: Person) -> Api:
    return Api(secretariat)


def six_seats_one_free(org: Organisation, code: str) -> Body:
    body = committee(org, code, max_seats=6)
    for _index in range(5):
        seat(body)
    return body


def test_appointments_to_the_last_free_seat_fill_it_once(
    org: Organisation, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = six_seats_one_free(org, "six")
    assert_one_accepted(race(appointments(api, body, candidates(org, MANY))), "Seats:")
    assert running(body) == 6

    if CONTROLS:  # without the lock, every attempt finds the seat free
        body = six_seats_one_free(org, "six-control")
        without_lock(monkeypatch, body_actions, CONTROL)
        assert answers(race(appointments(api, body, candidates(org, CONTROL)))) == {201: CONTROL}
        assert running(body) == 5 + CONTROL


def test_one_person_appointed_many_times_at_once_gets_one_mandate(
    org: Organisation, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = committee(org, "open")  # no seat rule: only "one mandate at a time" limits
    person = make_person(org)
    url = f"/api/v1/organisations/{org.code}/bodies/{body.code}/mandates"
    attempts = [
        # Overlapping, not only equal, periods: each starts a day later, none ends.
        api.post(
            url,
            {
                "person": str(person.code),
                "start": str(START + datetime.timedelta(days=day)),
                "origin": "appointed",
            },
        )
        for day in range(MANY)
    ]
    assert_one_accepted(race(attempts), "One mandate at a time:")
    assert Mandate.objects.filter(body=body, person=person).count() == 1

    if CONTROLS:
        without_lock(monkeypatch, body_actions, CONTROL)
        # The exclusion constraint alone still refuses, with its rule's message.
        other = make_person(org)
        results = race(appointments(api, body, [other] * CONTROL))
        assert_one_accepted(results, "One mandate at a time: this person already holds")
        assert Mandate.objects.filter(body=body, person=other).count() == 1
        # Without lock and constraint, a person gets as many mandates as were asked.
        third = make_person(org)
        with constraint_dropped(Mandate, "mandate_one_at_a_time_per_person"):
            try:
                results = race(appointments(api, body, [third] * CONTROL))
                assert answers(results) == {201: CONTROL}
                assert Mandate.objects.filter(body=body, person=third).count() == CONTROL
            finally:
                Mandate.objects.filter(body=body, person=third).delete()


def gender_case(org: Organisation, code: str, women: int) -> tuple[Body, list[Person]]:
    """6 seats, each gender at least 40 %: at most 3 women. Two sit; many women try for one."""
    body = committee(org, code, max_seats=6, min_gender_share=40)
    for _index in range(2):
        seat(body, make_person(org, gender=Person.Gender.FEMALE))
    return body, candidates(org, women, gender=Person.Gender.FEMALE)


def test_the_gender_balance_holds_when_many_of_one_gender_are_appointed_at_once(
    org: Organisation, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    body, women = gender_case(org, "balance", SOME)
    assert_one_accepted(race(appointments(api, body, women)), "Gender balance:")
    assert running(body) == 3

    if CONTROLS:  # without the lock, one gender takes the seats kept for the other
        body, women = gender_case(org, "balance-control", 3)
        without_lock(monkeypatch, body_actions, 3)  # 5 women: within 6 seats, beyond the 3
        assert answers(race(appointments(api, body, women))) == {201: 3}
        assert running(body) == 5


def seat_group_case(
    org: Organisation, code: str, people: int, a: MemberCategory, b: MemberCategory
) -> tuple[Body, list[Person]]:
    """Two seats for category A, eight for B; one A seat is free and many A members want it."""
    body = committee(org, code, max_seats=10, groups=[("A", 2, [a]), ("B", 8, [b])])
    sitting = make_person(org)
    make_member(org, a, sitting)
    seat(body, sitting, seat_group=body.seat_rule.groups.get(name="A"))
    wanting = candidates(org, people)
    for person in wanting:
        make_member(org, a, person)
    return body, wanting


def test_a_seat_group_is_filled_once_when_its_last_seat_is_wanted_at_once(
    org: Organisation,
    api: Api,
    category_a: MemberCategory,
    category_b: MemberCategory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body, people = seat_group_case(org, "groups", SOME, category_a, category_b)
    assert_one_accepted(race(appointments(api, body, people, seat_group="A")), "Category quota:")
    assert Mandate.objects.filter(body=body, seat_group__name="A").count() == 2

    if CONTROLS:  # without the lock, the group overflows
        body, people = seat_group_case(org, "groups-control", CONTROL, category_a, category_b)
        without_lock(monkeypatch, body_actions, CONTROL)
        assert answers(race(appointments(api, body, people, seat_group="A"))) == {201: CONTROL}
        assert Mandate.objects.filter(body=body, seat_group__name="A").count() == 1 + CONTROL


def one_advisory_seat_free(org: Organisation, code: str) -> Body:
    body = committee(org, code, max_seats=6, advisory_seats=2)
    seat(body, role=Mandate.Role.ADVISORY_OBSERVER)
    return body


def observers(body: Body) -> int:
    return Mandate.objects.filter(body=body, role=Mandate.Role.ADVISORY_OBSERVER).count()


def test_the_last_advisory_seat_is_given_once(
    org: Organisation, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = one_advisory_seat_free(org, "observed")
    observer = {"role": Mandate.Role.ADVISORY_OBSERVER}
    results = race(appointments(api, body, candidates(org, SOME), **observer))
    assert_one_accepted(results, "Advisory seats:")
    assert observers(body) == 2

    if CONTROLS:  # without the lock, advisory seats overflow
        body = one_advisory_seat_free(org, "observed-control")
        without_lock(monkeypatch, body_actions, CONTROL)
        results = race(appointments(api, body, candidates(org, CONTROL), **observer))
        assert answers(results) == {201: CONTROL}
        assert observers(body) == 1 + CONTROL


def first_term(org: Organisation, code: str) -> Mandate:
    """4-year terms, two in a row at most; a first term from 2019 to 2023."""
    body = committee(org, code, max_seats=6, term_years=4, max_consecutive_terms=2)
    return seat(body, start=D(2019, 6, 18))


def term_attempts(first: Mandate, count: int) -> list[Callable[[], Any]]:
    """Half renew the first term (2023 to 2027); half appoint the same person from 2027, when
    that renewal would end. Whichever comes first, the others would make three terms in a row."""

    def renew() -> Any:
        return body_actions.renew(None, mandate=Mandate.objects.get(pk=first.pk))

    def appoint_later() -> Any:
        return body_actions.appoint(
            None,
            body=Body.objects.get(pk=first.body_id),
            person=Person.objects.get(pk=first.person_id),
            start=D(2027, 6, 18),
            origin="appointed",
        )

    return [renew if index % 2 else appoint_later for index in range(count)]


def consecutive_terms(first: Mandate) -> int:
    """The longest run of the holder's terms, each starting when the one before ends."""
    terms = Mandate.objects.filter(body=first.body_id, person=first.person_id)
    starts = {term.start: term for term in terms}
    longest = 0
    for term in terms:
        length, current = 1, term
        while current.end in starts:
            length, current = length + 1, starts[current.end]
        longest = max(longest, length)
    return longest


def test_the_term_limit_holds_when_terms_are_added_at_once_before_and_after(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the actions: renewing is a page form, not an API call."""
    first = first_term(org, "terms")
    results = race(term_attempts(first, SOME))
    accepted = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(accepted) == 1 and len(refused) == SOME - 1, results
    assert Mandate.objects.filter(body=first.body_id).count() == 2
    assert consecutive_terms(first) <= 2
    assert any(message.startswith("Term limit:") for e in refused for message in e.messages)

    if CONTROLS:  # without the lock, a renewal and a later term both pass: three in a row
        first = first_term(org, "terms-control")
        without_lock(monkeypatch, body_actions, 2)
        results = race(term_attempts(first, 2))
        assert all(isinstance(result, tuple) for result in results), results
        assert consecutive_terms(first) == 3


# Proxies


@pytest.fixture
def meeting(org: Organisation, secretariat: Person) -> Meeting:
    """A meeting of a committee of SOME + 2 voting members, one proxy per holder."""
    body = committee(org, "proxies")
    for _index in range(SOME + 2):
        seat(body)
    kind = meeting_actions.add_meeting_kind(
        None, body=body, code="ordinary", name="Réunion", category="ordinary"
    )
    at = datetime.datetime(2024, 3, 12, 18, tzinfo=datetime.UTC)
    return meeting_actions.schedule_meeting(
        None, kind=kind, title="Réunion", starts_at=at, ends_at=at + datetime.timedelta(hours=3)
    )


def proxies(api: Api, meeting: Meeting, pairs: list[tuple[Invitation, Invitation]]) -> list[Any]:
    url = f"/api/v1/organisations/{meeting.organisation.code}/meetings/{meeting.code}/proxies"
    return [api.post(url, {"giver": giver.pk, "holder": holder.pk}) for giver, holder in pairs]


def voting(meeting: Meeting) -> list[Invitation]:
    return list(meeting.invitations.filter(capacity=Invitation.Capacity.VOTING).order_by("pk"))


def test_a_holder_gets_no_more_proxies_than_the_limit_when_many_give_at_once(
    meeting: Meeting, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder, other_holder, *givers = voting(meeting)
    results = race(proxies(api, meeting, [(giver, holder) for giver in givers[:SOME]]))
    assert_one_accepted(results, "Proxy limit:")
    assert Proxy.objects.filter(holder=holder).count() == 1

    if CONTROLS:  # without the lock, the other holder gets every proxy (the limit is 1)
        without_lock(monkeypatch, meeting_actions, CONTROL)
        Proxy.objects.all().delete()
        pairs = [(giver, other_holder) for giver in givers[:CONTROL]]
        assert answers(race(proxies(api, meeting, pairs))) == {201: CONTROL}
        assert Proxy.objects.filter(holder=other_holder).count() == CONTROL


def test_a_giver_gives_one_proxy_when_giving_many_at_once(
    meeting: Meeting, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    giver, other_giver, *holders = voting(meeting)
    rule = f"Proxy: {giver.person.full_name} has already given their proxy"
    results = race(proxies(api, meeting, [(giver, holder) for holder in holders[:SOME]]))
    assert_one_accepted(results, rule)
    assert Proxy.objects.filter(giver=giver).count() == 1

    if CONTROLS:
        without_lock(monkeypatch, meeting_actions, CONTROL)
        # The unique giver alone still refuses, with the rule's message and not a 500.
        Proxy.objects.all().delete()
        results = race(proxies(api, meeting, [(giver, holder) for holder in holders[:CONTROL]]))
        assert_one_accepted(results, rule)
        assert Proxy.objects.filter(giver=giver).count() == 1
        # Without lock and constraint, one giver gives as many proxies as were asked.
        with unique_dropped(Proxy, "giver"):
            try:
                pairs = [(other_giver, holder) for holder in holders[CONTROL : 2 * CONTROL]]
                assert answers(race(proxies(api, meeting, pairs))) == {201: CONTROL}
                assert Proxy.objects.filter(giver=other_giver).count() == CONTROL
            finally:
                Proxy.objects.filter(giver=other_giver).delete()
