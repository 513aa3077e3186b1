"""The one confidentiality rule, roles and the fetch-or-deny helpers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from coopgov.core import actions
from coopgov.core.access import (
    MEMBER,
    Actor,
    access_member,
    access_organisation,
    access_person,
    access_unit,
    may_read,
    roles_of,
)
from coopgov.core.models import Confidentiality, Member, Organisation, Person, Role
from tests.conftest import login, make_person


def actor(
    org: Organisation, *roles: str, person: Person | None = None, bodies: set[int] | None = None
) -> Actor:
    return Actor(
        organisation=org,
        person=person,
        roles=frozenset(roles),
        body_ids=frozenset(bodies or ()),
    )


def test_public_objects_are_readable_by_anyone(org: Organisation) -> None:
    assert may_read(None, Confidentiality.PUBLIC)
    assert may_read(actor(org), Confidentiality.PUBLIC)


def test_member_objects_need_a_role_in_the_organisation(org: Organisation) -> None:
    assert not may_read(None, Confidentiality.MEMBERS)
    assert not may_read(actor(org), Confidentiality.MEMBERS)
    assert may_read(actor(org, MEMBER), Confidentiality.MEMBERS)
    assert may_read(actor(org, Role.Kind.STAFF), Confidentiality.MEMBERS)


def test_body_objects_are_for_the_named_bodies_and_the_secretariat(org: Organisation) -> None:
    board, ethics = 1, 2
    director = actor(org, MEMBER, bodies={board})
    assert may_read(director, Confidentiality.BODIES, bodies=[board])
    assert not may_read(director, Confidentiality.BODIES, bodies=[ethics])
    assert not may_read(actor(org, MEMBER, Role.Kind.STAFF), Confidentiality.BODIES, bodies=[board])
    assert may_read(actor(org, Role.Kind.SECRETARIAT), Confidentiality.BODIES, bodies=[board])


def test_restricted_objects_are_for_the_named_people_and_the_secretariat(
    org: Organisation, plain_member: Person, director_a: Person
) -> None:
    jonas = actor(org, MEMBER, person=plain_member)
    anne = actor(org, MEMBER, person=director_a)
    assert may_read(jonas, Confidentiality.RESTRICTED, people=[plain_member.pk])
    assert not may_read(anne, Confidentiality.RESTRICTED, people=[plain_member.pk])
    assert may_read(actor(org, Role.Kind.ADMIN), Confidentiality.RESTRICTED)
    assert may_read(actor(org, Role.Kind.SECRETARIAT), Confidentiality.RESTRICTED)


def test_an_unknown_level_is_never_readable(org: Organisation) -> None:
    assert not may_read(actor(org, MEMBER), "secret")


def test_rights_grow_with_roles(org: Organisation) -> None:
    member, staff = actor(org, MEMBER), actor(org, Role.Kind.STAFF)
    secretariat, admin = actor(org, Role.Kind.SECRETARIAT), actor(org, Role.Kind.ADMIN)
    assert member.rights < staff.rights < secretariat.rights < admin.rights
    assert member.has("core.units:read") and not member.has("core.people:read")
    assert staff.has("core.members:read") and not staff.has("core.members:write")
    assert secretariat.has("core.history:read") and not secretariat.has("core.organisation:write")
    assert admin.has("core.roles:write")
    assert not member.is_officer and staff.is_officer
    assert actor(org, MEMBER, bodies={1}).is_officer


def test_membership_gives_the_member_role_only_while_admitted(
    org: Organisation, plain_member: Person, secretariat: Person
) -> None:
    assert roles_of(plain_member) == {MEMBER}
    membership = Member.objects.get(person=plain_member)
    actions.change_member_status(secretariat, member=membership, status=Member.Status.RESIGNED)
    assert roles_of(plain_member) == frozenset()
    assert roles_of(secretariat) == {MEMBER, Role.Kind.SECRETARIAT}


def test_access_organisation_refuses_anonymous_strangers_and_unknown_codes(
    org: Organisation, plain_member: Person, client: object
) -> None:
    with pytest.raises(Http404):
        access_organisation(AnonymousUser(), org.code)
    login(client, plain_member)  # type: ignore[arg-type]
    assert plain_member.user is not None
    assert access_organisation(plain_member.user, org.code).person == plain_member
    with pytest.raises(Http404):
        access_organisation(plain_member.user, "nowhere")
    with pytest.raises(Http404):
        access_organisation(plain_member.user, org.code, for_write=True)


def test_fetch_helpers_never_cross_organisations(
    org: Organisation, other_org: Organisation, secretariat: Person
) -> None:
    stranger = make_person(other_org)
    actions.create_unit(None, organisation=other_org, code="elsewhere", name="E", kind="team")
    me = actor(org, Role.Kind.SECRETARIAT, person=secretariat)
    with pytest.raises(Http404):
        access_person(me, str(stranger.code))
    with pytest.raises(Http404):
        access_unit(me, "elsewhere")
    with pytest.raises(Http404):
        access_member(me, 424242)
