"""Every change to bodies and mandates. Each enforces B1 to B7 with a message naming the rule."""

from __future__ import annotations

import datetime
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopgov.bodies.models import (
    Body,
    BodyRelation,
    Confirmation,
    Draw,
    Mandate,
    MandateQuerySet,
    RepresentativeChange,
    SeatGroup,
    SeatRule,
)
from coopgov.bodies.rules import Finding, check_appointment, next_general_assembly, rule_of
from coopgov.core.audit import changed_fields, record_event
from coopgov.core.integrity import locked, refusing_violations
from coopgov.core.models import Member, MemberCategory, Organisation, Person


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def lock_body(body: Body) -> Body:
    """Lock the body's row until the transaction ends, and read it again.

    Every action that adds or changes mandates, or the rules they are checked against, takes
    this lock first and checks after it: seats, seat groups, gender balance, terms, advisory
    and legal-person seats, one mandate at a time. Two such actions on one body run in turn,
    and the second sees what the first wrote (see core.integrity.locked for SQLite).
    """
    return locked(Body.objects.filter(pk=body.pk))[0]


def create_body(
    actor: Person | None,
    *,
    organisation: Organisation,
    code: str,
    name: str,
    kind: str,
    may_decide: bool = True,
    purpose: str = "",
    powers: str = "",
    confidentiality: str = "members",
    next_ordinary_meeting: datetime.date | None = None,
    position: int = 0,
) -> Body:
    body = Body(
        organisation=organisation,
        code=code,
        name=name,
        kind=kind,
        may_decide=may_decide,
        purpose=purpose,
        powers=powers,
        confidentiality=confidentiality,
        next_ordinary_meeting=next_ordinary_meeting,
        position=position,
    )
    if Body.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("Another body of this organisation has this code.")})
    body.full_clean()
    with transaction.atomic():
        with refusing_violations(Body):  # the same code created at the same moment
            body.save()
        record_event(actor, "bodies.body.created", target=body, organisation=organisation)
    return body


BODY_FIELDS = (
    "name",
    "code",
    "kind",
    "purpose",
    "powers",
    "may_decide",
    "confidentiality",
    "next_ordinary_meeting",
)


def update_body(actor: Person | None, *, body: Body, changes: dict[str, Any]) -> Body:
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    before = {name: getattr(body, name) for name in changes}
    for name, value in changes.items():
        setattr(body, name, value)
    body.full_clean()
    with transaction.atomic():
        with refusing_violations(Body):
            body.save()
        record_event(
            actor,
            "bodies.body.updated",
            target=body,
            organisation=body.organisation,
            data={"changes": changed_fields(before, changes)},
        )
    return body


def unrelate_bodies(actor: Person | None, *, relation: BodyRelation) -> None:
    with transaction.atomic():
        relation.delete()
        record_event(
            actor,
            "bodies.relation.removed",
            target=relation.source,
            organisation=relation.source.organisation,
            data={"kind": relation.kind, "target": relation.target.code},
        )


def relate_bodies(
    actor: Person | None, *, source: Body, kind: str, target: Body, seats: int | None = None
) -> BodyRelation:
    if source.organisation_id != target.organisation_id:
        raise ValidationError({"target": _("Both bodies must belong to the same organisation.")})
    relation = BodyRelation(
        organisation=source.organisation, source=source, kind=kind, target=target, seats=seats
    )
    if BodyRelation.objects.filter(source=source, kind=kind, target=target).exists():
        raise ValidationError(_("This relation is already recorded."))
    if source == target:
        raise ValidationError({"target": _("A body is not in a relation with itself.")})
    relation.full_clean()
    with transaction.atomic():
        with refusing_violations(BodyRelation):
            relation.save()
        record_event(
            actor,
            "bodies.relation.added",
            target=source,
            organisation=source.organisation,
            data={"kind": kind, "target": target.code, "seats": seats},
        )
    return relation


