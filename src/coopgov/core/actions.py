"""Every state change of the core objects, as plain functions.

Each action validates (model full_clean plus the domain rule), writes in one transaction,
appends one audit event and defers side effects with transaction.on_commit.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coopgov.core import tasks
from coopgov.core.audit import changed_fields, record_event
from coopgov.core.middleware import MFA_REQUIRED, lacking_mfa, lacks_required_mfa
from coopgov.core.models import (
    ApiToken,
    Member,
    MemberCategory,
    Organisation,
    Person,
    Role,
    Unit,
)
from coopgov.core.validators import normalise_enterprise_number

ORGANISATION_FIELDS = (
    "name",
    "legal_form",
    "enterprise_number",
    "street",
    "postal_code",
    "city",
    "country",
    "default_language",
    "general_assembly_notice_days",
    "board_notice_days",
    "min_gender_share",
    "term_years",
    "max_consecutive_terms",
    "college_voting",
    "require_mfa",
)
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "preferred_language", "gender")
UNIT_FIELDS = ("name", "code", "kind", "parent", "head", "description", "address")


def _refuse_duplicate(model_field: str, duplicates: Any, message: str) -> None:
    """Name the field of a uniqueness rule; the database constraint still closes races."""
    if duplicates.exists():
        raise ValidationError({model_field: message})


def _apply(obj: Any, changes: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    before = model_to_dict(obj, fields=list(changes))
    for name, value in changes.items():
        setattr(obj, name, value)
    return before


# Organisations


def create_organisation(
    actor: Person | None, *, code: str, name: str, **settings_: Any
) -> Organisation:
    if "enterprise_number" in settings_:
        settings_["enterprise_number"] = normalise_enterprise_number(settings_["enterprise_number"])
    organisation = Organisation(code=code, name=name)
    _apply(organisation, settings_, ORGANISATION_FIELDS)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        record_event(
            actor,
            "core.organisation.created",
            target=organisation,
            organisation=organisation,
            data={"code": code, "name": name},
        )
    return organisation


def update_organisation(
    actor: Person, *, organisation: Organisation, changes: Mapping[str, Any]
) -> Organisation:
    changes = dict(changes)
    if changes.get("enterprise_number"):
        changes["enterprise_number"] = normalise_enterprise_number(changes["enterprise_number"])
    before = _apply(organisation, changes, ORGANISATION_FIELDS)
    organisation.full_clean()
    diff = changed_fields(before, model_to_dict(organisation, fields=list(changes)))
    with transaction.atomic():
        organisation.save()
        record_event(
            actor,
            "core.organisation.updated",
            target=organisation,
            organisation=organisation,
            data={"changes": diff},
        )
    return organisation


# People


def add_person(
    actor: Person | None,
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    preferred_language: str = "",
    gender: str = Person.Gender.NOT_DECLARED,
) -> Person:
    person = Person(
        organisation=organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        preferred_language=preferred_language or organisation.default_language,
        gender=gender,
    )
    _check_person_email(person)
    person.full_clean()
    with transaction.atomic():
        person.save()
        record_event(
            actor,
            "core.person.added",
            target=person,
            organisation=organisation,
            data={"name": person.full_name},
        )
    return person


def _check_person_email(person: Person) -> None:
    if person.email:
        _refuse_duplicate(
            "email",
            Person.objects.filter(
                organisation=person.organisation_id, email__iexact=person.email
            ).exclude(pk=person.pk),
            _("Another person of this organisation has this email."),
        )


def update_person(actor: Person, *, person: Person, changes: Mapping[str, Any]) -> Person:
    changes = dict(changes)
    if "email" in changes:
        changes["email"] = changes["email"].strip().lower()
    before = _apply(person, changes, PERSON_FIELDS)
    _check_person_email(person)
    person.full_clean()
    diff = changed_fields(before, model_to_dict(person, fields=list(changes)))
    with transaction.atomic():
        person.save()
        if "email" in diff and person.user_id:
            # The login follows the person's address; it must be verified again.
            user = person.user
            assert user is not None
            user.email = person.email
            user.save(update_fields=["email"])
            EmailAddress.objects.filter(user=user).delete()
            EmailAddress.objects.create(user=user, email=person.email, primary=True, verified=False)
        record_event(
            actor,
            "core.person.updated",
            target=person,
            organisation=person.organisation,
            data={"changes": diff},
        )
    return person


def set_preferred_language(actor: Person, *, language: str) -> Person:
    """A person chooses the language of their pages and emails."""
    return update_person(actor, person=actor, changes={"preferred_language": language})


def create_account(
    actor: Person | None, *, person: Person, password: str | None = None, verified: bool = False
) -> User:
    """Give a person a login, keyed on their email. Without a password they set one through
    the password-reset email."""
    if not person.email:
        raise ValidationError({"email": _("A person needs an email address to get a login.")})
    with transaction.atomic():
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User(username=person.email[:150], email=person.email)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(
                user=user, email=person.email, primary=True, verified=verified
            )
        if person.user_id and person.user_id != user.pk:
            raise ValidationError(_("This person already has another login."))
        person.user = user
        person.save(update_fields=["user"])
        record_event(
            actor, "core.person.account_created", target=person, organisation=person.organisation
        )
    return user


def invite_person(actor: Person | None, *, person: Person, site_url: str) -> str:
    """Give a person a login if they have none and email them a link to choose a password.

    Returns the link. The email goes out as a task once the transaction commits.
    """
    user = person.user or create_account(actor, person=person)
    if not user.is_active:
        raise ValidationError(_("This login is deactivated."))
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    link = site_url.rstrip("/") + path
    with transaction.atomic():
        record_event(actor, "core.person.invited", target=person, organisation=person.organisation)
        transaction.on_commit(lambda: tasks.send_invitation.enqueue(person.pk, link))
    return link


def grant_role(actor: Person | None, *, person: Person, kind: str) -> Role:
    role = Role(organisation=person.organisation, person=person, kind=kind)
    _refuse_duplicate(
        "kind",
        Role.objects.filter(person=person, kind=kind),
        _("This person already holds this role."),
    )
    role.full_clean()
    with transaction.atomic():
        role.save()
        record_event(
            actor,
            "core.role.granted",
            target=person,
            organisation=person.organisation,
            data={"role": kind},
        )
    return role


def revoke_role(actor: Person, *, person: Person, kind: str) -> None:
    with transaction.atomic():
        deleted, _detail = Role.objects.filter(person=person, kind=kind).delete()
        if not deleted:
            raise ValidationError({"kind": _("This person does not hold this role.")})
        record_event(
            actor,
            "core.role.revoked",
            target=person,
            organisation=person.organisation,
            data={"role": kind},
        )


# Units


def _check_unit_links(unit: Unit) -> None:
    _refuse_duplicate(
        "code",
        Unit.objects.filter(organisation=unit.organisation_id, code=unit.code).exclude(pk=unit.pk),
        _("Another unit of this organisation has this code."),
    )
    errors: dict[str, str] = {}
    if unit.head_id and unit.head.organisation_id != unit.organisation_id:  # type: ignore[union-attr]
        errors["head"] = _("The head must be a person of the same organisation.")
    parent = unit.parent
    if parent is not None:
        if parent.organisation_id != unit.organisation_id:
            errors["parent"] = _("A unit can only be part of a unit of the same organisation.")
        seen: set[int] = set()
        while parent is not None and "parent" not in errors:
            if unit.pk is not None and parent.pk == unit.pk:
                errors["parent"] = _("A unit cannot be part of itself or of one of its sub-units.")
            if parent.pk in seen:
                break
            seen.add(parent.pk)
            parent = parent.parent
    if errors:
        raise ValidationError(errors)


def create_unit(
    actor: Person | None,
    *,
    organisation: Organisation,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    head: Person | None = None,
    description: str = "",
    address: str = "",
) -> Unit:
    unit = Unit(
        organisation=organisation,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        head=head,
        description=description,
        address=address,
    )
    _check_unit_links(unit)
    unit.full_clean()
    with transaction.atomic():
        unit.save()
        record_event(
            actor, "core.unit.created", target=unit, organisation=organisation, data={"name": name}
        )
    return unit


def update_unit(actor: Person, *, unit: Unit, changes: Mapping[str, Any]) -> Unit:
    before = _apply(unit, changes, UNIT_FIELDS)
    _check_unit_links(unit)
    unit.full_clean()
    diff = changed_fields(before, model_to_dict(unit, fields=list(changes)))
    with transaction.atomic():
        unit.save()
        record_event(
            actor,
            "core.unit.updated",
            target=unit,
            organisation=unit.organisation,
            data={"changes": diff},
        )
    return unit


# Members


def add_member_category(
    actor: Person | None,
    *,
    organisation: Organisation,
    code: str,
    name: str,
    description: str = "",
    position: int = 0,
) -> MemberCategory:
    category = MemberCategory(
        organisation=organisation, code=code, name=name, description=description, position=position
    )
    category.full_clean()
    with transaction.atomic():
        category.save()
        record_event(
            actor,
            "core.member_category.added",
            target=category,
            organisation=organisation,
            data={"code": code},
        )
    return category


def admit_member(
    actor: Person | None,
    *,
    organisation: Organisation,
    category: MemberCategory,
    admission_date: datetime.date | None,
    person: Person | None = None,
    legal_name: str = "",
    legal_enterprise_number: str = "",
    representative: Person | None = None,
    status: str = Member.Status.ADMITTED,
) -> Member:
    """Record a member with the next member number; numbers are never reused.

    A natural person is given by `person`; a legal person by `legal_name` and the
    `representative` who acts for it.
    """
    errors: dict[str, str] = {}
    if category.organisation_id != organisation.pk:
        errors["category"] = _("This category belongs to another organisation.")
    for field, someone in (("person", person), ("representative", representative)):
        if someone is not None and someone.organisation_id != organisation.pk:
            errors[field] = _("This person belongs to another organisation.")
    if errors:
        raise ValidationError(errors)
    member = Member(
        organisation=organisation,
        kind=Member.Kind.LEGAL if legal_name else Member.Kind.NATURAL,
        person=person,
        legal_name=legal_name.strip(),
        legal_enterprise_number=normalise_enterprise_number(legal_enterprise_number),
        representative=representative,
        category=category,
        status=status,
        admission_date=admission_date,
        number=0,
    )
    member.full_clean(exclude=["number"], validate_constraints=False)
    with transaction.atomic():
        # Lock the organisation row: concurrent admissions queue here for the next number.
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        member.number = locked.last_member_number + 1
        member.validate_constraints()
        locked.last_member_number = member.number
        locked.save(update_fields=["last_member_number"])
        organisation.last_member_number = member.number
        member.save()
        record_event(
            actor,
            "core.member.admitted",
            target=member,
            organisation=organisation,
            data={"number": member.number, "category": category.code, "status": status},
        )
    return member


def change_member_status(
    actor: Person | None, *, member: Member, status: str, on: datetime.date | None = None
) -> Member:
    """Admit a candidate, suspend, or record a member's exit (resignation, exclusion, death)."""
    on = on or timezone.localdate()
    before = member.status
    if status == before:
        raise ValidationError({"status": _("The member already has this status.")})
    if before in Member.EXITED:
        raise ValidationError(
            {"status": _("A member who has left cannot change status; admit them again instead.")}
        )
    member.status = status
    if status == Member.Status.ADMITTED and member.admission_date is None:
        member.admission_date = on
    if status in Member.EXITED:
        member.exit_date = on
    member.full_clean()
    with transaction.atomic():
        member.save()
        record_event(
            actor,
            "core.member.status_changed",
            target=member,
            organisation=member.organisation,
            data={"from": before, "to": status, "on": on.isoformat()},
        )
    return member


