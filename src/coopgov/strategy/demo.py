"""The strategy of the demo cooperative, as the seed article and its sequel tell it.

The 2021-2025 strategy (six axes, sixteen workstreams carried by the six directions) was
approved by the June 2021 general assembly, before the cooperative used coopgov. The directions
report on their workstreams every semester; their news of the second half of 2022 opens the
winter seminar of January 2023, where the board reviews the narrowed strategy derived from it
(three priorities) and draws an orientation. The board adopts the narrowed strategy in March
2023; it stays in force, followed semester after semester, while the draft 2030 strategy is open
for the board's review in November 2026.

Everything goes through the actions. The actions date what they record "now": the demo
back-dates, right after each call, the few timestamps that tell the story (when an update was
written, when a plan was drafted, when a review was concluded), as the meetings demo back-dates
its convocations.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils import translation

from coopgov.bodies.models import Body
from coopgov.core.models import Organisation, Person, Unit
from coopgov.dossiers.models import Action, Decision, Dossier
from coopgov.meetings.demo import at
from coopgov.meetings.models import Invitation, Meeting, Session
from coopgov.strategy import actions
from coopgov.strategy.actions import Report
from coopgov.strategy.models import (
    Objective,
    Plan,
    Review,
    Workstream,
)

D = datetime.date
OK = Workstream.Status.ON_TRACK
RISK = Workstream.Status.AT_RISK
LATE = Workstream.Status.LATE
DONE = Workstream.Status.DONE
PAUSE = Workstream.Status.PAUSED

# The narrowed strategy was drafted in mid-January 2023: what happened before is recorded on
# the 2021 plan, what happened after on its revision.
DERIVED_ON = D(2023, 1, 16)

PERIODS = (
    "2021-H2",
    "2022-H1",
    "2022-H2",
    "2023-H1",
    "2023-H2",
    "2024-H1",
    "2024-H2",
    "2025-H1",
    "2025-H2",
    "2026-H1",
)
FIRST_PLAN_PERIODS = PERIODS[:3]

# The directions in the order they write (a day apart), with their heads.
DIRECTIONS = (
    ("direction-generale", "isabelle"),
    ("finances", "laurent"),
    ("ressources-humaines", "veronique"),
    ("services-membres", "mathieu"),
    ("operations", "stijn"),
    ("communication", "sarah"),
)
HEADS = dict(DIRECTIONS)


class Step(NamedTuple):
    """Where a workstream stands at the end of a semester, as its direction reports it."""

    progress: int
    status: str
    comment: str = ""


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    baseline: str
    target: str
    target_on: datetime.date
    values: tuple[tuple[datetime.date, str], ...]
    higher_is_better: bool = True


@dataclass(frozen=True)
class Chantier:
    axis: int  # index in AXES (the narrowed plan keeps the first three)
    objective: int  # index among the axis's objectives
    title: str
    unit: str
    sponsor: str
    starts_on: datetime.date
    ends_on: datetime.date
    weight: int
    description: str
    milestones: tuple[tuple[str, datetime.date, datetime.date | None], ...]
    track: dict[str, Step]
    measure: Measure | None = None
    kept: bool = True  # kept in the narrowed strategy
    links: dict[str, str] = field(default_factory=dict)


AXES: tuple[tuple[str, str, int, tuple[tuple[str, int], ...]], ...] = (
    (
        "Sécuriser le cadre offert aux activités",
        "Un cadre contractuel, social et financier sûr pour chaque activité, quel que soit son métier.",
        3,
        (("Un cadre contractuel clair et sûr", 2), ("Des paiements fiables et rapides", 1)),
    ),
    (
        "Des services aux membres qui accompagnent dans la durée",
        "Des services différenciés selon les besoins, sans perdre la solidarité entre activités.",
        3,
        (("Un premier accueil repensé", 1), ("Un accompagnement dans la durée", 2)),
    ),
    (
        "La solidité économique de l'entreprise partagée",
        "Une contribution juste et lisible, des fonds propres qui protègent les activités.",
        2,
        (("Une contribution mutualisée juste et lisible", 2), ("Des fonds propres solides", 1)),
    ),
    (
        "Une vie coopérative vivante et une gouvernance partagée",
        "Les recommandations de Smart in Progress : des sociétaires qui participent, des instances qui dialoguent.",
        2,
        (("Des sociétaires qui participent", 1), ("Des instances qui dialoguent", 1)),
    ),
    (
        "Des conditions de travail soutenables pour les équipes",
        "Une charge de travail maîtrisée et des outils qui simplifient le travail.",
        2,
        (("Une charge de travail soutenable", 1), ("Des outils qui simplifient le travail", 1)),
    ),
    (
        "Une coopérative ouverte, en réseau en Europe",
        "Le réseau européen des coopératives sœurs et les partenariats de l'économie sociale.",
        1,
        (("Un réseau européen viable", 1), ("Des partenariats dans l'économie sociale", 1)),
    ),
)

CHANTIERS: tuple[Chantier, ...] = (
    Chantier(
        0,
        0,
        "Révision des conditions générales et du contrat d'activité",
        "direction-generale",
        "isabelle",
        D(2021, 9, 1),
        D(2023, 6, 30),
        2,
        "Réécrire les conditions générales et le contrat d'activité avec les conseillers, les juristes et des sociétaires.",
        (
            ("Projet de conditions générales soumis au conseil", D(2022, 3, 31), D(2022, 3, 8)),
            ("Avis du comité d'éthique sur le contrat d'activité", D(2022, 10, 31), D(2022, 12, 6)),
            (
                "Entrée en vigueur des nouvelles conditions générales",
                D(2023, 6, 30),
                D(2023, 6, 30),
            ),
        ),
        {
            "2021-H2": Step(15, OK),
            "2022-H1": Step(
                40, OK, "Projet soumis au conseil en mars, consultation des sociétaires en cours."
            ),
            "2022-H2": Step(
                75,
                OK,
                "L'avis du comité d'éthique est arrivé en décembre, cinq semaines après l'échéance.",
            ),
            "2023-H1": Step(
                100, DONE, "Les nouvelles conditions sont en vigueur depuis le 30 juin."
            ),
        },
    ),
    Chantier(
        0,
        0,
        "Ouverture encadrée aux métiers de la construction",
        "services-membres",
        "mathieu",
        D(2022, 1, 1),
        D(2025, 12, 31),
        1,
        "Accueillir des activités de la construction avec les assurances et l'accompagnement qu'elles demandent.",
        (
            ("Cartographie des métiers et de leurs risques", D(2022, 6, 30), D(2022, 6, 20)),
            ("Accord avec l'assureur", D(2023, 12, 31), D(2024, 3, 15)),
            ("Premières activités de la construction accueillies", D(2025, 6, 30), None),
        ),
        {
            "2022-H1": Step(10, OK),
            "2022-H2": Step(20, RISK, "Les assurances spécifiques coûtent plus cher que prévu."),
            "2023-H1": Step(30, OK),
            "2023-H2": Step(35, RISK, "L'accord avec l'assureur n'est pas signé."),
            "2024-H1": Step(
                40, RISK, "Accord signé en mars ; l'accompagnement reste à construire."
            ),
            "2024-H2": Step(40, PAUSE, "Pause décidée par le conseil en septembre."),
            "2025-H1": Step(40, PAUSE),
            "2025-H2": Step(40, PAUSE, "La pause sera réexaminée dans la stratégie horizon 2030."),
            "2026-H1": Step(40, PAUSE),
        },
    ),
    Chantier(
        0,
        1,
        "Paiement garanti à sept jours ouvrables",
        "finances",
        "laurent",
        D(2021, 7, 1),
        D(2024, 12, 31),
        2,
        "Payer chaque salaire dans les sept jours ouvrables, même quand le client n'a pas encore payé.",
        (
            ("Rapprochement bancaire quotidien", D(2022, 6, 30), D(2022, 6, 15)),
            ("Paiement par lots deux fois par jour", D(2023, 12, 31), D(2024, 2, 20)),
            ("98 % des salaires payés dans les sept jours", D(2024, 12, 31), D(2024, 12, 31)),
        ),
        {
            "2021-H2": Step(20, OK),
            "2022-H1": Step(35, OK),
            "2022-H2": Step(50, OK),
            "2023-H1": Step(60, OK),
            "2023-H2": Step(
                70, RISK, "Le nouveau système de virements de la banque a allongé les délais."
            ),
            "2024-H1": Step(85, OK),
            "2024-H2": Step(100, DONE, "Objectif de 98 % atteint en décembre."),
        },
        Measure(
            "Salaires payés dans les sept jours ouvrables",
            "%",
            "88",
            "98",
            D(2024, 12, 31),
            (
                (D(2021, 12, 31), "89"),
                (D(2022, 6, 30), "91"),
                (D(2022, 12, 31), "93"),
                (D(2023, 6, 30), "94"),
                (D(2023, 12, 31), "92.5"),
                (D(2024, 6, 30), "96"),
                (D(2024, 12, 31), "98.2"),
            ),
        ),
    ),
    Chantier(
        0,
        1,
        "Nouvelle plateforme de facturation et de paiement",
        "operations",
        "frederic",
        D(2021, 10, 1),
        D(2025, 6, 30),
        3,
        "Remplacer l'outil de facturation par une plateforme reliée au paiement des salaires.",
        (
            ("Choix du prestataire", D(2022, 3, 31), D(2022, 9, 20)),
            ("Pilote avec cent activités", D(2023, 12, 31), D(2024, 5, 14)),
            ("Migration de toutes les activités", D(2025, 6, 30), None),
        ),
        {
            "2021-H2": Step(5, OK),
            "2022-H1": Step(15, RISK, "Deux offres ont dû être complétées."),
            "2022-H2": Step(25, RISK, "Prestataire choisi avec six mois de retard."),
            "2023-H1": Step(35, OK),
            "2023-H2": Step(
                45, RISK, "Le pilote est reporté au printemps ; la reprise des données est lourde."
            ),
            "2024-H1": Step(55, LATE, "Pilote lancé le 14 mai avec cent activités."),
            "2024-H2": Step(65, LATE),
            "2025-H1": Step(75, LATE, "Les activités collectives demandent des adaptations."),
            "2025-H2": Step(85, LATE, "Fin de la migration visée pour l'automne 2026."),
            "2026-H1": Step(90, LATE),
        },
        Measure(
            "Activités facturant sur la nouvelle plateforme",
            "%",
            "0",
            "100",
            D(2025, 6, 30),
            (
                (D(2024, 6, 30), "8"),
                (D(2024, 12, 31), "30"),
                (D(2025, 6, 30), "55"),
                (D(2025, 12, 31), "78"),
                (D(2026, 6, 30), "86"),
            ),
        ),
    ),
    Chantier(
        1,
        0,
        "Refonte du premier accueil (test à Charleroi et Liège)",
        "services-membres",
        "mathieu",
        D(2022, 1, 1),
        D(2023, 12, 31),
        1,
        "Répondre plus vite aux membres : un test de six mois à Charleroi et à Liège, puis tous les bureaux.",
        (
            ("Début du test à Charleroi et Liège", D(2022, 1, 15), D(2022, 1, 17)),
            ("Bilan du test de six mois", D(2022, 9, 30), D(2022, 10, 4)),
            ("Nouveau premier accueil dans tous les bureaux", D(2023, 12, 31), D(2023, 11, 20)),
        ),
        {
            "2022-H1": Step(30, OK),
            "2022-H2": Step(60, OK, "Bilan positif ; généralisation en 2023."),
            "2023-H1": Step(80, OK),
            "2023-H2": Step(100, DONE, "Tous les bureaux depuis le 20 novembre."),
        },
        Measure(
            "Délai moyen de première réponse",
            "jours",
            "9",
            "3",
            D(2023, 12, 31),
            (
                (D(2021, 12, 31), "9"),
                (D(2022, 6, 30), "6.5"),
                (D(2022, 12, 31), "4.8"),
                (D(2023, 6, 30), "3.9"),
                (D(2023, 12, 31), "3.1"),
            ),
            higher_is_better=False,
        ),
    ),
    Chantier(
        1,
        1,
        "Un conseiller attitré pour les activités installées",
        "services-membres",
        "frederic",
        D(2021, 9, 1),
        D(2025, 6, 30),
        3,
        "Chaque activité installée a un conseiller qui la connaît et la suit dans la durée.",
        (
            ("Profil et rôle du conseiller attitré", D(2022, 3, 31), D(2022, 3, 29)),
            ("Cent activités suivies", D(2023, 12, 31), D(2023, 10, 10)),
            ("Quatre cents activités suivies", D(2025, 6, 30), D(2026, 5, 28)),
        ),
        {
            "2021-H2": Step(5, OK),
            "2022-H1": Step(10, OK),
            "2022-H2": Step(20, OK),
            "2023-H1": Step(30, OK),
            "2023-H2": Step(45, OK),
            "2024-H1": Step(55, RISK, "Les recrutements de conseillers sont plus lents que prévu."),
            "2024-H2": Step(65, RISK),
            "2025-H1": Step(80, LATE, "320 activités suivies, pour 400 visées en juin."),
            "2025-H2": Step(92, LATE),
            "2026-H1": Step(100, DONE, "Cap des 400 activités franchi fin mai."),
        },
        Measure(
            "Activités suivies par un conseiller attitré",
            "activités",
            "0",
            "400",
            D(2025, 6, 30),
            (
                (D(2022, 6, 30), "25"),
                (D(2022, 12, 31), "45"),
                (D(2023, 6, 30), "80"),
                (D(2023, 12, 31), "135"),
                (D(2024, 6, 30), "190"),
                (D(2024, 12, 31), "260"),
                (D(2025, 6, 30), "320"),
                (D(2025, 12, 31), "372"),
                (D(2026, 6, 30), "405"),
            ),
        ),
    ),
    Chantier(
        1,
        1,
        "Plan de formation des conseillers",
        "ressources-humaines",
        "veronique",
        D(2022, 3, 1),
        D(2025, 12, 31),
        1,
        "Un référentiel de compétences et des modules de formation pour accompagner les activités dans la durée.",
        (
            ("Référentiel de compétences des conseillers", D(2022, 12, 31), D(2023, 1, 16)),
            ("Plan de formation présenté au conseil d'entreprise", D(2023, 9, 30), D(2023, 9, 26)),
            ("Tous les conseillers formés aux quatre déclinaisons", D(2025, 12, 31), None),
        ),
        {
            "2022-H1": Step(10, OK),
            "2022-H2": Step(
                20, RISK, "Le référentiel sera finalisé en janvier, avec deux semaines de retard."
            ),
            "2023-H1": Step(
                35, OK, "Condition posée par le conseil d'entreprise à son avis sur l'offre."
            ),
            "2023-H2": Step(45, OK),
            "2024-H1": Step(55, OK),
            "2024-H2": Step(65, OK),
            "2025-H1": Step(75, OK),
            "2025-H2": Step(85, RISK, "Le dernier quart des conseillers attend des remplaçants."),
            "2026-H1": Step(90, RISK),
        },
        links={"action": "Plan de formation des conseillers"},
    ),
    Chantier(
        2,
        0,
        "Révision de la contribution mutualisée",
        "finances",
        "frederic",
        D(2022, 1, 1),
        D(2025, 6, 30),
        2,
        "Une contribution qui reflète les services rendus à chaque type d'activité, expliquée aux membres.",
        (
            ("Étude des contributions par type d'activité", D(2022, 9, 30), D(2022, 9, 27)),
            ("Grille de contribution par déclinaison de l'offre", D(2024, 6, 30), D(2024, 11, 19)),
            ("Nouvelle contribution présentée à l'assemblée générale", D(2025, 6, 17), None),
        ),
        {
            "2022-H1": Step(10, OK),
            "2022-H2": Step(25, OK),
            "2023-H1": Step(35, OK),
            "2023-H2": Step(45, OK),
            "2024-H1": Step(55, RISK, "La grille attend les chiffres du test des déclinaisons."),
            "2024-H2": Step(60, RISK),
            "2025-H1": Step(
                70, LATE, "Effet trop fort sur les petites activités : deux scénarios demandés."
            ),
            "2025-H2": Step(80, LATE),
            "2026-H1": Step(85, LATE, "Présentation à l'assemblée générale de juin 2027."),
        },
        links={"dossier": "Refonte de l'offre de services"},
    ),
    Chantier(
        2,
        1,
        "Renforcement des fonds propres et du fonds de garantie",
        "finances",
        "laurent",
        D(2021, 7, 1),
        D(2025, 12, 31),
        1,
        "Porter les fonds propres à trois millions d'euros et doter un fonds de garantie des paiements.",
        (
            ("Politique de fonds propres adoptée", D(2022, 3, 31), D(2022, 3, 15)),
            ("Fonds de garantie doté de 500 000 €", D(2024, 12, 31), D(2024, 12, 17)),
            ("Fonds propres de trois millions d'euros", D(2025, 12, 31), D(2025, 12, 31)),
        ),
        {
            "2021-H2": Step(15, OK),
            "2022-H1": Step(25, OK),
            "2022-H2": Step(35, OK),
            "2023-H1": Step(45, OK),
            "2023-H2": Step(55, OK),
            "2024-H1": Step(65, OK),
            "2024-H2": Step(80, OK),
            "2025-H1": Step(90, OK),
            "2025-H2": Step(100, DONE, "3,04 millions d'euros au 31 décembre."),
        },
        Measure(
            "Fonds propres",
            "k€",
            "2100",
            "3000",
            D(2025, 12, 31),
            (
                (D(2021, 12, 31), "2180"),
                (D(2022, 6, 30), "2260"),
                (D(2022, 12, 31), "2310"),
                (D(2023, 6, 30), "2420"),
                (D(2023, 12, 31), "2530"),
                (D(2024, 6, 30), "2610"),
                (D(2024, 12, 31), "2760"),
                (D(2025, 6, 30), "2890"),
                (D(2025, 12, 31), "3040"),
            ),
        ),
        links={"decision": "Budget 2023", "action": "Suivi trimestriel de l'exécution du budget"},
    ),
    Chantier(
        3,
        0,
        "Assemblées locales et école de la coopération",
        "direction-generale",
        "frederic",
        D(2021, 9, 1),
        D(2025, 12, 31),
        1,
        "Des assemblées de membres dans les bureaux et un premier cycle de l'école de la coopération.",
        (
            ("Première assemblée locale, à Liège", D(2022, 3, 31), D(2022, 3, 24)),
            ("École de la coopération : premier cycle", D(2022, 11, 30), D(2023, 1, 10)),
        ),
        {"2021-H2": Step(10, OK), "2022-H1": Step(25, OK), "2022-H2": Step(35, OK)},
        Measure(
            "Sociétaires présents ou représentés à l'assemblée générale",
            "sociétaires",
            "310",
            "600",
            D(2025, 6, 30),
            ((D(2021, 6, 15), "340"), (D(2022, 6, 21), "395")),
        ),
        kept=False,
    ),
    Chantier(
        3,
        0,
        "Kronik, le média des sociétaires",
        "communication",
        "sarah",
        D(2021, 9, 1),
        D(2025, 12, 31),
        1,
        "Une nouvelle formule de Kronik, en français et en néerlandais.",
        (
            ("Nouvelle formule de Kronik", D(2022, 2, 28), D(2022, 2, 21)),
            ("Édition en néerlandais", D(2022, 9, 30), D(2022, 11, 15)),
        ),
        {"2021-H2": Step(20, OK), "2022-H1": Step(35, OK), "2022-H2": Step(50, OK)},
        Measure(
            "Lecteurs mensuels de Kronik",
            "lecteurs",
            "5200",
            "9000",
            D(2025, 12, 31),
            ((D(2021, 12, 31), "5600"), (D(2022, 6, 30), "6300"), (D(2022, 12, 31), "7100")),
        ),
        kept=False,
    ),
    Chantier(
        3,
        1,
        "Dialogue entre les instances",
        "direction-generale",
        "isabelle",
        D(2022, 1, 1),
        D(2024, 6, 30),
        1,
        "Le conseil, le conseil d'entreprise, le CPPT et le comité d'éthique apprennent à travailler ensemble.",
        (
            ("Charte des relations entre instances", D(2022, 12, 31), None),
            ("Rencontre annuelle des instances", D(2023, 1, 25), None),
        ),
        {
            "2022-H1": Step(20, OK),
            "2022-H2": Step(40, RISK, "La charte attendra la rencontre de janvier."),
        },
        kept=False,
    ),
    Chantier(
        4,
        0,
        "Suivi de la charge de travail des conseillers",
        "ressources-humaines",
        "veronique",
        D(2021, 9, 1),
        D(2024, 12, 31),
        1,
        "Un baromètre annuel de la charge de travail, suivi avec le CPPT.",
        (("Baromètre de la charge de travail", D(2022, 3, 31), D(2022, 5, 12)),),
        {
            "2021-H2": Step(10, OK),
            "2022-H1": Step(25, OK),
            "2022-H2": Step(35, RISK, "Deux postes restent à pourvoir à Liège."),
        },
        Measure(
            "Dossiers actifs par conseiller",
            "dossiers",
            "180",
            "130",
            D(2024, 12, 31),
            ((D(2021, 12, 31), "178"), (D(2022, 6, 30), "171"), (D(2022, 12, 31), "174")),
            higher_is_better=False,
        ),
        kept=False,
    ),
    Chantier(
        4,
        1,
        "Nouvel outil de gestion des dossiers membres",
        "operations",
        "stijn",
        D(2022, 1, 1),
        D(2024, 12, 31),
        1,
        "Remplacer l'outil de gestion des dossiers membres, à bout de souffle lors des pics d'activité.",
        (("Cahier des charges", D(2022, 6, 30), D(2022, 7, 14)),),
        {
            "2022-H1": Step(10, OK),
            "2022-H2": Step(15, RISK, "Les mêmes personnes travaillent sur la facturation."),
        },
        kept=False,
    ),
    Chantier(
        5,
        0,
        "Viabilité du réseau européen des coopératives sœurs",
        "direction-generale",
        "frederic",
        D(2021, 9, 1),
        D(2025, 12, 31),
        1,
        "Clarifier ce que le réseau européen apporte à chacun et à quel coût.",
        (("Étude de viabilité du réseau", D(2022, 12, 31), None),),
        {
            "2021-H2": Step(15, OK),
            "2022-H1": Step(25, RISK),
            "2022-H2": Step(25, PAUSE, "En pause dans l'attente d'une étude de viabilité."),
        },
        kept=False,
    ),
    Chantier(
        5,
        1,
        "Partenariats avec les réseaux de l'économie sociale",
        "communication",
        "sarah",
        D(2021, 9, 1),
        D(2025, 12, 31),
        1,
        "Des conventions avec les fédérations et des rencontres avec les coopératives de l'économie sociale.",
        (("Convention avec une fédération de l'économie sociale", D(2022, 6, 30), D(2022, 6, 2)),),
        {"2021-H2": Step(20, OK), "2022-H1": Step(30, OK), "2022-H2": Step(45, OK)},
        kept=False,
    ),
)

# What the narrowed strategy adds: a new objective and two workstreams born of the seminar.
NEW_OBJECTIVE = (1, "Une offre comprise par les sociétaires", 1)
NEW_CHANTIERS: tuple[Chantier, ...] = (
    Chantier(
        1,
        1,
        "Tester les quatre déclinaisons de l'offre",
        "services-membres",
        "mathieu",
        D(2023, 2, 1),
        D(2025, 12, 31),
        3,
        "Tester avec des activités volontaires les quatre déclinaisons travaillées au séminaire de Charleroi.",
        (
            ("Adoption des déclinaisons par le conseil", D(2023, 5, 31), D(2023, 5, 11)),
            ("Quarante activités volontaires engagées", D(2024, 3, 31), D(2024, 6, 18)),
            ("Bilan du test présenté au conseil", D(2025, 10, 31), None),
        ),
        {
            "2023-H1": Step(10, OK),
            "2023-H2": Step(25, OK),
            "2024-H1": Step(40, RISK, "Quarante activités engagées, avec trois mois de retard."),
            "2024-H2": Step(
                50, RISK, "La déclinaison « collectif » demande plus d'accompagnement."
            ),
            "2025-H1": Step(60, RISK),
            "2025-H2": Step(70, LATE, "Le conseil a prolongé le test jusqu'en mars 2027."),
            "2026-H1": Step(78, LATE),
        },
        Measure(
            "Activités volontaires dans le test",
            "activités",
            "0",
            "40",
            D(2024, 3, 31),
            (
                (D(2023, 6, 30), "4"),
                (D(2023, 12, 31), "18"),
                (D(2024, 6, 30), "41"),
                (D(2024, 12, 31), "42"),
                (D(2025, 6, 30), "42"),
            ),
        ),
        links={
            "dossier": "Refonte de l'offre de services",
            "decision": "Adoption des quatre déclinaisons de l'offre",
            "action": "Tester les quatre déclinaisons avec quarante activités",
        },
    ),
    Chantier(
        1,
        2,
        "Raconter la stratégie et l'offre aux sociétaires",
        "communication",
        "sarah",
        D(2023, 3, 15),
        D(2025, 12, 31),
        1,
        "Kronik, les assemblées locales et le site expliquent la stratégie resserrée et les déclinaisons de l'offre.",
        (
            ("Dossier de Kronik sur la stratégie resserrée", D(2023, 6, 30), D(2023, 6, 22)),
            ("Déclinaisons présentées aux assemblées locales", D(2024, 6, 30), D(2024, 6, 11)),
        ),
        {
            "2023-H1": Step(20, OK),
            "2023-H2": Step(45, OK),
            "2024-H1": Step(60, OK),
            "2024-H2": Step(75, OK),
            "2025-H1": Step(85, OK),
            "2025-H2": Step(
                100, DONE, "Numéro spécial de Kronik sur le bilan de la stratégie 2025."
            ),
        },
        links={
            "decision": "Adoption de la stratégie 2025 resserrée",
            "action": "Raconter la stratégie aux sociétaires dans Kronik",
        },
    ),
)

# Each direction's news, semester by semester (headline, news), in the order of PERIODS.
NEWS: dict[str, tuple[tuple[str, str], ...]] = {
    "direction-generale": (
        (
            "Une stratégie qui se met en route",
            "La stratégie 2021-2025 approuvée par l'assemblée générale de juin a été présentée aux équipes de chaque bureau en septembre et en octobre. Le chantier des conditions générales a démarré avec un groupe de travail réunissant conseillers, juristes et sociétaires. Les premières rencontres avec les coopératives sœurs du réseau européen ont eu lieu à distance. Une première assemblée locale de membres se prépare à Liège pour le printemps.",
        ),
        (
            "Premières assemblées locales, nouvelles conditions générales en projet",
            "La première assemblée locale de membres s'est tenue à Liège en mars, avec une soixantaine de participants. Le projet de conditions générales a été soumis au conseil début mars et fait l'objet d'une consultation des sociétaires. Une rencontre de toutes les instances est prévue au séminaire de janvier 2023. Le chantier européen avance lentement, faute de moyens dédiés.",
        ),
        (
            "Vers une stratégie resserrée",
            "Le comité d'éthique a rendu en décembre son avis sur le contrat d'activité, avec un peu de retard sur le calendrier. Isabelle Moreau a pris ses fonctions d'administratrice déléguée le 1er décembre. L'équipe de direction propose au conseil de resserrer la stratégie autour de trois priorités à voir aboutir d'ici 2025 : le séminaire de janvier la mettra à l'épreuve. Le chantier du réseau européen est en pause, dans l'attente d'une étude de viabilité.",
        ),
        (
            "La stratégie resserrée adoptée, les nouvelles conditions générales en vigueur",
            "Le conseil a adopté en mars la stratégie 2025 resserrée et ses trois priorités. Les nouvelles conditions générales et le contrat d'activité sont entrés en vigueur le 30 juin, comme prévu. La synthèse du séminaire de Charleroi a été envoyée à toutes les instances. La direction générale accompagne désormais surtout les chantiers des autres directions.",
        ),
        (
            "Suivre la stratégie au plus près du terrain",
            "Le suivi des chantiers est présenté au conseil chaque mois de septembre et dans le tour des directions des séminaires. Un tableau de bord commun aux six directions est en place depuis octobre. Les bureaux de Bruxelles, Charleroi, Liège et Gent ont chacun désigné un référent stratégie. Les premières remontées montrent une forte attente des membres sur la lisibilité de l'offre.",
        ),
        (
            "Une administration déléguée à deux",
            "Frédéric Collard a rejoint Isabelle Moreau à l'administration déléguée le 1er mars. La répartition des chantiers entre les deux administrateurs délégués a été présentée au conseil en mars. Le conseil d'entreprise a été informé au printemps des avancées de la refonte de l'offre. La préparation de la stratégie horizon 2030 commencera en 2025.",
        ),
        (
            "Des arbitrages assumés",
            "Le conseil a décidé en septembre une pause dans l'intégration de nouveaux métiers de la construction, le temps de sécuriser les assurances et l'accompagnement. La plateforme de facturation et la contribution prennent du retard. L'équipe de direction propose de prolonger ces chantiers plutôt que d'en réduire l'ambition. La réflexion sur la restructuration juridique et fiscale de Mutualis en Belgique a démarré.",
        ),
        (
            "Préparer l'horizon 2030",
            "L'assemblée générale de juin a renouvelé la moitié du conseil d'administration. Le conseil a lancé la préparation de la stratégie horizon 2030 par un premier atelier en mai. Le bilan de la vie coopérative demandé par le conseil est en cours. La viabilité du réseau européen sera réexaminée dans le cadre de la nouvelle stratégie.",
        ),
        (
            "La stratégie 2025 arrive à son terme",
            "La plupart des chantiers de la stratégie resserrée sont achevés ou dans leur dernière ligne droite. Le conseil a décidé de la garder en vigueur jusqu'à l'adoption de la stratégie horizon 2030. Cinq chantiers restent ouverts au-delà de leur échéance et font l'objet d'un suivi rapproché. Un premier projet d'axes pour 2030 sera discuté par le conseil au printemps.",
        ),
        (
            "La stratégie horizon 2030 prend forme",
            "Les axes de la stratégie horizon 2030 ont été débattus au printemps avec le conseil, le conseil d'entreprise et le comité d'éthique. Un projet sera soumis à l'avis du conseil d'administration à l'automne. Les chantiers encore ouverts de la stratégie 2025 seront repris dans la nouvelle stratégie ou clôturés. La restructuration juridique et fiscale fait l'objet d'une étude avec des conseils extérieurs.",
        ),
    ),
    "finances": (
        (
            "Paiements et fonds propres : premiers effets",
            "Le rapprochement bancaire est désormais quotidien pour la moitié des comptes. 89 % des salaires ont été payés dans les sept jours ouvrables au dernier trimestre, contre 88 % un an plus tôt. Les fonds propres atteignent 2,18 millions d'euros à la clôture. Une politique de fonds propres sera soumise au conseil au premier trimestre.",
        ),
        (
            "Une politique de fonds propres adoptée",
            "Le conseil a adopté en mars la politique de fonds propres et le principe d'un fonds de garantie. Le rapprochement bancaire quotidien couvre maintenant tous les comptes. L'étude des contributions par type d'activité a commencé sur un échantillon de trois cents activités. Le taux de paiement dans les sept jours progresse à 91 %.",
        ),
        (
            "Budget 2023 adopté",
            "Le conseil a adopté le budget 2023 en novembre. L'étude des contributions montre de fortes différences de coût entre les activités occasionnelles et les activités installées. 93 % des salaires ont été payés dans les sept jours au second semestre. Les fonds propres s'établissent à 2,31 millions d'euros.",
        ),
        (
            "Premier suivi trimestriel du budget",
            "Le suivi trimestriel de l'exécution du budget 2023 est présenté au conseil depuis avril. Le chantier de la contribution s'appuie désormais sur les quatre déclinaisons de l'offre adoptées en mai. Le taux de paiement dans les sept jours atteint 94 %. Les comptes 2022 ont été approuvés par l'assemblée générale de juin.",
        ),
        (
            "Des paiements ralentis par les délais bancaires",
            "Le passage de notre banque à un nouveau système de virements a allongé les délais en octobre et en novembre. Le taux de paiement dans les sept jours est retombé à 92,5 % sur le semestre. Le paiement par lots deux fois par jour, prévu fin décembre, est reporté à février. Le budget 2024 a été adopté en novembre.",
        ),
        (
            "Retour au-dessus de 95 %",
            "Le paiement par lots deux fois par jour fonctionne depuis le 20 février. 96 % des salaires ont été payés dans les sept jours au premier semestre. La grille de contribution par déclinaison prend plus de temps que prévu : le test avec les activités volontaires doit d'abord livrer ses chiffres. Les fonds propres dépassent 2,6 millions d'euros.",
        ),
        (
            "Objectif des sept jours atteint",
            "L'objectif de 98 % des salaires payés dans les sept jours ouvrables est atteint en décembre : le chantier est clôturé. Le fonds de garantie est doté de 500 000 euros depuis le 17 décembre. La grille de contribution par déclinaison a été présentée au conseil en novembre et doit encore être testée. Le budget 2025 a été adopté.",
        ),
        (
            "La contribution à l'épreuve du terrain",
            "La nouvelle contribution n'a pas pu être présentée à l'assemblée générale de juin : les simulations montrent un effet trop fort sur les petites activités. Le conseil a demandé deux scénarios supplémentaires pour l'automne. Les fonds propres atteignent 2,89 millions d'euros. Les comptes 2024 ont été approuvés par l'assemblée générale.",
        ),
        (
            "Fonds propres : objectif dépassé",
            "Les fonds propres atteignent 3,04 millions d'euros à la fin de l'année : l'objectif de la stratégie est dépassé et le chantier est clôturé. Les deux scénarios de contribution ont été discutés au conseil en novembre. Une solution de transition sera proposée aux petites activités. Le budget 2026 a été adopté.",
        ),
        (
            "La nouvelle contribution reportée à 2027",
            "Le conseil a choisi de présenter la nouvelle contribution à l'assemblée générale de juin 2027, avec une période de transition. Les simulations sont partagées avec le conseil d'entreprise et le comité d'éthique. Les comptes 2025 ont été approuvés en juin. L'étude de la restructuration juridique et fiscale mobilise une partie de l'équipe.",
        ),
    ),
    "ressources-humaines": (
        (
            "Mesurer la charge de travail",
            "Un groupe de travail avec des conseillers des quatre bureaux prépare un baromètre de la charge de travail. Le nombre moyen de dossiers actifs par conseiller reste élevé, autour de 178. Trois conseillers ont été recrutés à Bruxelles et à Gent. Le CPPT est associé au baromètre dès sa conception.",
        ),
        (
            "Un premier baromètre de la charge de travail",
            "Le baromètre de la charge de travail a été publié en mai, avec six semaines de retard. Il confirme une surcharge dans les bureaux de Bruxelles et de Liège. Le chantier de formation des conseillers a démarré par l'écriture d'un référentiel de compétences. Le CPPT a rendu un avis favorable sur le plan d'action qui en découle.",
        ),
        (
            "Une charge qui ne baisse pas encore",
            "La charge moyenne est remontée à 174 dossiers actifs par conseiller au second semestre, avec l'arrivée de nombreuses activités. Deux postes de conseiller restent à pourvoir à Liège. Le référentiel de compétences sera finalisé en janvier. Nous proposerons au séminaire de lier la formation et l'accompagnement dans la durée.",
        ),
        (
            "Former les conseillers aux quatre déclinaisons",
            "Le référentiel de compétences des conseillers est finalisé depuis la mi-janvier. Le conseil d'entreprise a conditionné son avis favorable sur la refonte de l'offre à un plan de formation des conseillers : ce plan devient la priorité de la direction. Les deux postes de Liège sont pourvus. Une première session de formation a réuni vingt conseillers en juin.",
        ),
        (
            "Le plan de formation présenté au conseil d'entreprise",
            "Le plan de formation des conseillers a été présenté au conseil d'entreprise le 26 septembre. Quarante conseillers ont suivi le premier module, consacré aux déclinaisons de l'offre. Les premiers retours montrent un besoin d'outils pratiques plus que de formation théorique. Le suivi de la charge de travail continue avec le CPPT.",
        ),
        (
            "Un deuxième module de formation",
            "Le deuxième module, consacré à l'engagement réciproque avec les activités, a démarré en avril. Soixante pour cent des conseillers ont désormais suivi au moins un module. Le baromètre annuel montre une charge stabilisée. Les élections sociales de mai ont renouvelé le conseil d'entreprise et le CPPT.",
        ),
        (
            "Nouveaux élus, même cap",
            "Le nouveau conseil d'entreprise a été informé du plan de formation en septembre. Le troisième module, sur l'accompagnement des collectifs, est en préparation. La formation des nouveaux conseillers fait désormais partie de leur accueil. La rotation du personnel a baissé par rapport à 2023.",
        ),
        (
            "Trois quarts des conseillers formés",
            "Trois quarts des conseillers ont suivi les trois modules. Le troisième module a été testé à Charleroi et à Gent avant d'être généralisé. Le CPPT a demandé un point sur la charge de travail liée au test des déclinaisons. Un plan diversité est en réflexion.",
        ),
        (
            "Formation : le dernier quart tarde",
            "Le dernier quart des conseillers n'a pas encore pu suivre les modules, faute de remplaçants pendant les sessions. L'échéance de fin 2025 n'est pas tenue ; nous visons l'été 2026. Les conseillers formés disent se sentir plus à l'aise pour expliquer l'offre. Le plan diversité sera présenté au CPPT en 2026.",
        ),
        (
            "Plan de formation : dernière ligne droite",
            "Quatre-vingt-dix pour cent des conseillers ont suivi les trois modules. Les derniers seront formés d'ici la fin de l'année, au-delà de l'échéance de septembre 2026 fixée par le conseil. Le plan diversité se prépare avec le CPPT. Un nouveau baromètre de la charge de travail sera mené à l'automne.",
        ),
    ),
    "services-membres": (
        (
            "Le conseiller attitré se dessine",
            "Le rôle du conseiller attitré des activités installées se définit avec les bureaux. Le test du nouveau premier accueil à Charleroi et à Liège démarrera en janvier. Le délai moyen de première réponse aux membres reste de neuf jours. Les premières demandes d'activités de la construction arrivent dans les bureaux.",
        ),
        (
            "Un premier accueil plus rapide à Charleroi et à Liège",
            "Le test du nouveau premier accueil a démarré le 17 janvier à Charleroi et à Liège. Le délai moyen de première réponse est passé de neuf à six jours et demi dans les bureaux pilotes. Vingt-cinq activités sont suivies par un conseiller attitré. La cartographie des métiers de la construction et de leurs risques est terminée.",
        ),
        (
            "Le premier accueil convainc",
            "Le bilan du test de six mois, présenté début octobre, est positif : le délai de première réponse descend sous les cinq jours. La généralisation à tous les bureaux est prévue pour 2023. Quarante-cinq activités sont suivies par un conseiller attitré. L'ouverture aux métiers de la construction bute sur le coût des assurances spécifiques.",
        ),
        (
            "Quatre déclinaisons de l'offre adoptées",
            "Le conseil a adopté en mai les quatre déclinaisons de l'offre comme hypothèses de travail, après l'avis favorable du conseil d'entreprise. Le test avec des activités volontaires a commencé. Le nouveau premier accueil est déployé à Bruxelles ; Gent suivra à l'automne. Quatre-vingts activités ont un conseiller attitré.",
        ),
        (
            "Le premier accueil dans tous les bureaux",
            "Le nouveau premier accueil fonctionne dans tous les bureaux depuis le 20 novembre ; le délai moyen de première réponse est de trois jours. Dix-huit activités volontaires testent les déclinaisons de l'offre. Le cap des cent activités suivies par un conseiller attitré a été franchi en octobre. L'accord avec l'assureur pour les métiers de la construction n'est pas encore signé.",
        ),
        (
            "Quarante activités dans le test",
            "Le test des déclinaisons compte quarante et une activités volontaires depuis juin, avec trois mois de retard. L'accord avec l'assureur pour les métiers de la construction a été signé en mars. Les recrutements de conseillers attitrés sont plus lents que prévu : 190 activités sont suivies. Les premiers enseignements du test portent sur l'engagement réciproque.",
        ),
        (
            "Pause sur les métiers de la construction",
            "Le conseil a décidé en septembre une pause dans l'intégration de nouveaux métiers de la construction. Le test montre que la déclinaison « collectif » demande plus d'accompagnement que prévu. 260 activités sont suivies par un conseiller attitré. Nous proposons de prolonger le test au-delà de 2025.",
        ),
        (
            "Le conseiller attitré en retard sur l'objectif",
            "320 activités sont suivies par un conseiller attitré, loin des 400 visées pour juin. Le test des déclinaisons se poursuit avec quarante-deux activités. La pause sur les métiers de la construction est maintenue. Un bilan intermédiaire du test a été partagé avec le conseil d'entreprise.",
        ),
        (
            "Le bilan du test reporté",
            "Le bilan du test des déclinaisons, attendu pour octobre, est reporté : le conseil a demandé de poursuivre le test jusqu'en mars 2027. 372 activités sont suivies par un conseiller attitré. Les membres testeurs saluent la clarté des engagements réciproques. La pause sur la construction sera réexaminée dans la stratégie horizon 2030.",
        ),
        (
            "Quatre cents activités accompagnées",
            "Le cap des quatre cents activités suivies par un conseiller attitré a été franchi fin mai : le chantier est achevé, avec près d'un an de retard. Le test des déclinaisons se poursuit jusqu'en mars 2027. Ses enseignements nourrissent l'axe « offre de services » de la stratégie horizon 2030. La pause sur les métiers de la construction est maintenue.",
        ),
    ),
    "operations": (
        (
            "Plateforme de facturation : le cahier des charges",
            "Le cahier des charges de la nouvelle plateforme de facturation et de paiement est rédigé. Trois prestataires ont été consultés. L'outil de gestion des dossiers membres montre ses limites lors des pics de fin d'année. L'équipe informatique a été renforcée d'un développeur.",
        ),
        (
            "Choisir le bon prestataire",
            "Le choix du prestataire de la plateforme de facturation prend plus de temps que prévu : deux offres ont dû être complétées. Le cahier des charges du nouvel outil de gestion des dossiers membres est en cours. La migration des serveurs vers un hébergeur belge est achevée. Les bureaux signalent moins d'incidents qu'en 2021.",
        ),
        (
            "Un prestataire choisi, six mois plus tard",
            "Le prestataire de la plateforme de facturation a été choisi le 20 septembre, avec six mois de retard. Le cahier des charges de l'outil de gestion des dossiers membres a été livré en juillet. Les deux projets informatiques mobilisent les mêmes personnes : l'équipe de direction devra arbitrer. Nous en parlerons au séminaire de janvier.",
        ),
        (
            "La facturation en priorité",
            "La stratégie resserrée donne la priorité à la plateforme de facturation ; le nouvel outil de gestion des dossiers attendra. Les premiers développements ont été livrés en mai. Un groupe de vingt membres testeurs a été constitué. Le pilote avec cent activités est prévu pour la fin de l'année.",
        ),
        (
            "Le pilote se prépare",
            "Les modules de facturation et de relance sont prêts ; le module de paiement est en recette. Le pilote avec cent activités est reporté au printemps pour laisser le temps aux tests. La reprise des données historiques s'avère plus lourde que prévu. Le conseil en a été informé en septembre.",
        ),
        (
            "Cent activités sur la nouvelle plateforme",
            "Le pilote a démarré le 14 mai avec cent activités volontaires. Les retours sont bons sur la facturation, plus mitigés sur les relances. Le calendrier de migration est décalé : le chantier est en retard. Huit pour cent des activités facturent désormais sur la nouvelle plateforme.",
        ),
        (
            "La migration commence",
            "La migration par vagues a commencé en octobre : trente pour cent des activités facturent sur la nouvelle plateforme. Le module de paiement est relié au paiement par lots de la direction financière. Un incident en novembre a retardé une vague de deux semaines. La fin de la migration est visée pour l'été 2025.",
        ),
        (
            "Plus de la moitié des activités migrées",
            "55 % des activités facturent sur la nouvelle plateforme. La migration complète prévue fin juin n'est pas atteinte : les activités collectives demandent des adaptations. Le prestataire a renforcé son équipe. L'ancien outil reste en service jusqu'à la fin de la migration.",
        ),
        (
            "Les dernières vagues",
            "78 % des activités facturent sur la nouvelle plateforme. Les adaptations pour les activités collectives sont livrées. Les dernières vagues concernent les activités les plus anciennes, dont les données sont les plus complexes. La fin de la migration est désormais prévue pour l'automne 2026.",
        ),
        (
            "Bientôt la fin de l'ancien outil",
            "86 % des activités facturent sur la nouvelle plateforme. L'ancien outil de facturation sera arrêté après la dernière vague. Le nouvel outil de gestion des dossiers membres sera repris dans la stratégie horizon 2030. L'équipe informatique prépare aussi la sécurisation des accès des membres.",
        ),
    ),
    "communication": (
        (
            "Kronik fait peau neuve",
            "La nouvelle formule de Kronik sera lancée en février, avec un dossier mensuel et des portraits de membres. Le lectorat est passé à 5 600 lecteurs par mois. Une convention avec une fédération de l'économie sociale est en discussion. La stratégie 2021-2025 a été racontée aux sociétaires dans une série de trois articles.",
        ),
        (
            "Une nouvelle formule et un partenariat",
            "La nouvelle formule de Kronik est en ligne depuis le 21 février et rassemble 6 300 lecteurs par mois. La convention avec une fédération de l'économie sociale a été signée en juin. L'édition néerlandaise de Kronik se prépare avec le bureau de Gent. L'assemblée générale de juin a été couverte en direct.",
        ),
        (
            "Kronik en néerlandais",
            "L'édition néerlandaise de Kronik est en ligne depuis la mi-novembre, avec un mois et demi de retard. Le lectorat atteint 7 100 lecteurs par mois. Deux rencontres avec des coopératives de l'économie sociale ont été organisées à Liège et à Bruxelles. Nous couvrirons le séminaire de Charleroi.",
        ),
        (
            "Raconter la stratégie resserrée",
            "Un dossier de Kronik a présenté le 22 juin la stratégie resserrée et ses trois priorités aux sociétaires. Le séminaire de Charleroi a fait l'objet d'un article très lu. Kronik et les partenariats continuent, hors de la stratégie resserrée. Nous préparons la présentation des déclinaisons de l'offre aux membres.",
        ),
        (
            "Expliquer l'offre avant de la changer",
            "Une série d'articles explique pourquoi l'offre de services évolue et ce que le test des déclinaisons change pour les activités. Une foire aux questions est en ligne. Les questions des membres sont transmises chaque mois à la direction des services aux membres. Kronik dépasse 8 000 lecteurs par mois.",
        ),
        (
            "Les déclinaisons présentées aux membres",
            "Les déclinaisons de l'offre ont été présentées aux assemblées locales de Bruxelles, Charleroi, Liège et Gent en mai et en juin. Près de quatre cents membres y ont participé. Les supports existent en français et en néerlandais. Les retours des membres ont été transmis à l'équipe du test.",
        ),
        (
            "Des témoignages de membres testeurs",
            "Kronik publie chaque mois le témoignage d'une activité qui teste une déclinaison de l'offre. La page de l'offre sur le site a été réécrite. Une courte vidéo explique l'engagement réciproque. Les membres disent mieux comprendre ce qui les concerne.",
        ),
        (
            "Préparer les membres à l'horizon 2030",
            "Un appel à contributions pour la stratégie horizon 2030 a été lancé auprès des sociétaires en mai ; deux cents contributions ont été reçues. Le site présente désormais les quatre déclinaisons avec des exemples. L'assemblée générale de juin a été l'occasion d'un premier bilan de la stratégie 2025.",
        ),
        (
            "Le bilan de la stratégie 2025 pour les sociétaires",
            "Un numéro spécial de Kronik a dressé le bilan de la stratégie 2025 : ce qui a abouti, ce qui reste à faire. Le chantier de communication sur la stratégie et l'offre est achevé. La synthèse des contributions des sociétaires pour 2030 a été remise au conseil. Kronik compte 9 200 lecteurs par mois.",
        ),
        (
            "Associer les sociétaires à l'horizon 2030",
            "Quatre soirées d'échange sur la stratégie horizon 2030 ont réuni des sociétaires dans les bureaux au printemps. Un résumé en français et en néerlandais sera publié avec le projet de stratégie. La communication sur la nouvelle contribution se prépare pour 2027. Kronik reste le premier canal d'information des membres.",
        ),
    ),
}

SEMINAR_QUESTIONS = ("Cet axe vous parle-t-il ?", "Correspond-il aux besoins du moment ?")
# The board's scores leaned this way per axis (speaks, needs); each director varies around it.
SEMINAR_LEANING = ((4, 4), (5, 4), (3, 3))
SEMINAR_SILENT = ("eva", "samuel")  # busy welcoming the guest speaker, they did not answer
SEMINAR_COMMENTS = {
    ("marc", 0): "Le cadre sécurisé reste notre raison d'être : cet axe doit rester le premier.",
    ("geert", 0): "La plateforme de facturation est en retard : est-elle réaliste pour 2025 ?",
    (
        "anne",
        1,
    ): "Le conseiller attitré est très attendu dans les bureaux ; il faut le dire aux membres.",
    (
        "sofia",
        1,
    ): "À Charleroi, le nouveau premier accueil a déjà changé la relation avec les membres.",
    ("fatou", 1): "Les partenaires attendent aussi une offre adaptée aux collectifs.",
    ("karim", 2): "Trop technique : qu'est-ce que la contribution change pour un membre ?",
    ("julie", 2): "Il manque des indicateurs lisibles pour la contribution et les fonds propres.",
    ("bruno", 2): "Dommage que la vie coopérative ne soit plus un axe à part entière.",
}
SEMINAR_ORIENTATION = (
    "Les trois priorités de la stratégie resserrée parlent au conseil ; les services aux membres "
    "sont jugés les plus en phase avec les besoins du moment. Rendre l'axe économique concret "
    "pour les membres (ce que la contribution change pour eux) et le doter d'indicateurs "
    "lisibles ; raconter la stratégie aux sociétaires ; la soumettre à l'adoption du conseil de "
    "mars."
)

HORIZON_2030: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    (
        "Une offre de services lisible pour chaque activité",
        "Les quatre déclinaisons de l'offre, généralisées après le test, et une contribution comprise par tous.",
        3,
        (
            "Généraliser les quatre déclinaisons de l'offre",
            "Une contribution juste, comprise par les membres",
        ),
    ),
    (
        "Une coopérative gouvernée par ses membres",
        "Le bilan de la vie coopérative et les contributions des sociétaires de 2025.",
        2,
        ("Des sociétaires associés aux grands choix", "Des instances qui travaillent ensemble"),
    ),
    (
        "Une structure solide et adaptée",
        "La restructuration juridique et fiscale de Mutualis en Belgique, des fonds propres à la mesure de la croissance, un réseau européen recentré.",
        2,
        (
            "Une structure juridique et fiscale adaptée à l'entreprise partagée",
            "Un réseau européen recentré sur ce qu'il apporte aux membres",
        ),
    ),
    (
        "Des équipes et des outils pour durer",
        "Des conditions de travail soutenables et des outils numériques au service des membres.",
        2,
        ("Des conditions de travail soutenables", "Des outils numériques au service des membres"),
    ),
)
HORIZON_QUESTIONS = (
    "Cet axe vous parle-t-il ?",
    "Correspond-il aux besoins du moment ?",
    "Est-il réaliste d'ici 2030 ?",
)
# Who already answered the 2030 review, when, on which axes (index: speaks, needs, realistic).
HORIZON_ANSWERS: tuple[
    tuple[str, tuple[int, ...], dict[int, tuple[int, int, int]], dict[int, str]], ...
] = (
    (
        "anne",
        (2026, 11, 17, 20, 40),
        {0: (5, 5, 4), 1: (4, 4, 4), 2: (4, 5, 3), 3: (5, 4, 4)},
        {
            2: "La restructuration juridique mérite d'être expliquée aux sociétaires bien avant 2030."
        },
    ),
    (
        "julie",
        (2026, 11, 19, 8, 15),
        {0: (5, 4, 3), 1: (3, 4, 4), 2: (3, 4, 2), 3: (4, 5, 3)},
        {
            1: "Le réseau européen pourrait rejoindre cet axe : ce sont aussi des membres.",
            2: "Trop d'objectifs pour une seule période.",
        },
    ),
    ("karim", (2026, 11, 21, 11, 5), {0: (4, 5, 4), 3: (5, 5, 3)}, {}),
    (
        "sofia",
        (2026, 11, 24, 22, 10),
        {0: (5, 5, 4), 1: (5, 4, 4), 3: (4, 5, 3)},
        {3: "Les conseillers de Charleroi demandent des outils avant de nouvelles formations."},
    ),
    (
        "lucas",
        (2026, 11, 26, 7, 50),
        {2: (4, 4, 3)},
        {2: "Relier la restructuration aux fonds propres : c'est le même sujet pour les membres."},
    ),
)


def _period(label: str) -> tuple[datetime.date, datetime.date]:
    year, half = int(label[:4]), label[5:]
    return (D(year, 1, 1), D(year, 6, 30)) if half == "H1" else (D(year, 7, 1), D(year, 12, 31))


def _written_at(label: str, index: int) -> datetime.datetime:
    """Updates are written in the first days after the semester, a day apart per direction."""
    year = int(label[:4])
    if label.endswith("H1"):
        return at(year, 7, 3 + index, 9)
    return at(year + 1, 1, 5 + index, 9)


def load(org: Organisation, people: dict[str, Person]) -> None:
    claire = people["claire"]
    board = Body.objects.get(organisation=org, code="ca")
    units = {
        unit.code: unit for unit in Unit.objects.filter(organisation=org, kind=Unit.Kind.DIRECTION)
    }
    seminar = Meeting.objects.get(
        organisation=org, kind__category="seminar", starts_at__year=2023, starts_at__month=1
    )

    first, first_workstreams = _first_plan(org, board, units, people)
    _write_updates(units, people, FIRST_PLAN_PERIODS, first_workstreams)

    narrowed = _narrowed_plan(first, units, people)
    _seminar(narrowed, seminar, board, people)
    adoption = Decision.objects.get(
        organisation=org, title="Adoption de la stratégie 2025 resserrée"
    )
    actions.approve_plan(claire, plan=narrowed, decision=adoption)  # supersedes the 2021 plan

    # Fetched once the plan is in force, with the plan, so that the updates see it in force.
    workstreams = {
        w.title: w
        for w in Workstream.objects.filter(objective__axis__plan=narrowed).select_related(
            "objective__axis__plan"
        )
    }
    _later_milestones_and_values(people, workstreams)
    _write_updates(units, people, PERIODS[len(FIRST_PLAN_PERIODS) :], workstreams)

    _horizon_2030(org, board, units, people)


def _first_plan(
    org: Organisation, board: Body, units: dict[str, Unit], people: dict[str, Person]
) -> tuple[Plan, dict[str, Workstream]]:
    """The 2021-2025 strategy, approved by the June 2021 general assembly (before coopgov: the
    approval is a reference). It has no dossier of its own: its path through the bodies took
    place before the cooperative used coopgov."""
    isabelle = people["isabelle"]
    plan = actions.create_plan(
        isabelle,
        organisation=org,
        title="Stratégie Mutualis 2021-2025",
        starts_year=2021,
        ends_year=2025,
        body=board,
        summary=(
            "Six axes issus des recommandations de Smart in Progress 2019-2020, pour une entreprise "
            "partagée plus sûre, plus proche de ses membres et plus solide."
        ),
    )
    Plan.objects.filter(pk=plan.pk).update(created_at=at(2021, 3, 15, 10))  # demo back-dating
    objectives: list[list[Objective]] = []
    for title, description, weight, children in AXES:
        axis = actions.add_axis(
            isabelle, plan=plan, title=title, description=description, weight=weight
        )
        objectives.append(
            [
                actions.add_objective(isabelle, axis=axis, title=name, weight=objective_weight)
                for name, objective_weight in children
            ]
        )
    workstreams = {
        chantier.title: _add_chantier(
            isabelle, chantier, objectives[chantier.axis][chantier.objective], units, people
        )
        for chantier in CHANTIERS
    }
    actions.approve_plan(
        isabelle,
        plan=plan,
        reference="Assemblée générale ordinaire du 15 juin 2021",
        approved_on=D(2021, 6, 15),
    )
    for chantier in CHANTIERS:
        head = people[HEADS[chantier.unit]]
        _reach_and_measure(head, chantier, workstreams[chantier.title], before=DERIVED_ON)
    return plan, workstreams


def _add_chantier(
    actor: Person,
    chantier: Chantier,
    objective: Objective,
    units: dict[str, Unit],
    people: dict[str, Person],
) -> Workstream:
    workstream = actions.add_workstream(
        actor,
        objective=objective,
        title=chantier.title,
        owner_unit=units[chantier.unit],
        sponsor=people[chantier.sponsor],
        starts_on=chantier.starts_on,
        ends_on=chantier.ends_on,
        description=chantier.description,
        weight=chantier.weight,
    )
    for title, due_on, _done_on in chantier.milestones:
        actions.add_milestone(actor, workstream=workstream, title=title, due_on=due_on)
    measure = chantier.measure
    if measure is not None:
        actions.add_indicator(
            actor,
            workstream=workstream,
            name=measure.name,
            unit=measure.unit,
            baseline=Decimal(measure.baseline),
            target=Decimal(measure.target),
            target_on=measure.target_on,
            higher_is_better=measure.higher_is_better,
        )
    return workstream


def _reach_and_measure(
    actor: Person,
    chantier: Chantier,
    workstream: Workstream,
    *,
    before: datetime.date | None = None,
    since: datetime.date | None = None,
) -> None:
    """The milestones reached and the values measured within the dates, on this workstream."""

    def within(day: datetime.date) -> bool:
        return (before is None or day < before) and (since is None or day >= since)

    reached = [(title, done) for title, _due, done in chantier.milestones if done and within(done)]
    if reached:
        milestones = {m.title: m for m in workstream.milestones.all()}
        for title, done_on in reached:
            actions.reach_milestone(actor, milestone=milestones[title], done_on=done_on)
    measure = chantier.measure
    values = [(day, value) for day, value in measure.values if within(day)] if measure else []
    if values:
        indicator = workstream.indicators.get()
        for day, value in values:
            actions.record_indicator_value(
                actor, indicator=indicator, measured_on=day, value=Decimal(value)
            )


def _write_updates(
    units: dict[str, Unit],
    people: dict[str, Person],
    periods: tuple[str, ...],
    workstreams: dict[str, Workstream],
) -> None:
    """Each direction's news every semester, with where its workstreams stand."""
    chantiers = [c for c in (*CHANTIERS, *NEW_CHANTIERS) if c.title in workstreams]
    for label in periods:
        start, end = _period(label)
        position = PERIODS.index(label)
        for index, (code, head) in enumerate(DIRECTIONS):
            headline, text = NEWS[code][position]
            reports = [
                Report(workstreams[c.title], step.progress, step.status, step.comment)
                for c in chantiers
                if c.unit == code and (step := c.track.get(label)) is not None
            ]
            actions.write_progress_update(
                people[head],
                unit=units[code],
                period_start=start,
                period_end=end,
                title=headline,
                text=text,
                reports=reports,
                now=_written_at(label, index),  # written just after the semester
            )