def set_seat_rule(
    actor: Person | None,
    *,
    body: Body,
    groups: Sequence[tuple[str, int, Iterable[MemberCategory]]] = (),
    **fields: Any,
) -> SeatRule:
    """Create or replace the composition rules of a body; `groups` are (name, seats, categories).

    The body is locked: an appointment checks against the rules before or after the change,
    never half of it, and no mandate takes a seat group while it is removed."""
    with transaction.atomic():
        lock_body(body)
        rule = SeatRule.objects.filter(body=body).first() or SeatRule()
        rule.body = body  # and the caller's body knows its new rule
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.full_clean()
        if rule.max_seats is not None and sum(seats for _n, seats, _c in groups) > rule.max_seats:
            raise ValidationError(
                {"max_seats": _("The seat groups hold more seats than the body has.")}
            )
        dropped = (
            rule.groups.exclude(name__in=[name for name, _s, _c in groups])
            if groups and rule.pk
            else None
        )
        if dropped is not None and dropped.filter(mandates__isnull=False).exists():
            raise ValidationError(
                {"groups": _("A seat group that mandates refer to cannot be removed.")}
            )
        rule.save()
        if dropped is not None:
            dropped.delete()
        for name, seats, categories in groups:
            group, _created = SeatGroup.objects.update_or_create(
                rule=rule, name=name, defaults={"seats": seats}
            )
            group.categories.set(categories)
        record_event(
            actor,
            "bodies.seat_rule.set",
            target=body,
            organisation=body.organisation,
            data={
                **{key: value for key, value in fields.items()},
                "groups": [[name, seats] for name, seats, _c in groups],
            },
        )
    return rule


def _raise_or_warn(findings: list[Finding]) -> list[str]:
    blocking = [finding.message for finding in findings if finding.blocks]
    if blocking:
        raise ValidationError(blocking)
    return [finding.message for finding in findings]


def _category_of(person: Person, legal_member: Member | None) -> int | None:
    if legal_member is not None:
        return legal_member.category_id
    return (
        Member.objects.admitted()
        .filter(person=person)
        .values_list("category_id", flat=True)
        .first()
    )


def _terms_of(body: Body, person: Person, legal_member: Member | None) -> MandateQuerySet:
    holder = (
        {"legal_member": legal_member} if legal_member else {"person": person, "legal_member": None}
    )
    return (
        Mandate.objects.of_body(body)
        .filter(**holder)
        .exclude(role=Mandate.Role.ADVISORY_OBSERVER)
        .order_by("-start")
    )


def _consecutive_term(
    body: Body, person: Person, legal_member: Member | None, start: datetime.date
) -> tuple[int, Mandate | None]:
    previous = _terms_of(body, person, legal_member).filter(end=start).first()
    return (previous.term_number + 1, previous) if previous else (1, None)


def _following_terms(
    body: Body, person: Person, legal_member: Member | None, end: datetime.date | None
) -> list[Mandate]:
    """The holder's terms that already follow `end` without a break, in order: a term filled
    in before a later one makes them consecutive (and the term limit counts them)."""
    following: list[Mandate] = []
    while end is not None:
        term = _terms_of(body, person, legal_member).filter(start=end).first()
        if term is None:
            break
        following.append(term)
        end = term.end
    return following


def appoint(
    actor: Person | None,
    *,
    body: Body,
    person: Person,
    start: datetime.date,
    origin: str,
    role: str = Mandate.Role.MEMBER,
    seat_group: SeatGroup | None = None,
    legal_member: Member | None = None,
    end: datetime.date | None = None,
    decision_reference: str = "",
    replaces: Mandate | None = None,
) -> tuple[Mandate, list[str]]:
    """Give a person (or a legal person through its representative) a seat on a body.

    Returns the mandate and the warnings of rules set to "warn"; a rule set to "block"
    refuses the appointment with a message that names it (B3). The rules are checked with the
    body locked, so that appointments made at the same moment cannot together break a limit.
    """
    errors: dict[str, str] = {}
    if person.organisation_id != body.organisation_id:
        errors["person"] = _("This person belongs to another organisation.")
    if legal_member is not None and (
        legal_member.kind != Member.Kind.LEGAL
        or legal_member.organisation_id != body.organisation_id
    ):
        errors["legal_member"] = _("Choose a legal-person member of this organisation.")
    if body.kind == Body.Kind.DELEGATED_MANAGEMENT and not decision_reference:
        errors["decision_reference"] = _(
            "Delegated management is appointed by a board decision: give its reference."
        )
    advisory = role == Mandate.Role.ADVISORY_OBSERVER
    with transaction.atomic():
        current = lock_body(body)
        rule = rule_of(current)
        if seat_group is not None:
            # Read again under the lock: the seat rule may have changed since the form was read.
            seat_group = SeatGroup.objects.filter(pk=seat_group.pk).first()
            if seat_group is None or rule is None or seat_group.rule_id != rule.pk:
                errors["seat_group"] = _("This seat group belongs to another body.")
        elif rule is not None and not advisory and rule.groups.exists():
            errors["seat_group"] = _("Category quota: choose the seat group this mandate fills.")
        if errors:
            raise ValidationError(errors)
        if end is None and rule is not None and rule.term_years:
            end = add_years(start, rule.term_years)
        term_number, previous = (1, None)
        following: list[Mandate] = []
        if not advisory:
            term_number, previous = _consecutive_term(current, person, legal_member, start)
            following = _following_terms(current, person, legal_member, end)
        findings = check_appointment(
            current,
            person=person,
            category_id=_category_of(person, legal_member),
            seat_group=seat_group,
            role=role,
            origin=origin,
            legal_member=legal_member,
            start=start,
            end=end,
            term_number=term_number,
            following_terms=len(following),
        )
        warnings = _raise_or_warn(findings)
        mandate = Mandate(
            organisation=body.organisation,
            body=body,
            person=person,
            legal_member=legal_member,
            role=role,
            seat_group=seat_group,
            start=start,
            term_end=end,
            end=end,
            origin=origin,
            term_number=term_number,
            renews=previous if previous and not hasattr(previous, "renewed_by") else None,
            replaces=replaces,
            decision_reference=decision_reference,
        )
        mandate.full_clean(exclude=["renews"])
        with refusing_violations(
            Mandate,
            RepresentativeChange,
            messages={"renews": _("This mandate is already renewed.")},
        ):
            mandate.save()
            if legal_member is not None:
                RepresentativeChange.objects.create(mandate=mandate, person=person, since=start)
        for number, term in enumerate(following, start=mandate.term_number + 1):
            # The later terms now continue this one.
            term.term_number = number
            if term is following[0] and term.renews_id is None:
                term.renews = mandate
            term.save(update_fields=["term_number", "renews"])
        record_event(
            actor,
            "bodies.mandate.appointed",
            target=mandate,
            organisation=body.organisation,
            data={
                "body": body.code,
                "person": person.full_name,
                "role": role,
                "origin": origin,
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "term": mandate.term_number,
                "warnings": warnings,
            },
        )
    return mandate, warnings


