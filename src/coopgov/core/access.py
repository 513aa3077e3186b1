"""Who may see and do what. Rights are strings derived from roles (and, later, mandates).

A refused object looks exactly like a missing one: every access_* helper raises Http404.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from coopgov.core.models import Confidentiality, Member, Organisation, Person, Role, Unit

MEMBER = "member"

ROLE_RIGHTS: dict[str, frozenset[str]] = {}
ROLE_RIGHTS[MEMBER] = frozenset({"core.organisation:read", "core.units:read"})
ROLE_RIGHTS[Role.Kind.STAFF] = ROLE_RIGHTS[MEMBER] | {
    "core.people:read",
    "core.members:read",
    "offers.activities:read",
}
ROLE_RIGHTS[Role.Kind.SECRETARIAT] = ROLE_RIGHTS[Role.Kind.STAFF] | {
    "core.people:write",
    "core.members:write",
    "core.units:write",
    "core.history:read",
    "core.confidential:read",
    "bodies.mandates:write",
    "meetings.meetings:write",
    "strategy.plans:write",
    "offers.catalogue:write",
    "offers.activities:write",
}
ROLE_RIGHTS[Role.Kind.ADMIN] = ROLE_RIGHTS[Role.Kind.SECRETARIAT] | {
    "core.organisation:write",
    "core.roles:write",
}


@dataclass(frozen=True)
class Actor:
    """A person acting in one organisation, with the rights their roles give."""

    organisation: Organisation
    person: Person | None
    roles: frozenset[str]
    # Bodies in which the person holds an active mandate (filled once bodies exist).
    body_ids: frozenset[int] = field(default_factory=frozenset)

    @cached_property
    def rights(self) -> frozenset[str]:
        return frozenset().union(*(ROLE_RIGHTS.get(role, frozenset()) for role in self.roles))

    def has(self, right: str) -> bool:
        return right in self.rights

    @property
    def is_officer(self) -> bool:
        """Holds an organisation role beyond membership (or, later, a mandate)."""
        return bool(self.roles - {MEMBER}) or bool(self.body_ids)


def roles_of(person: Person) -> frozenset[str]:
    return standing_of(person)[0]


def body_ids_of(person: Person, day: datetime.date | None = None) -> frozenset[int]:
    """The bodies where the person holds a mandate today (the bodies app adds the relation)."""
    return standing_of(person, day)[1]


def standing_of(
    person: Person, day: datetime.date | None = None
) -> tuple[frozenset[str], frozenset[int]]:
    """The person's roles (membership included) and the bodies where they hold a mandate on
    `day`, in one query: every page asks for them."""
    parts = (
        Role.objects.filter(person=person)
        .order_by()
        .annotate(source=Value("role"))
        .values_list("source", "kind")
    )
    member = (
        Member.objects.admitted().filter(Q(person=person) | Q(representative=person)).order_by()
    )
    parts = parts.union(
        member.annotate(source=Value("member"), value=Value("")).values_list("source", "value"),
        all=True,
    )
    mandates = getattr(person, "mandates", None)
    if mandates is not None:
        running = mandates.active_on(day or timezone.localdate()).order_by()
        parts = parts.union(
            running.annotate(source=Value("body"), value=Cast("body_id", CharField())).values_list(
                "source", "value"
            ),
            all=True,
        )
    roles: set[str] = set()
    bodies: set[int] = set()
    for source, value in parts:
        if source == "body":
            bodies.add(int(value))
        else:
            roles.add(MEMBER if source == "member" else value)
    return frozenset(roles), frozenset(bodies)


def actor_for(user: User | AnonymousUser, organisation: Organisation) -> Actor:
    """The actor a logged-in user is in an organisation; 404 if they are nobody there."""
    if not user.is_authenticated:
        raise Http404
    person = Person.objects.filter(organisation=organisation, user=user).first()
    if person is None:
        raise Http404
    return _actor(organisation, person)


def _actor(organisation: Organisation, person: Person) -> Actor:
    roles, bodies = standing_of(person)
    if not roles:
        raise Http404
    return Actor(organisation=organisation, person=person, roles=roles, body_ids=bodies)


def may_read(
    actor: Actor | None,
    level: str,
    *,
    bodies: Collection[int] = (),
    people: Collection[int] = (),
) -> bool:
    """The one rule for confidentiality levels, reused by every app.

    - public: anyone, signed in or not;
    - members: anyone with a role in the organisation (members, staff, officers);
    - bodies: people with an active mandate in one of `bodies`, and the secretariat;
    - restricted: the people listed in `people`, and the secretariat.
    """
    if level == Confidentiality.PUBLIC:
        return True
    if actor is None or not actor.roles:
        return False
    if level == Confidentiality.MEMBERS:
        return True
    if actor.has("core.confidential:read"):
        return True
    if level == Confidentiality.BODIES:
        return bool(actor.body_ids & frozenset(bodies))
    if level == Confidentiality.RESTRICTED:
        return actor.person is not None and actor.person.pk in people
    return False


def require(actor: Actor, right: str) -> None:
    if not actor.has(right):
        raise Http404


def access_organisation(user: User | AnonymousUser, code: str, *, for_write: bool = False) -> Actor:
    if not user.is_authenticated:
        raise Http404
    person = (
        Person.objects.select_related("organisation")
        .filter(organisation__code=code, user=user)
        .first()
    )
    if person is None:
        raise Http404
    actor = _actor(person.organisation, person)
    require(actor, "core.organisation:write" if for_write else "core.organisation:read")
    return actor


def access_unit(actor: Actor, code: str, *, for_write: bool = False) -> Unit:
    require(actor, "core.units:write" if for_write else "core.units:read")
    unit = (
        Unit.objects.of(actor.organisation)
        .select_related("parent", "head")
        .filter(code=code)
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def access_person(actor: Actor, code: str, *, for_write: bool = False) -> Person:
    """Staff read everyone; a person always reads their own page."""
    person = Person.objects.of(actor.organisation).filter(code=code).first()
    if person is None:
        raise Http404
    if for_write:
        require(actor, "core.people:write")
    elif not (actor.has("core.people:read") or person == actor.person):
        raise Http404
    return person


def access_member(actor: Actor, number: int, *, for_write: bool = False) -> Member:
    """Staff read the register; a member reads only their own record (and the legal persons
    they represent)."""
    member = Member.objects.of(actor.organisation).with_names().filter(number=number).first()
    if member is None:
        raise Http404
    if for_write:
        require(actor, "core.members:write")
    elif not (
        actor.has("core.members:read")
        or (actor.person is not None and actor.person in (member.person, member.representative))
    ):
        raise Http404
    return member