def _narrowed_plan(first: Plan, units: dict[str, Unit], people: dict[str, Person]) -> Plan:
    """The narrowed strategy, derived in January 2023: three priorities kept (the first three
    axes), the others left to the directions' ordinary work; two workstreams added."""
    isabelle = people["isabelle"]
    narrowed = actions.derive_plan(
        isabelle,
        source=first,
        title="Stratégie Mutualis 2025 resserrée",
        starts_year=2023,
        ends_year=2025,
        change_note=(
            "Resserrer la stratégie autour de trois priorités à voir aboutir d'ici 2025 : sécuriser "
            "le cadre offert aux activités, des services qui accompagnent dans la durée, la solidité "
            "économique. La vie coopérative, les conditions de travail et l'ouverture européenne "
            "restent suivies par leurs directions et leurs instances, hors du plan stratégique."
        ),
        dossier=Dossier.objects.get(
            organisation=first.organisation, title="Stratégie 2025 resserrée"
        ),
        summary=(
            "Trois priorités à voir aboutir d'ici 2025, choisies au séminaire de Charleroi : un "
            "cadre sûr pour chaque activité, des services qui accompagnent dans la durée, une "
            "économie solide et lisible pour les membres."
        ),
    )
    Plan.objects.filter(pk=narrowed.pk).update(created_at=at(2023, 1, 16, 11))  # demo back-dating

    dropped = [c.title for c in CHANTIERS if not c.kept]
    for workstream in Workstream.objects.filter(objective__axis__plan=narrowed, title__in=dropped):
        actions.remove_workstream(isabelle, workstream=workstream)
    kept_axes = {c.axis for c in CHANTIERS if c.kept}
    axes = list(narrowed.axes.prefetch_related("objectives"))
    for position, axis in enumerate(axes):
        if position not in kept_axes:
            for objective in axis.objectives.all():
                actions.remove_objective(isabelle, objective=objective)
            actions.remove_axis(isabelle, axis=axis)
    kept = [axis for position, axis in enumerate(axes) if position in kept_axes]
    # The seminar's orientation: services weigh most; the economic axis said in members' words.
    actions.edit_axis(isabelle, axis=kept[1], title=kept[1].title, weight=4)
    actions.edit_axis(
        isabelle,
        axis=kept[2],
        title="Une économie solide et lisible pour chaque activité",
        weight=kept[2].weight,
    )
    objectives = [list(axis.objectives.all()) for axis in kept]
    axis_index, title, weight = NEW_OBJECTIVE
    objectives[axis_index].append(
        actions.add_objective(isabelle, axis=kept[axis_index], title=title, weight=weight)
    )
    for chantier in NEW_CHANTIERS:
        _add_chantier(
            isabelle, chantier, objectives[chantier.axis][chantier.objective], units, people
        )
    _link(narrowed, people["claire"])
    return narrowed