def renew(
    actor: Person | None,
    *,
    mandate: Mandate,
    origin: str = Mandate.Origin.ELECTED,
    end: datetime.date | None = None,
    decision_reference: str = "",
) -> tuple[Mandate, list[str]]:
    """A new consecutive term from the end of this one; the term limit applies (B1, B6)."""
    with transaction.atomic():
        lock_body(mandate.body)
        _read_again(mandate)
        if mandate.end is None:
            raise ValidationError(_("A mandate without an end cannot be renewed."))
        if mandate.end_reason and mandate.end_reason != Mandate.EndReason.TERM_EXPIRED:
            raise ValidationError(
                _("Only a mandate that runs to the end of its term can be renewed.")
            )
        if _is_renewed(mandate):
            raise ValidationError(_("This mandate is already renewed."))
        return appoint(
            actor,
            body=mandate.body,
            person=mandate.person,
            legal_member=mandate.legal_member,
            role=mandate.role,
            seat_group=mandate.seat_group,
            start=mandate.end,
            end=end,
            origin=origin,
            decision_reference=decision_reference,
        )


def _read_again(mandate: Mandate) -> None:
    """After locking the body: the mandate as other actions may have left it (ended early, a
    new representative)."""
    mandate.refresh_from_db(fields=["person", "end", "end_reason"])


def _is_renewed(mandate: Mandate) -> bool:
    return Mandate.objects.filter(renews=mandate).exists()


# A term expires by itself on its end date; not confirming is the assembly's decision.
EARLY_END_EXCLUDED = {Mandate.EndReason.TERM_EXPIRED, Mandate.EndReason.NOT_CONFIRMED}


def end_mandate(
    actor: Person | None, *, mandate: Mandate, on: datetime.date, reason: str
) -> Mandate:
    """End a mandate early: resignation, revocation (at any time, B6), death… `on` is the first
    day without it."""
    if reason not in Mandate.EndReason.values or reason in EARLY_END_EXCLUDED:
        raise ValidationError(
            {"reason": _("Choose why the mandate ends early; a term expires by itself.")}
        )
    with transaction.atomic():
        lock_body(mandate.body)
        _read_again(mandate)
        if mandate.end_reason:
            raise ValidationError(_("This mandate has already ended."))
        if on <= mandate.start:
            raise ValidationError({"on": _("A mandate ends after it starts.")})
        if mandate.end is not None and on > mandate.end:
            raise ValidationError(
                {
                    "on": _("The mandate already ends on %(end)s.")
                    % {"end": date_format(mandate.end)}
                }
            )
        if mandate.end is not None and on < mandate.end and _is_renewed(mandate):
            raise ValidationError(_("End the renewal instead: this term is over."))
        mandate.end = on
        mandate.end_reason = reason
        mandate.save(update_fields=["end", "end_reason"])
        record_event(
            actor,
            "bodies.mandate.ended",
            target=mandate,
            organisation=mandate.organisation,
            data={"on": on.isoformat(), "reason": reason},
        )
    return mandate


