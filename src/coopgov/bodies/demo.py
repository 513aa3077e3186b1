"""The bodies of the demo cooperative and who sits on them, as on 27 November 2026.

The general assembly elects a 15-seat board (11 category-A seats, 4 for categories B and C;
8 women and 7 men; two cohorts renewed in turn); a director resigned in October 2026 and the
board co-opted a successor who awaits the June 2027 assembly; two works-council members sit on
the board with an advisory voice; the delegated management has two co-holders whose terms end
in 2026 and 2028; the ethics committee was partly drawn by lot. The health and safety
committee is all men, which the rule report flags as a warning: the one deliberate breach.
"""

from __future__ import annotations

import datetime
import itertools

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Member, MemberCategory, Organisation, Person

D = datetime.date
AG_2023, AG_2025, AG_2027, AG_2029 = D(2023, 6, 20), D(2025, 6, 17), D(2027, 6, 15), D(2029, 6, 19)

BODIES = (
    # code, name, kind, may decide, purpose
    (
        "ag",
        "Assemblée générale",
        Body.Kind.GENERAL_ASSEMBLY,
        True,
        "Les sociétaires réunis chaque année en juin : comptes, décharge, élection des administrateurs.",
    ),
    (
        "ca",
        "Conseil d'administration",
        Body.Kind.BOARD,
        True,
        "Gère la coopérative au nom des sociétaires ; se réunit tous les deux mois pour décider "
        "et une fois par an en séminaire, sans décider.",
    ),
    (
        "ad",
        "Administration déléguée",
        Body.Kind.DELEGATED_MANAGEMENT,
        True,
        "Gestion journalière, nommée par le conseil d'administration.",
    ),
    (
        "ethique",
        "Comité d'éthique",
        Body.Kind.COMMITTEE,
        False,
        "Rend des avis, sur demande, et des recommandations ; fait rapport à l'assemblée générale.",
    ),
    (
        "ce",
        "Conseil d'entreprise",
        Body.Kind.WORKS_COUNCIL,
        False,
        "Informé et consulté sur la marche de l'entreprise et les changements de structure.",
    ),
    (
        "cppt",
        "Comité pour la prévention et la protection au travail",
        Body.Kind.HEALTH_SAFETY,
        False,
        "Donne son avis sur le bien-être au travail et le plan d'action annuel.",
    ),
    (
        "direction",
        "Équipe de direction",
        Body.Kind.MANAGEMENT_TEAM,
        False,
        "Les responsables des directions, autour de l'administration déléguée.",
    ),
)

RELATIONS = (
    ("ag", "elects", "ca", None),
    ("ca", "appoints", "ad", None),
    ("ethique", "reports_to", "ag", None),
    ("ce", "sends_observers_to", "ca", 2),
    ("ca", "must_consult", "ce", None),
    ("ca", "must_consult", "cppt", None),
    ("ad", "reports_to", "ca", None),
    ("direction", "reports_to", "ad", None),
)

AG_2019, AG_2021 = D(2019, 6, 18), D(2021, 6, 15)