def _link(plan: Plan, actor: Person) -> None:
    """Tie workstreams to the dossiers, decisions and actions of the dossiers demo."""
    org = plan.organisation
    chantiers = [c for c in (*CHANTIERS, *NEW_CHANTIERS) if c.links]
    names = {
        kind: {c.links[kind] for c in chantiers if kind in c.links}
        for kind in ("dossier", "decision", "action")
    }
    dossiers = {
        d.title: d for d in Dossier.objects.filter(organisation=org, title__in=names["dossier"])
    }
    decisions = {
        d.title: d for d in Decision.objects.filter(organisation=org, title__in=names["decision"])
    }
    tasks = {a.title: a for a in Action.objects.filter(organisation=org, title__in=names["action"])}
    workstreams = {
        w.title: w
        for w in Workstream.objects.filter(
            objective__axis__plan=plan, title__in=[c.title for c in chantiers]
        )
    }
    for chantier in chantiers:
        links = chantier.links
        actions.link_workstream(
            actor,
            workstream=workstreams[chantier.title],
            dossier=dossiers[links["dossier"]] if "dossier" in links else None,
            decision=decisions[links["decision"]] if "decision" in links else None,
            action=tasks[links["action"]] if "action" in links else None,
        )


def _seminar(narrowed: Plan, seminar: Meeting, board: Body, people: dict[str, Person]) -> None:
    """At the January 2023 seminar: the directions' news opens the first day; in the afternoon
    the board checks, axis by axis, that the narrowed strategy speaks to it."""
    claire = people["claire"]
    news_round = seminar.sessions.get(kind=Session.Kind.NEWS_ROUND)
    with translation.override("fr"):  # the demo's documents are in French
        actions.gather_news(claire, session=news_round)

    session = seminar.sessions.get(kind=Session.Kind.STRATEGY)
    review = actions.open_review(
        claire,
        plan=narrowed,
        body=board,
        title="La stratégie resserrée est-elle parlante ?",
        meeting=seminar,
        opens_at=session.starts_at,
        closes_at=session.ends_at,
        questions=SEMINAR_QUESTIONS,
    )
    Review.objects.filter(pk=review.pk).update(created_at=at(2023, 1, 20, 10))  # demo back-dating
    questions = list(review.questions.all())
    axes = list(narrowed.axes.all())
    keys = {person.pk: key for key, person in people.items()}
    directors = [
        invitation.person
        for invitation in seminar.invitations.filter(
            capacity=Invitation.Capacity.VOTING
        ).select_related("person")
    ]
    rng = random.Random(2023)  # a fixed seed: the same demo every time
    moment = session.starts_at + datetime.timedelta(minutes=50)
    for person in directors:
        key = keys.get(person.pk, "")
        if key in SEMINAR_SILENT:
            continue
        for position, axis in enumerate(axes):
            scores = {
                question.pk: max(1, min(review.scale, lean + rng.choice((-1, 0, 0, 1))))
                for question, lean in zip(questions, SEMINAR_LEANING[position], strict=True)
            }
            actions.answer_review(
                person,
                review=review,
                axis=axis,
                scores=scores,
                comment=SEMINAR_COMMENTS.get((key, position), ""),
                now=moment,
            )
        moment += datetime.timedelta(minutes=2)
    actions.conclude_review(
        claire, review=review, orientation=SEMINAR_ORIENTATION, now=session.ends_at
    )


