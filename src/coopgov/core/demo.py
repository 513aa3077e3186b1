"""The demo cooperative: a Belgian shared-enterprise cooperative, with invented people.

It follows the story of the seed article (a board seminar in Charleroi, directions sharing
their news, the cooperative-life team organising it) and is extended by later features.
Everything is created through the actions, with a fixed random seed, so two runs on empty
databases give the same cooperative.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from coopgov.core import actions
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Role, Unit

DEMO_CODE = "mutualis"
DEMO_PASSWORD = "coopgov-demo"  # noqa: S105 - printed on purpose for the demo logins
SEED = 2023


@dataclass(frozen=True)
class CastMember:
    key: str
    first_name: str
    last_name: str
    gender: str
    category: str | None  # member category, or None when not a member
    language: str = "fr"
    roles: tuple[str, ...] = ()
    login: bool = False
    note: str = ""


F, M = Person.Gender.FEMALE, Person.Gender.MALE
SECRETARIAT, ADMIN, STAFF = Role.Kind.SECRETARIAT, Role.Kind.ADMIN, Role.Kind.STAFF

# The named cast. Later features give them mandates (the 15 directors, the delegated
# management, the works-council observers, the ethics committee).
CAST: tuple[CastMember, ...] = (
    # Cooperative-life team: the secretariat of the bodies.
    CastMember(
        "claire",
        "Claire",
        "Vandenberghe",
        F,
        "B",
        roles=(SECRETARIAT, ADMIN),
        login=True,
        note="cooperative-life team, secretariat of the bodies",
    ),
    CastMember("yasmine", "Yasmine", "El Amrani", F, "B", roles=(SECRETARIAT,)),
    CastMember("thomas", "Thomas", "Wouters", M, "B", language="nl", roles=(STAFF,)),
    # The board: 15 directors, 11 from category A and 4 from B/C, 8 women and 7 men.
    CastMember("marc", "Marc", "Delvaux", M, "A", login=True, note="chair of the board"),
    CastMember(
        "sofia",
        "Sofia",
        "Haddad",
        F,
        "B",
        roles=(STAFF,),
        login=True,
        note="director, adviser at the Charleroi office",
    ),
    CastMember("anne", "Anne", "Lejeune", F, "A"),
    CastMember("pieter", "Pieter", "Janssens", M, "A", language="nl"),
    CastMember("nadia", "Nadia", "Benali", F, "A"),
    CastMember("lucas", "Lucas", "Mertens", M, "A", language="nl"),
    CastMember("elise", "Élise", "Dumont", F, "A"),
    CastMember("karim", "Karim", "Ouali", M, "A"),
    CastMember("julie", "Julie", "Claes", F, "A", language="nl"),
    CastMember("bruno", "Bruno", "Lemaire", M, "A"),
    CastMember("hanne", "Hanne", "De Smet", F, "A", language="nl"),
    CastMember("olivier", "Olivier", "Piron", M, "A"),
    CastMember("fatou", "Fatou", "Diop", F, "C"),
    CastMember(
        "geert",
        "Geert",
        "Van Damme",
        M,
        "C",
        language="nl",
        note="permanent representative of a legal-person member",
    ),
    CastMember("camille", "Camille", "Renard", F, "B", roles=(STAFF,)),
    # Management team: heads of the directions; the first two share the delegated management.
    CastMember("isabelle", "Isabelle", "Moreau", F, "B", roles=(STAFF,)),
    CastMember("frederic", "Frédéric", "Collard", M, "B", roles=(STAFF,)),
    CastMember("laurent", "Laurent", "Simon", M, "B", roles=(STAFF,)),
    CastMember("veronique", "Véronique", "Hermans", F, "B", roles=(STAFF,)),
    CastMember("mathieu", "Mathieu", "Leroy", M, "B", roles=(STAFF,)),
    CastMember("stijn", "Stijn", "Maes", M, "B", language="nl", roles=(STAFF,)),
    CastMember("sarah", "Sarah", "Goossens", F, "B", language="nl", roles=(STAFF,)),
    # Works council, health & safety committee, ethics committee.
    CastMember("dimitri", "Dimitri", "Pauwels", M, "B", roles=(STAFF,)),
    CastMember("leila", "Leïla", "Kaddouri", F, "B", roles=(STAFF,)),
    CastMember("ahmed", "Ahmed", "Ziani", M, "B", roles=(STAFF,)),
    CastMember("ines", "Inès", "Lambert", F, "B", roles=(STAFF,)),
    CastMember("marie", "Marie", "Gilson", F, None, note="external ethics expert"),
    CastMember("joris", "Joris", "Verbeke", M, None, language="nl", note="external ethics expert"),
    CastMember("noemie", "Noémie", "Baert", F, "A"),
    CastMember("arnaud", "Arnaud", "Thiry", M, "A"),
    CastMember("lotte", "Lotte", "Wuyts", F, "A", language="nl"),
    CastMember("youssef", "Youssef", "Amrani", M, "A"),
    CastMember("chloe", "Chloé", "Delhaye", F, "A"),
    CastMember("david", "David", "Nguyen", M, "A"),
    CastMember("eva", "Eva", "Schmitz", F, "A", language="en"),
    CastMember("samuel", "Samuel", "Kabongo", M, "A"),
    # A member with no mandate: the plain member login.
    CastMember(
        "jonas",
        "Jonas",
        "Peeters",
        M,
        "A",
        language="nl",
        login=True,
        note="member with no mandate",
    ),
)

LOGINS = ("claire", "marc", "sofia", "jonas")

UNITS = (
    # code, name, kind, parent, head, address
    ("direction-generale", "Direction générale", "direction", None, "isabelle", ""),
    ("vie-cooperative", "Équipe vie coopérative", "team", "direction-generale", "claire", ""),
    ("finances", "Direction financière", "direction", None, "laurent", ""),
    (
        "ressources-humaines",
        "Direction des ressources humaines",
        "direction",
        None,
        "veronique",
        "",
    ),
    ("services-membres", "Direction des services aux membres", "direction", None, "mathieu", ""),
    ("operations", "Direction des opérations et de l'informatique", "direction", None, "stijn", ""),
    ("communication", "Direction de la communication", "direction", None, "sarah", ""),
    (
        "bureau-bruxelles",
        "Bureau de Bruxelles",
        "local_office",
        "services-membres",
        "camille",
        "Rue Coenraets 72, 1060 Saint-Gilles",
    ),
    (
        "bureau-charleroi",
        "Bureau de Charleroi",
        "local_office",
        "services-membres",
        "sofia",
        "Site de Monceau-Fontaine, rue de Monceau-Fontaine 42/1, 6031 Charleroi",
    ),
    (
        "bureau-liege",
        "Bureau de Liège",
        "local_office",
        "services-membres",
        None,
        "Rue de la Régence 21, 4000 Liège",
    ),
    (
        "kantoor-gent",
        "Kantoor Gent",
        "local_office",
        "services-membres",
        "thomas",
        "Dok Noord 4, 9000 Gent",
    ),
)

CATEGORIES = (
    (
        "A",
        "Utilisateurs et utilisatrices",
        "Members who use the cooperative's services for their own economic activity.",
    ),
    ("B", "Personnel permanent", "Permanent staff of the cooperative."),
    ("C", "Partenaires", "External partners, legal persons and entrepreneurs who choose C."),
)

LEGAL_MEMBERS = (
    ("Vélo Solidaire ASBL", "0456219803", "geert"),
    ("La Ferme du Chêne SC", "0667788976", "fatou"),
    ("Atelier Commun SRL", "0551122326", "noemie"),
)

FIRST_NAMES = (
    "Alice",
    "Antoine",
    "Aurélie",
    "Benoît",
    "Céline",
    "Cédric",
    "Charlotte",
    "Damien",
    "Delphine",
    "Elena",
    "Emma",
    "Fabien",
    "Florence",
    "Gilles",
    "Hélène",
    "Hugo",
    "Ilse",
    "Jan",
    "Jeroen",
    "Juliette",
    "Kevin",
    "Laura",
    "Lena",
    "Louis",
    "Manon",
    "Maxime",
    "Mila",
    "Nathalie",
    "Nicolas",
    "Pauline",
    "Quentin",
    "Rachid",
    "Robin",
    "Salomé",
    "Sander",
    "Sébastien",
    "Sien",
    "Simon",
    "Sophie",
    "Tom",
    "Valérie",
    "Victor",
    "Wim",
    "Zoé",
    "Amina",
    "Bilal",
    "Inge",
    "Koen",
)
LAST_NAMES = (
    "Adam",
    "Bastin",
    "Bertrand",
    "Bogaert",
    "Collin",
    "Cornet",
    "Daems",
    "Dubois",
    "Dupont",
    "Evrard",
    "François",
    "Gérard",
    "Goffin",
    "Hendrickx",
    "Jacobs",
    "Lambrechts",
    "Laurent",
    "Leclercq",
    "Lenaerts",
    "Martin",
    "Michel",
    "Mommens",
    "Noël",
    "Pirard",
    "Renson",
    "Smets",
    "Stevens",
    "Thomas",
    "Vandamme",
    "Vermeulen",
    "Willems",
    "Wauters",
    "Bouzid",
    "Mukendi",
    "Rossi",
    "Kowalski",
    "Garcia",
    "Öztürk",
)

EXTRA_MEMBERS = 160  # plain members beyond the named cast: ~200 members in all


class DemoAlreadyLoaded(Exception):
    pass


def load_demo() -> Organisation:
    """Create the demo cooperative; refuse if it exists (the demo is loaded once)."""
    if Organisation.objects.filter(code=DEMO_CODE).exists():
        raise DemoAlreadyLoaded(DEMO_CODE)
    rng = random.Random(SEED)
    with transaction.atomic():
        org = actions.create_organisation(
            None,
            code=DEMO_CODE,
            name="Mutualis SC — entreprise partagée",
            legal_form=Organisation.LegalForm.SCES,
            enterprise_number="0712.345.630",
            street="Rue Coenraets 72",
            postal_code="1060",
            city="Saint-Gilles",
            default_language="fr",
        )
        categories = {
            code: actions.add_member_category(
                None,
                organisation=org,
                code=code,
                name=name,
                description=description,
                position=position,
            )
            for position, (code, name, description) in enumerate(CATEGORIES)
        }
        people: dict[str, Person] = {}
        for cast in CAST:
            person = actions.add_person(
                None,
                organisation=org,
                first_name=cast.first_name,
                last_name=cast.last_name,
                email=_email(cast.first_name, cast.last_name),
                preferred_language=cast.language,
                gender=cast.gender,
            )
            people[cast.key] = person
            for role in cast.roles:
                actions.grant_role(None, person=person, kind=role)
            if cast.login:
                actions.create_account(None, person=person, password=DEMO_PASSWORD, verified=True)
        units: dict[str, Unit] = {}
        for code, name, kind, parent, head, address in UNITS:
            units[code] = actions.create_unit(
                None,
                organisation=org,
                code=code,
                name=name,
                kind=kind,
                parent=units[parent] if parent else None,
                head=people[head] if head else None,
                address=address,
            )
        _admit_members(org, rng, categories, people)
        # Later features add their part of the story: bodies and mandates, meetings…
        for path in settings.DEMO_LOADERS:
            import_string(path)(org, people)
    return org


def _email(first: str, last: str, suffix: str = "") -> str:
    decomposed = unicodedata.normalize("NFKD", f"{first}.{last}".lower().replace(" ", ""))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return f"{plain}{suffix}@example.org"


def _admission(rng: random.Random) -> datetime.date:
    return datetime.date(2017, 1, 1) + datetime.timedelta(days=rng.randrange(0, 7 * 365))


def _admit_members(
    org: Organisation,
    rng: random.Random,
    categories: dict[str, MemberCategory],
    people: dict[str, Person],
) -> None:
    admissions: list[tuple[datetime.date, dict[str, object]]] = []
    for cast in CAST:
        if cast.category:
            admissions.append(
                (
                    _admission(rng),
                    {"person": people[cast.key], "category": categories[cast.category]},
                )
            )
    for name, number, representative in LEGAL_MEMBERS:
        admissions.append(
            (
                _admission(rng),
                {
                    "legal_name": name,
                    "legal_enterprise_number": number,
                    "representative": people[representative],
                    "category": categories["C"],
                },
            )
        )
    used: set[tuple[str, str]] = set()
    for index in range(EXTRA_MEMBERS):
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if (first, last) not in used:
                used.add((first, last))
                break
        person = actions.add_person(
            None,
            organisation=org,
            first_name=first,
            last_name=last,
            email=_email(first, last, str(index)) if rng.random() < 0.9 else "",
            preferred_language=rng.choices(("fr", "nl", "en"), weights=(6, 3, 1))[0],
            gender=rng.choices(
                (F, M, Person.Gender.NON_BINARY, Person.Gender.NOT_DECLARED), weights=(48, 46, 2, 4)
            )[0],
        )
        category = rng.choices(("A", "B", "C"), weights=(92, 5, 3))[0]
        admissions.append((_admission(rng), {"person": person, "category": categories[category]}))
    # Numbers follow admission order, as in a real register.
    admissions.sort(key=lambda item: item[0])
    for admitted_on, fields in admissions:
        member = actions.admit_member(
            None,
            organisation=org,
            admission_date=admitted_on,
            **fields,  # type: ignore[arg-type]
        )
        # A few members have left over the years: the register keeps them and their numbers.
        if member.person and member.person.email.endswith("7@example.org"):
            actions.change_member_status(
                None,
                member=member,
                status=Member.Status.RESIGNED,
                on=min(admitted_on + datetime.timedelta(days=900), datetime.date(2025, 12, 31)),
            )