# The board over time: key, seat group, role, and the terms served (elected at, ends at).
# In January 2023 (the seminar) the 2019 and 2021 cohorts sit; today the 2023 and 2025 ones.
BOARD = (
    ("marc", "A", Mandate.Role.CHAIR, (AG_2019, AG_2023, AG_2027)),
    ("anne", "A", Mandate.Role.VICE_CHAIR, (AG_2019, AG_2023, AG_2027)),
    ("pieter", "A", Mandate.Role.MEMBER, (AG_2019, AG_2023, AG_2027)),
    ("nadia", "A", Mandate.Role.SECRETARY, (AG_2019, AG_2023, AG_2027)),
    ("sofia", "B/C", Mandate.Role.MEMBER, (AG_2019, AG_2023, AG_2027)),
    ("fatou", "B/C", Mandate.Role.MEMBER, (AG_2019, AG_2023, AG_2027)),
    ("chloe", "A", Mandate.Role.TREASURER, (AG_2019, AG_2023)),
    ("david", "A", Mandate.Role.MEMBER, (AG_2019, AG_2023)),
    ("julie", "A", Mandate.Role.MEMBER, (AG_2021, AG_2025, AG_2029)),
    ("karim", "A", Mandate.Role.MEMBER, (AG_2021, AG_2025, AG_2029)),
    ("bruno", "A", Mandate.Role.MEMBER, (AG_2021, AG_2025, AG_2029)),
    ("camille", "B/C", Mandate.Role.MEMBER, (AG_2021, AG_2025, AG_2029)),
    ("geert", "B/C", Mandate.Role.MEMBER, (AG_2021, AG_2025, AG_2029)),  # for Vélo Solidaire ASBL
    ("eva", "A", Mandate.Role.MEMBER, (AG_2021, AG_2025)),
    ("samuel", "A", Mandate.Role.MEMBER, (AG_2021, AG_2025)),
    ("lucas", "A", Mandate.Role.TREASURER, (AG_2023, AG_2027)),
    ("elise", "A", Mandate.Role.MEMBER, (AG_2023, AG_2027)),
    ("hanne", "A", Mandate.Role.MEMBER, (AG_2025, AG_2029)),
    ("olivier", "A", Mandate.Role.MEMBER, (AG_2025, AG_2029)),
)


def load(org: Organisation, people: dict[str, Person]) -> None:
    bodies = {
        code: actions.create_body(
            None,
            organisation=org,
            code=code,
            name=name,
            kind=kind,
            may_decide=decides,
            purpose=purpose,
            position=position,
            next_ordinary_meeting=AG_2027 if kind == Body.Kind.GENERAL_ASSEMBLY else None,
            confidentiality="bodies" if code == "ethique" else "members",
        )
        for position, (code, name, kind, decides, purpose) in enumerate(BODIES)
    }
    for source, kind, target, seats in RELATIONS:
        actions.relate_bodies(
            None, source=bodies[source], kind=kind, target=bodies[target], seats=seats
        )
    categories = {c.code: c for c in MemberCategory.objects.filter(organisation=org)}
    _board(bodies["ca"], categories, people)
    _delegated_management(bodies["ad"], people)
    _ethics(bodies["ethique"], org, categories, people)
    _staff_bodies(bodies, people)


def _board(board: Body, categories: dict[str, MemberCategory], people: dict[str, Person]) -> None:
    rule = actions.set_seat_rule(
        None,
        body=board,
        groups=[("A", 11, [categories["A"]]), ("B/C", 4, [categories["B"], categories["C"]])],
        min_seats=3,
        max_seats=15,
        min_gender_share=40,
        term_years=4,
        max_consecutive_terms=2,
        advisory_seats=2,
        legal_person_seats=2,
        selection_modes=["elected", "co_opted"],
    )
    groups = {group.name: group for group in rule.groups.all()}
    velo = Member.objects.get(organisation=board.organisation, legal_name="Vélo Solidaire ASBL")
    mandates: dict[str, Mandate] = {}
    # Appointed in the order of the general assemblies, as the history happened.
    terms = sorted(
        (
            (start, end, key, group, role)
            for key, group, role, dates in BOARD
            for start, end in itertools.pairwise(dates)
        ),
        key=lambda term: (term[0], term[2]),
    )
    for start, end, key, group, role in terms:
        previous = mandates.get(key)
        if previous is not None and previous.end == start:
            mandates[key], _ = actions.renew(
                None, mandate=previous, end=end, decision_reference=f"AG-{start.year}"
            )
            continue
        mandates[key], _ = actions.appoint(
            None,
            body=board,
            person=people[key],
            legal_member=velo if key == "geert" else None,
            start=start,
            end=end,
            origin=Mandate.Origin.ELECTED,
            seat_group=groups[group],
            role=role,
            decision_reference=f"AG-{start.year}",
        )
    # Olivier resigned in October 2026; the board co-opted Noémie, a category-A member.
    actions.end_mandate(None, mandate=mandates["olivier"], on=D(2026, 10, 15), reason="resigned")
    actions.co_opt(
        None,
        vacated=mandates["olivier"],
        person=people["noemie"],
        start=D(2026, 11, 10),
        decision_reference="CA-2026-058",
    )
    for key in ("dimitri", "leila"):
        actions.appoint(
            None,
            body=board,
            person=people[key],
            start=D(2024, 6, 1),
            end=D(2028, 6, 1),
            origin=Mandate.Origin.SOCIAL_ELECTIONS,
            role=Mandate.Role.ADVISORY_OBSERVER,
        )