# API tokens


TOKEN_PREFIX = "cg_"  # noqa: S105 - a marker, not a secret


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_token(user: User, *, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal token valid `days` days (the operator's default if None, at most
    their maximum); the clear text is returned once and never stored. A token acts with its
    owner's rights without a second factor, so an officer who must set up MFA gets none."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name that says where it is used.")})
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": _("A token is valid for 1 to %(max)d days.")
                % {"max": settings.API_TOKEN_MAX_DAYS}
            }
        )
    if lacks_required_mfa(user):
        raise ValidationError(
            _(
                "Your cooperative requires two-factor authentication for its officers: set up "
                "an authenticator app before you create an API token."
            )
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=raw[:10],
        digest=_digest(raw),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    with transaction.atomic():
        token.save()
        for person in Person.objects.filter(user=user).select_related("organisation"):
            record_event(
                person,
                "core.api_token.created",
                target=person,
                organisation=person.organisation,
                data={
                    "name": token.name,
                    "prefix": token.prefix,
                    "expires_at": token.expires_at.isoformat(),
                },
            )
    return token, raw


def revoke_api_token(user: User, *, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        for person in Person.objects.filter(user=user).select_related("organisation"):
            record_event(
                person,
                "core.api_token.revoked",
                target=person,
                organisation=person.organisation,
                data={"name": token.name, "prefix": token.prefix},
            )
    return token


def authenticate_api_token(raw: str) -> User | None:
    """The user behind a token, or None when it is unknown, revoked or expired, or its owner
    is inactive. PermissionDenied when the owner must set up MFA first. One query."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=_digest(raw))
        .annotate(lacks_mfa=Exists(lacking_mfa(OuterRef("user_id"))))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.lacks_mfa:
        raise PermissionDenied(str(MFA_REQUIRED))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