def change_representative(
    actor: Person | None, *, mandate: Mandate, person: Person, since: datetime.date
) -> Mandate:
    """A legal-person holder names a new permanent representative from a date (B5)."""
    if mandate.legal_member_id is None:
        raise ValidationError(_("Only a legal-person holder has a permanent representative."))
    if person.organisation_id != mandate.organisation_id:
        raise ValidationError({"person": _("This person belongs to another organisation.")})
    with transaction.atomic():
        lock_body(mandate.body)
        _read_again(mandate)
        if not mandate.is_active_on(since):
            raise ValidationError({"since": _("The mandate is not running on that date.")})
        if mandate.representatives.filter(since__gte=since).exists():
            raise ValidationError(
                {"since": _("A later change of representative is already recorded.")}
            )
        previous = mandate.person
        with refusing_violations(RepresentativeChange):
            RepresentativeChange.objects.create(mandate=mandate, person=person, since=since)
        mandate.person = person
        mandate.save(update_fields=["person"])
        record_event(
            actor,
            "bodies.mandate.representative_changed",
            target=mandate,
            organisation=mandate.organisation,
            data={"from": previous.full_name, "to": person.full_name, "since": since.isoformat()},
        )
    return mandate


def representative_on(mandate: Mandate, day: datetime.date) -> Person:
    change = mandate.representatives.filter(since__lte=day).select_related("person").last()
    return change.person if change else mandate.person


def general_assembly_of(organisation: Organisation) -> Body | None:
    return Body.objects.filter(organisation=organisation, kind=Body.Kind.GENERAL_ASSEMBLY).first()


def co_opt(
    actor: Person | None,
    *,
    vacated: Mandate,
    person: Person,
    start: datetime.date,
    legal_member: Member | None = None,
    decision_reference: str = "",
) -> tuple[Mandate, list[str]]:
    """Fill the seat a mandate left: same seat group, until the predecessor's term would have
    ended; the next general assembly must confirm it (B4). The body is locked before the seat
    is found vacant: two co-optations to one seat at the same moment fill it once."""
    assembly = general_assembly_of(vacated.organisation)
    if assembly is None:
        raise ValidationError(
            _("Create the general assembly among the bodies first: it confirms co-optations.")
        )
    with transaction.atomic():
        lock_body(vacated.body)
        _read_again(vacated)
        if not vacated.end_reason or vacated.end is None or vacated.end > start:
            raise ValidationError(
                _("Co-optation fills a vacant seat: end the predecessor's mandate first.")
            )
        if vacated.term_end is None or vacated.term_end <= start:
            raise ValidationError(
                _("The predecessor's term is over: the seat is filled by an election instead.")
            )
        if vacated.replaced_by.exclude(end_reason=Mandate.EndReason.NOT_CONFIRMED).exists():
            raise ValidationError(_("This seat has already been filled."))
        mandate, warnings = appoint(
            actor,
            body=vacated.body,
            person=person,
            legal_member=legal_member,
            seat_group=vacated.seat_group,
            start=start,
            end=vacated.term_end,
            origin=Mandate.Origin.CO_OPTED,
            decision_reference=decision_reference,
            replaces=vacated,
        )
        confirmation = Confirmation.objects.create(
            organisation=vacated.organisation,
            mandate=mandate,
            assembly=assembly,
            due_by=next_general_assembly(vacated.body),
        )
        record_event(
            actor,
            "bodies.cooptation.awaiting_confirmation",
            target=assembly,
            organisation=assembly.organisation,
            data={"mandate": str(mandate.code), "due_by": str(confirmation.due_by or "")},
        )
    return mandate, warnings


def confirm_cooptation(
    actor: Person | None, *, confirmation: Confirmation, on: datetime.date
) -> Confirmation:
    return _decide_cooptation(actor, confirmation=confirmation, on=on, confirmed=True)


def reject_cooptation(
    actor: Person | None, *, confirmation: Confirmation, on: datetime.date
) -> Confirmation:
    """The assembly does not confirm: the mandate ends that day; what was done stays valid."""
    return _decide_cooptation(actor, confirmation=confirmation, on=on, confirmed=False)