def _delegated_management(body: Body, people: dict[str, Person]) -> None:
    actions.set_seat_rule(None, body=body, max_seats=3, term_years=4, max_consecutive_terms=2)
    actions.appoint(
        None,
        body=body,
        person=people["isabelle"],
        start=D(2022, 12, 1),
        origin="appointed",
        role=Mandate.Role.DELEGATED_MANAGER,
        decision_reference="CA-2022-041",
    )
    actions.appoint(
        None,
        body=body,
        person=people["frederic"],
        start=D(2024, 3, 1),
        origin="appointed",
        role=Mandate.Role.DELEGATED_MANAGER,
        decision_reference="CA-2024-009",
    )


def _ethics(
    body: Body, org: Organisation, categories: dict[str, MemberCategory], people: dict[str, Person]
) -> None:
    """5 user members drawn by lot, 3 staff and 2 external experts appointed."""
    actions.set_seat_rule(
        None, body=body, max_seats=10, min_gender_share=40, term_years=3, max_consecutive_terms=2
    )
    start = D(2024, 2, 1)
    board_people = {p.pk for p in people.values()}
    eligible = (
        Member.objects.of(org)
        .admitted()
        .filter(kind=Member.Kind.NATURAL, category=categories["A"])
        .exclude(person__in=board_people)
        .select_related("person", "category")
    )
    actions.draw_by_lot(
        None,
        body=body,
        seats=5,
        eligible=eligible,
        stratum="gender",
        seed="ethique-2024",
        pool_description="sociétaires A admis sans autre mandat",
        start=start,
    )
    for key in ("ines", "yasmine", "thomas", "marie", "joris"):
        actions.appoint(
            None,
            body=body,
            person=people[key],
            start=start,
            origin="appointed",
            decision_reference="CA-2024-002",
        )


def _staff_bodies(bodies: dict[str, Body], people: dict[str, Person]) -> None:
    works_council = bodies["ce"]
    actions.set_seat_rule(None, body=works_council, max_seats=6, term_years=4)
    for key in ("dimitri", "leila", "ines", "ahmed"):
        actions.appoint(
            None,
            body=works_council,
            person=people[key],
            start=D(2024, 6, 1),
            end=D(2028, 6, 1),
            origin="social_elections",
        )
    cppt = bodies["cppt"]
    actions.set_seat_rule(
        None, body=cppt, max_seats=6, term_years=4, min_gender_share=40, gender_enforcement="warn"
    )
    for key in ("ahmed", "thomas", "dimitri"):
        actions.appoint(
            None,
            body=cppt,
            person=people[key],
            start=D(2024, 6, 1),
            end=D(2028, 6, 1),
            origin="social_elections",
        )
    team = bodies["direction"]
    for key in ("isabelle", "frederic", "laurent", "veronique", "mathieu", "stijn", "sarah"):
        actions.appoint(
            None,
            body=team,
            person=people[key],
            start=D(2022, 1, 1),
            origin="ex_officio",
            role=Mandate.Role.CHAIR if key == "isabelle" else Mandate.Role.MEMBER,
        )