def _later_milestones_and_values(
    people: dict[str, Person], workstreams: dict[str, Workstream]
) -> None:
    """What happened after the narrowing is recorded on the narrowed plan's workstreams."""
    for chantier in (*CHANTIERS, *NEW_CHANTIERS):
        if chantier.title in workstreams:
            head = people[HEADS[chantier.unit]]
            _reach_and_measure(head, chantier, workstreams[chantier.title], since=DERIVED_ON)


def _horizon_2030(
    org: Organisation, board: Body, units: dict[str, Unit], people: dict[str, Person]
) -> None:
    """The draft 2030 strategy, seen by the bodies only, open for the board's review until
    11 December 2026; a few directors have answered, the chair not yet."""
    isabelle = people["isabelle"]
    plan = actions.create_plan(
        isabelle,
        organisation=org,
        title="Stratégie horizon 2030",
        starts_year=2026,
        ends_year=2030,
        body=board,
        summary=(
            "Projet de stratégie pour 2026-2030, nourri par le bilan de la stratégie 2025, les "
            "contributions des sociétaires et les travaux du conseil."
        ),
        confidentiality="bodies",
    )
    Plan.objects.filter(pk=plan.pk).update(created_at=at(2026, 10, 20, 14))  # demo back-dating
    axes = []
    objectives = []
    for title, description, weight, children in HORIZON_2030:
        axis = actions.add_axis(
            isabelle, plan=plan, title=title, description=description, weight=weight
        )
        axes.append(axis)
        objectives.append(
            [actions.add_objective(isabelle, axis=axis, title=name) for name in children]
        )
    actions.add_workstream(
        isabelle,
        objective=objectives[2][0],
        title="Étude de la restructuration juridique et fiscale",
        owner_unit=units["finances"],
        sponsor=people["frederic"],
        starts_on=D(2026, 1, 1),
        ends_on=D(2027, 12, 31),
        description="Une étude avec des conseils extérieurs, puis un projet soumis au conseil et à l'assemblée générale.",
        weight=2,
    )
    actions.add_workstream(
        isabelle,
        objective=objectives[0][0],
        title="Généralisation des déclinaisons de l'offre",
        owner_unit=units["services-membres"],
        sponsor=people["mathieu"],
        starts_on=D(2027, 4, 1),
        ends_on=D(2029, 12, 31),
        description="Après le bilan du test de mars 2027, proposer les quatre déclinaisons à toutes les activités.",
    )
    review = actions.open_review(
        people["claire"],
        plan=plan,
        body=board,
        title="Stratégie horizon 2030 : l'avis du conseil",
        opens_at=at(2026, 11, 16, 9),
        closes_at=at(2026, 12, 11, 18),
        questions=HORIZON_QUESTIONS,
    )
    Review.objects.filter(pk=review.pk).update(created_at=at(2026, 11, 13, 16))  # demo back-dating
    questions = list(review.questions.all())
    for key, when, answers, comments in HORIZON_ANSWERS:
        moment = at(*when)
        for position, scores in answers.items():
            actions.answer_review(
                people[key],
                review=review,
                axis=axes[position],
                scores={q.pk: score for q, score in zip(questions, scores, strict=True)},
                comment=comments.get(position, ""),
                now=moment,
            )