def _decide_cooptation(
    actor: Person | None, *, confirmation: Confirmation, on: datetime.date, confirmed: bool
) -> Confirmation:
    mandate = confirmation.mandate
    with transaction.atomic():
        lock_body(mandate.body)
        confirmation.refresh_from_db(fields=["status", "decided_on"])
        _read_again(mandate)
        if confirmation.status != Confirmation.Status.PENDING:
            raise ValidationError(
                _("The general assembly has already decided on this co-optation.")
            )
        if on < mandate.start:
            raise ValidationError({"on": _("The assembly decides after the co-optation.")})
        confirmation.status = (
            Confirmation.Status.CONFIRMED if confirmed else Confirmation.Status.REJECTED
        )
        confirmation.decided_on = on
        confirmation.save(update_fields=["status", "decided_on"])
        if not confirmed and (mandate.end is None or mandate.end > on):
            mandate.end = max(on, mandate.start + datetime.timedelta(days=1))
            mandate.end_reason = Mandate.EndReason.NOT_CONFIRMED
            mandate.save(update_fields=["end", "end_reason"])
        record_event(
            actor,
            "bodies.cooptation.confirmed" if confirmed else "bodies.cooptation.rejected",
            target=mandate,
            organisation=mandate.organisation,
            data={"on": on.isoformat()},
        )
    return confirmation


# Draws by lot (B7)

STRATA = {
    "": lambda member: "",
    "category": lambda member: member.category.code,
    "gender": lambda member: member.person.gender if member.person else "",
}


def allocate(seats: int, sizes: dict[str, int]) -> dict[str, int]:
    """Seats per stratum in proportion to its size, by largest remainder (ties: key order)."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    exact = {key: seats * size / total for key, size in sizes.items()}
    shares = {key: int(value) for key, value in exact.items()}
    rest = seats - sum(shares.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - shares[k]), k))[:rest]:
        shares[key] += 1
    return shares


def draw_numbers(pool: dict[int, str], seats: int, seed: str) -> list[int]:
    """The members drawn, from {member number: stratum} and a seed; pure and repeatable."""
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for number in sorted(pool):
        by_stratum[pool[number]].append(number)
    shares = allocate(seats, {key: len(numbers) for key, numbers in by_stratum.items()})
    rng = random.Random(seed)
    drawn: list[int] = []
    for key in sorted(by_stratum):
        drawn.extend(sorted(rng.sample(by_stratum[key], shares[key])))
    return drawn


def draw_by_lot(
    actor: Person | None,
    *,
    body: Body,
    seats: int,
    eligible: Iterable[Member],
    pool_description: str,
    start: datetime.date,
    end: datetime.date | None = None,
    stratum: str = "",
    seed: str = "",
) -> Draw:
    """Draw members by lot and give them mandates; the pool, strata and seed are kept (B7)."""
    if stratum not in STRATA:
        raise ValidationError({"stratum": _("Unknown stratum.")})
    members = [
        m for m in eligible if m.kind == Member.Kind.NATURAL and m.status == Member.Status.ADMITTED
    ]
    if seats < 1 or seats > len(members):
        raise ValidationError(
            {
                "seats": _("Draw between 1 and %(count)s members: the eligible pool has %(count)s.")
                % {"count": len(members)}
            }
        )
    seed = seed or secrets.token_hex(16)
    pool = {member.number: STRATA[stratum](member) for member in members}
    result = draw_numbers(pool, seats, seed)
    by_number = {member.number: member for member in members}
    with transaction.atomic():
        lock_body(body)  # each appointment below checks the rules against the previous ones
        draw = Draw.objects.create(
            organisation=body.organisation,
            body=body,
            seats=seats,
            stratum=stratum,
            seed=seed,
            pool={str(number): key for number, key in pool.items()},
            result=result,
            pool_description=pool_description,
            start=start,
            end=end,
            drawn_by=actor,
        )
        for number in result:
            member = by_number[number]
            assert member.person is not None
            appoint(
                actor,
                body=body,
                person=member.person,
                start=start,
                end=end,
                origin=Mandate.Origin.DRAWN_BY_LOT,
                seat_group=_group_for(body, member),
                decision_reference=str(draw.code),
            )
        record_event(
            actor,
            "bodies.draw.made",
            target=draw,
            organisation=body.organisation,
            data={"seats": seats, "seed": seed, "pool": len(pool), "result": result},
        )
    return draw


def _group_for(body: Body, member: Member) -> SeatGroup | None:
    rule = rule_of(body)
    if rule is None:
        return None
    return rule.groups.filter(categories=member.category_id).first()


def verify_draw(draw: Draw) -> bool:
    """Re-run a draw from its recorded pool and seed: anyone gets the same members."""
    pool = {int(number): stratum for number, stratum in draw.pool.items()}
    return draw_numbers(pool, draw.seats, draw.seed) == draw.result
