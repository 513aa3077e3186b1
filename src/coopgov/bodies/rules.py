"""The composition of a body on a date (B2) and its rules (B1, B3), as plain computations.

`composition()` reads what the mandates say on one day; `rule_report()` says which rule holds
and what would fix a breach; `check_appointment()` tells which rules a new mandate would break.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopgov.bodies.models import Body, Enforcement, Mandate, SeatGroup, SeatRule
from coopgov.core.models import Member, Person

BINARY_GENDERS = (Person.Gender.FEMALE, Person.Gender.MALE)


@dataclass
class GroupUse:
    group: SeatGroup
    used: int

    @property
    def free(self) -> int:
        return max(self.group.seats - self.used, 0)


@dataclass
class Composition:
    body: Body
    day: datetime.date
    rule: SeatRule | None
    members: list[Mandate]
    observers: list[Mandate]
    categories: dict[int, int | None]  # mandate pk → member category pk
    groups: list[GroupUse] = field(default_factory=list)
    renewals: list[Mandate] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return len(self.members)

    @property
    def vacancies(self) -> int:
        if self.rule is None or self.rule.max_seats is None:
            return 0
        return max(self.rule.max_seats - self.filled, 0)

    @property
    def genders(self) -> Counter[str]:
        return Counter(mandate.person.gender for mandate in self.members)

    @property
    def quorum(self) -> int | None:
        return self.rule.quorum_for(self.filled) if self.rule else None


@dataclass
class Finding:
    rule: str  # size, quota, gender, term, legal, advisory, selection, holder
    ok: bool
    enforcement: str
    message: str
    fix: str = ""

    @property
    def blocks(self) -> bool:
        return not self.ok and self.enforcement == Enforcement.BLOCK


def rule_of(body: Body) -> SeatRule | None:
    try:
        return body.seat_rule
    except SeatRule.DoesNotExist:
        return None


def member_categories(mandates: list[Mandate]) -> dict[int, int | None]:
    """The member category behind each mandate: the legal person's, or the person's."""
    people = {m.person_id for m in mandates if not m.legal_member_id}
    by_person = dict(
        Member.objects.filter(person__in=people, status=Member.Status.ADMITTED).values_list(
            "person_id", "category_id"
        )
    )
    return {
        m.pk: (m.legal_member.category_id if m.legal_member else by_person.get(m.person_id))
        for m in mandates
    }


def composition(body: Body, day: datetime.date) -> Composition:
    rule = rule_of(body)
    # Through the body's own manager: each mandate knows its body (and so its organisation)
    # without joining them again.
    active = list(
        body.mandates.active_on(day)
        .select_related("person", "legal_member", "seat_group", "confirmation")
        .order_by("seat_group", "start", "pk")
    )
    for mandate in active:
        mandate.organisation = body.organisation
    members = [m for m in active if not m.is_advisory]
    observers = [m for m in active if m.is_advisory]
    result = Composition(
        body=body,
        day=day,
        rule=rule,
        members=members,
        observers=observers,
        categories=member_categories(active),
    )
    if rule is not None:
        used = Counter(m.seat_group_id for m in members)
        result.groups = [
            GroupUse(group, used[group.pk]) for group in rule.groups.prefetch_related("categories")
        ]
    assembly_day = next_general_assembly(body)
    if assembly_day is not None and assembly_day >= day:
        result.renewals = [m for m in members if m.end is not None and m.end <= assembly_day]
    return result


def next_general_assembly(body: Body) -> datetime.date | None:
    assembly = (
        Body.objects.filter(organisation=body.organisation_id, kind=Body.Kind.GENERAL_ASSEMBLY)
        .values_list("next_ordinary_meeting", flat=True)
        .first()
    )
    return assembly


def rule_report(comp: Composition) -> list[Finding]:
    """Each rule of the body on that day, whether it holds and what would fix it."""
    rule = comp.rule
    if rule is None:
        return []
    findings: list[Finding] = []
    if rule.max_seats is not None:
        ok = rule.min_seats <= comp.filled <= rule.max_seats
        findings.append(
            Finding(
                "size",
                ok,
                rule.size_enforcement,
                _("%(filled)s of %(max)s seats filled (at least %(min)s).")
                % {"filled": comp.filled, "max": rule.max_seats, "min": rule.min_seats},
                ""
                if comp.filled >= rule.min_seats
                else ngettext(
                    "Fill %(count)s more seat.",
                    "Fill %(count)s more seats.",
                    rule.min_seats - comp.filled,
                )
                % {"count": rule.min_seats - comp.filled},
            )
        )
    for use in comp.groups:
        over = use.used - use.group.seats
        allowed = {category.pk for category in use.group.categories.all()}
        wrong = [
            m
            for m in comp.members
            if m.seat_group_id == use.group.pk and comp.categories.get(m.pk) not in allowed
        ]
        findings.append(
            Finding(
                "quota",
                over <= 0 and not wrong,
                rule.quota_enforcement,
                _("Seats %(group)s: %(used)s of %(seats)s.")
                % {"group": use.group.name, "used": use.used, "seats": use.group.seats},
                (
                    _("%(count)s too many in seats %(group)s: end a mandate there.")
                    % {"count": over, "group": use.group.name}
                    if over > 0
                    else _("%(names)s no longer belong to a category of seats %(group)s.")
                    % {"names": ", ".join(m.holder_name for m in wrong), "group": use.group.name}
                    if wrong
                    else ""
                ),
            )
        )
    if rule.min_gender_share and comp.filled:
        needed = rule.min_seats_per_gender()
        for gender in BINARY_GENDERS:
            count = comp.genders.get(gender, 0)
            share = round(100 * count / comp.filled)
            ok = count * 100 >= rule.min_gender_share * comp.filled
            label = Person.Gender(gender).label
            findings.append(
                Finding(
                    "gender",
                    ok,
                    rule.gender_enforcement,
                    _("%(gender)s: %(count)s seats, %(share)s %% (at least %(min)s %%).")
                    % {
                        "gender": label,
                        "count": count,
                        "share": share,
                        "min": rule.min_gender_share,
                    },
                    ""
                    if ok
                    else ngettext(
                        "Give the next seat to: %(gender)s.",
                        "Give the next %(count)s seats to: %(gender)s.",
                        max(needed - count, 1),
                    )
                    % {"count": max(needed - count, 1), "gender": label},
                )
            )
    if rule.max_consecutive_terms:
        beyond = [m for m in comp.members if m.term_number > rule.max_consecutive_terms]
        findings.append(
            Finding(
                "term",
                not beyond,
                rule.term_enforcement,
                ngettext(
                    "At most %(max)s term in a row.",
                    "At most %(max)s consecutive terms.",
                    rule.max_consecutive_terms,
                )
                % {"max": rule.max_consecutive_terms},
                _("Beyond the limit: %(names)s.")
                % {"names": ", ".join(m.holder_name for m in beyond)}
                if beyond
                else "",
            )
        )
    if comp.observers or rule.advisory_seats:
        findings.append(
            Finding(
                "advisory",
                len(comp.observers) <= rule.advisory_seats,
                rule.size_enforcement,
                _("%(count)s of %(seats)s advisory seats filled.")
                % {"count": len(comp.observers), "seats": rule.advisory_seats},
            )
        )
    return findings


def check_appointment(
    body: Body,
    *,
    person: Person,
    category_id: int | None,
    seat_group: SeatGroup | None,
    role: str,
    origin: str,
    legal_member: Member | None,
    start: datetime.date,
    end: datetime.date | None,
    term_number: int,
    following_terms: int = 0,
    ignore: Mandate | None = None,
) -> list[Finding]:
    """The rules a new mandate would break, on its first day and whenever the body changes
    during it. Each finding names the rule and says whether it blocks or warns.

    `term_number` counts the holder's terms up to this one without a break; `following_terms`
    the terms that already follow it without a break (a term filled in before a later one).
    Limits hold under concurrency only when the caller has locked the body (actions.lock_body).
    """
    others = Mandate.objects.of_body(body).select_related("person", "legal_member")
    if ignore is not None:
        others = others.exclude(pk=ignore.pk)
    candidates = [
        m for m in others if (end is None or m.start < end) and (m.end is None or m.end > start)
    ]
    held = [
        m
        for m in candidates
        if (
            m.legal_member_id == legal_member.pk
            if legal_member is not None
            else m.legal_member_id is None and m.person_id == person.pk
        )
    ]
    if held:
        return [one_mandate_at_a_time(held[0])]
    rule = rule_of(body)
    if rule is None:
        return []
    breaches: list[Finding] = []
    advisory = role == Mandate.Role.ADVISORY_OBSERVER
    if not advisory and rule.selection_modes and origin not in rule.selection_modes:
        modes = ", ".join(str(Mandate.Origin(mode).label).lower() for mode in rule.selection_modes)
        breaches.append(
            Finding(
                "selection",
                False,
                Enforcement.BLOCK,
                _("Selection: the seats of this body are filled this way only: %(modes)s.")
                % {"modes": modes},
            )
        )
    if rule.max_consecutive_terms and term_number > rule.max_consecutive_terms:
        breaches.append(
            Finding(
                "term",
                False,
                rule.term_enforcement,
                _(
                    "Term limit: %(name)s would start consecutive term %(n)s; the rule allows %(max)s."
                )
                % {"name": person.full_name, "n": term_number, "max": rule.max_consecutive_terms},
            )
        )
    elif rule.max_consecutive_terms and term_number + following_terms > rule.max_consecutive_terms:
        breaches.append(
            Finding(
                "term",
                False,
                rule.term_enforcement,
                _(
                    "Term limit: with this mandate %(name)s would serve %(n)s consecutive terms; "
                    "the rule allows %(max)s."
                )
                % {
                    "name": person.full_name,
                    "n": term_number + following_terms,
                    "max": rule.max_consecutive_terms,
                },
            )
        )
    if seat_group is not None and category_id not in {c.pk for c in seat_group.categories.all()}:
        breaches.append(
            Finding(
                "quota",
                False,
                rule.quota_enforcement,
                _("Category quota: seats %(group)s are for members of categories %(categories)s.")
                % {
                    "group": seat_group.name,
                    "categories": ", ".join(c.code for c in seat_group.categories.all()),
                },
            )
        )
    days = {start} | {m.start for m in candidates if m.start > start}
    for day in sorted(days):
        present = [m for m in candidates if m.is_active_on(day)]
        voting = [m for m in present if not m.is_advisory]
        if advisory:
            count = sum(1 for m in present if m.is_advisory) + 1
            if count > rule.advisory_seats:
                breaches.append(
                    Finding(
                        "advisory",
                        False,
                        rule.size_enforcement,
                        _(
                            "Advisory seats: %(count)s observers on %(day)s; the rule allows %(max)s."
                        )
                        % {
                            "count": count,
                            "day": date_format(day, "SHORT_DATE_FORMAT"),
                            "max": rule.advisory_seats,
                        },
                    )
                )
            break
        if rule.max_seats is not None and len(voting) + 1 > rule.max_seats:
            breaches.append(
                Finding(
                    "size",
                    False,
                    rule.size_enforcement,
                    _(
                        "Seats: the body would have %(count)s members on %(day)s; it has %(max)s seats."
                    )
                    % {
                        "count": len(voting) + 1,
                        "day": date_format(day, "SHORT_DATE_FORMAT"),
                        "max": rule.max_seats,
                    },
                )
            )
        if seat_group is not None:
            used = sum(1 for m in voting if m.seat_group_id == seat_group.pk) + 1
            if used > seat_group.seats:
                breaches.append(
                    Finding(
                        "quota",
                        False,
                        rule.quota_enforcement,
                        _(
                            "Category quota: seats %(group)s would hold %(used)s members on %(day)s; there are %(seats)s."
                        )
                        % {
                            "group": seat_group.name,
                            "used": used,
                            "day": date_format(day, "SHORT_DATE_FORMAT"),
                            "seats": seat_group.seats,
                        },
                    )
                )
        if legal_member is not None:
            used = sum(1 for m in voting if m.legal_member_id) + 1
            if used > rule.legal_person_seats:
                breaches.append(
                    Finding(
                        "legal",
                        False,
                        rule.size_enforcement,
                        _("Legal persons: %(used)s would sit on %(day)s; the rule allows %(max)s.")
                        % {
                            "used": used,
                            "day": date_format(day, "SHORT_DATE_FORMAT"),
                            "max": rule.legal_person_seats,
                        },
                    )
                )
        needed = rule.min_seats_per_gender()
        if needed and rule.max_seats and person.gender in BINARY_GENDERS:
            same = sum(1 for m in voting if m.person.gender == person.gender) + 1
            if same > rule.max_seats - needed:
                breaches.append(
                    Finding(
                        "gender",
                        False,
                        rule.gender_enforcement,
                        _(
                            "Gender balance: %(count)s seats of %(max)s would go to one gender "
                            "(%(gender)s) on %(day)s; each gender needs at least %(needed)s."
                        )
                        % {
                            "count": same,
                            "max": rule.max_seats,
                            "gender": Person.Gender(person.gender).label,
                            "day": date_format(day, "SHORT_DATE_FORMAT"),
                            "needed": needed,
                        },
                    )
                )
        if breaches:
            break
    return breaches


def one_mandate_at_a_time(current: Mandate) -> Finding:
    """A holder has one mandate on a body at a time, whatever its role; always blocks."""
    values = {
        "name": current.holder_name,
        "start": date_format(current.start, "SHORT_DATE_FORMAT"),
        "end": date_format(current.end, "SHORT_DATE_FORMAT") if current.end else "",
    }
    return Finding(
        "holder",
        False,
        Enforcement.BLOCK,
        _(
            "One mandate at a time: %(name)s already holds a mandate on this body from "
            "%(start)s; it ends on %(end)s."
        )
        % values
        if current.end
        else _(
            "One mandate at a time: %(name)s already holds a mandate on this body from "
            "%(start)s, with no end date."
        )
        % values,
    )
