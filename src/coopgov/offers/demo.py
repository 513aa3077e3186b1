"""The offer of the demo cooperative and the activities it accompanies.

The January 2023 seminar worked on four "déclinaisons" of the offer; the board adopted them in
May 2023 as working hypotheses, to be tested with volunteer activities. The demo draws the four
variants from the cooperative's own typology (occasional missions, an activity with its own
budget, a contributor in another member's activity, a collective enterprise pooling its risks
more strongly) and marks them as demonstration hypotheses. Version 1 of each is valid from
June 2023; the individual and collective variants have a version 2 from 1 January 2025 (a
lower rate; a contribution on value added), in which the activities enrolled since then are.

About 150 activities of the members are accompanied by the advisers of the local offices: they
entered as candidates, were integrated once both sides accepted their variant's commitments,
became active, sometimes paused, changed variant or left. Their support meetings of the last two
years, milestones, competence grids, quarterly contributions of 2026 and stated needs are
recorded through the actions (nothing is written around them, and the random draws use a fixed
seed); the needs summary feeds the offer's dossier at the December 2026 board meeting.

Sofia Haddad (Charleroi office) follows about 25 of them, among which Jonas Peeters's
translation activity, a candidate in January 2026 and active since April. Everything is dated
on or before 27 November 2026 except the support meetings planned ahead, which are placed after
the day the demo is loaded (the actions refuse a planned meeting in the past).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from coopgov.core import actions as core_actions
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Role, Unit
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Dossier
from coopgov.meetings.demo import at
from coopgov.meetings.models import Meeting
from coopgov.offers import actions
from coopgov.offers.models import (
    Activity,
    Competence,
    Holding,
    Need,
    OfferVersion,
    PathStage,
    Profile,
    Service,
    Stage,
    SupportMeeting,
)
from coopgov.offers.queries import needs_summary

D = datetime.date
DAY = datetime.timedelta(days=1)
DEMO_TODAY = D(2026, 11, 27)
SEED = 2026
START = D(2023, 6, 1)  # the variants apply from June 2023, after the board's May decision
CHANGE = D(2025, 1, 1)  # version 2 of the individual and collective variants
LAST_QUARTER_END = D(2026, 9, 30)
# Each action costs a few milliseconds: to keep the demo quick to load, the contributions are
# those of 2026 (the register moved to coopgov in January) and the support meetings those of
# the last two years.
CONTRIBUTIONS_FROM = D(2026, 1, 1)
MEETINGS_FROM = D(2024, 12, 1)
OFFER_DOSSIER = "Refonte de l'offre de services"
HYPOTHESIS = "Hypothèse de démonstration"

OCCASIONAL, INDIVIDUAL = Profile.OCCASIONAL.value, Profile.INDIVIDUAL.value
CONTRIBUTOR, COLLECTIVE = Profile.CONTRIBUTOR.value, Profile.COLLECTIVE.value
ESSENTIAL, USEFUL, NOT_NEEDED = Need.Level.values
ATTENDED, ABSENT, EXCUSED = "attended", "absent", "excused"

# The catalogue: code, name, description, delivered by, funded by, funding note.
SERVICES = (
    (
        "facturation",
        "Facturation et conversion en salaire",
        "La coopérative facture les clients et verse le salaire dans les sept jours ouvrables, "
        "même si le client n'a pas encore payé ; elle fait les déclarations sociales et fiscales.",
        "finances",
        Service.Funding.CONTRIBUTION,
        "",
    ),
    (
        "assurances",
        "Assurances",
        "Responsabilité civile professionnelle, accidents du travail et matériel professionnel.",
        "operations",
        Service.Funding.CONTRIBUTION,
        "Contrats-cadres négociés pour toutes les activités.",
    ),
    (
        "juridique",
        "Conseil juridique et fiscal",
        "Contrats, droits d'auteur, TVA, statuts des collectifs.",
        "direction-generale",
        Service.Funding.FEE,
        "Les questions simples sont couvertes par la contribution ; les dossiers longs sont facturés.",
    ),
    (
        "formation",
        "Formation",
        "Ateliers collectifs de gestion, de prix et de communication ; formations métier.",
        "ressources-humaines",
        Service.Funding.PUBLIC,
        "Subsides régionaux de formation et fonds sectoriels.",
    ),
    (
        "coworking",
        "Coworking",
        "Postes de travail et salles de réunion dans les bureaux de Bruxelles et de Charleroi.",
        "bureau-bruxelles",
        Service.Funding.FEE,
        "Location à la journée ou au mois.",
    ),
    (
        "financement",
        "Financement et avances",
        "Avances de trésorerie sur factures, fonds de garantie, financement participatif.",
        "finances",
        Service.Funding.PARTNERS,
        "Fonds de garantie constitué avec des partenaires de l'économie sociale.",
    ),
    (
        "accompagnement",
        "Accompagnement économique",
        "Rendez-vous réguliers avec un conseiller : budget, prix, développement, stratégie.",
        "services-membres",
        Service.Funding.CONTRIBUTION,
        "",
    ),
    (
        "reseau",
        "Mise en réseau",
        "Rencontres entre activités, annuaire des membres, partenariats et marchés communs.",
        "communication",
        Service.Funding.CONTRIBUTION,
        "",
    ),
)

COMPETENCES = (
    "Gestion financière",
    "Relation client",
    "Prix et devis",
    "Communication",
    "Obligations sociales et fiscales",
    "Coopération",
)


@dataclass(frozen=True)
class VersionSpec:
    valid_from: datetime.date
    rate: str
    commitments: str
    duties: str
    levels: dict[str, str | tuple[str, str]]
    shares: int
    meetings: int
    minimum: int | None = None
    base: str = OfferVersion.Base.TURNOVER


@dataclass(frozen=True)
class OfferSpec:
    code: str
    name: str
    summary: str
    categories: tuple[str, ...]
    profiles: tuple[str, ...]
    versions: tuple[VersionSpec, ...]


INDIVIDUAL_LEVELS: dict[str, str | tuple[str, str]] = {
    "facturation": "standard",
    "assurances": "standard",
    "juridique": "standard",
    "formation": "standard",
    "coworking": ("on_request", "À la journée, au tarif membre"),
    "financement": ("basic", "Avances sur factures validées"),
    "accompagnement": ("standard", "Deux rendez-vous par an"),
    "reseau": "standard",
}
COLLECTIVE_LEVELS: dict[str, str | tuple[str, str]] = {
    "facturation": "reinforced",
    "assurances": "reinforced",
    "juridique": ("reinforced", "Y compris la charte et la gouvernance du collectif"),
    "formation": "standard",
    "coworking": "standard",
    "financement": ("reinforced", "Fonds de réserve de l'activité et avances élargies"),
    "accompagnement": ("reinforced", "Quatre rendez-vous par an"),
    "reseau": "standard",
}

OFFERS = (
    OfferSpec(
        "missions-occasionnelles",
        "Missions occasionnelles",
        f"{HYPOTHESIS}. Pour les membres qui réalisent quelques missions par an : la coopérative "
        "facture, convertit en salaire et assure chaque mission, sans budget d'activité propre.",
        ("A", "C"),
        (OCCASIONAL, INDIVIDUAL),
        (
            VersionSpec(
                START,
                "8.00",
                "Facturer chaque mission dans les deux jours ouvrables et verser le salaire dans "
                "les sept jours ouvrables, même si le client n'a pas encore payé. Couvrir chaque "
                "mission par les assurances de la coopérative. Un rendez-vous par an pour faire "
                "le point.",
                "Déclarer chaque mission avant son début. Participer à l'assemblée générale ou "
                "s'y faire représenter.",
                {
                    "facturation": "standard",
                    "assurances": "standard",
                    "juridique": ("basic", "Questions simples par courriel"),
                    "formation": "on_request",
                    "accompagnement": ("basic", "Un rendez-vous par an"),
                    "reseau": "basic",
                },
                shares=1,
                meetings=1,
            ),
        ),
    ),
    OfferSpec(
        "activite-individuelle",
        "Activité individuelle avec son budget",
        f"{HYPOTHESIS}. Une activité qui dure, avec son propre budget suivi en temps réel : "
        "l'entrepreneur garde ses clients et ses prix, la coopérative sécurise le cadre et "
        "accompagne son développement.",
        ("A", "C"),
        (INDIVIDUAL, COLLECTIVE),
        (
            VersionSpec(
                START,
                "6.50",
                "Ouvrir un budget d'activité suivi en temps réel ; verser les salaires dans les "
                "sept jours ouvrables ; avancer la trésorerie sur les factures validées ; deux "
                "rendez-vous d'accompagnement par an avec un conseiller du bureau ; accès aux "
                "formations collectives.",
                "Tenir son budget à jour et transmettre les pièces de frais chaque mois. Une "
                "activité d'au moins 5 000 € par an. Participer à une rencontre de la vie "
                "coopérative par an.",
                INDIVIDUAL_LEVELS,
                shares=2,
                meetings=2,
                minimum=5000,
            ),
            VersionSpec(
                CHANGE,
                "6.00",
                "Ouvrir un budget d'activité suivi en temps réel ; verser les salaires dans les "
                "sept jours ouvrables ; avancer la trésorerie jusqu'à 30 % du budget annuel ; "
                "deux rendez-vous d'accompagnement par an ; accès aux formations collectives et "
                "deux jours de coworking par mois.",
                "Tenir son budget à jour et transmettre les pièces de frais chaque mois. Une "
                "activité d'au moins 6 000 € par an. Participer à une rencontre de la vie "
                "coopérative par an.",
                {
                    **INDIVIDUAL_LEVELS,
                    "coworking": ("basic", "Deux jours par mois inclus"),
                    "financement": ("standard", "Avances jusqu'à 30 % du budget annuel"),
                },
                shares=2,
                meetings=2,
                minimum=6000,
            ),
        ),
    ),
    OfferSpec(
        "contributeur",
        "Contributeur dans l'activité d'un autre membre",
        f"{HYPOTHESIS}. Le membre contribue à l'activité d'un autre membre (technique, "
        "production, administration) : il est rémunéré par le budget de l'activité hôte et "
        "couvert comme elle.",
        ("A",),
        (CONTRIBUTOR,),
        (
            VersionSpec(
                START,
                "4.00",
                "Intégrer le membre dans le budget de l'activité hôte, avec un contrat et un "
                "salaire pour sa contribution ; les mêmes assurances que l'activité hôte ; un "
                "rendez-vous par an.",
                "Une convention de collaboration signée avec l'activité hôte.",
                {
                    "facturation": "basic",
                    "assurances": "standard",
                    "juridique": "basic",
                    "formation": "on_request",
                    "accompagnement": ("basic", "Un rendez-vous par an"),
                    "reseau": "standard",
                },
                shares=1,
                meetings=1,
            ),
        ),
    ),
    OfferSpec(
        "entreprise-collective",
        "Entreprise collective (mutualisation renforcée des risques)",
        f"{HYPOTHESIS}. Plusieurs membres portent ensemble une entreprise qui investit, emploie "
        "et prend des risques : un budget commun, une réserve propre et un accompagnement "
        "renforcé, comme les activités intégrées d'une coopérative d'activités.",
        ("A", "C"),
        (COLLECTIVE,),
        (
            VersionSpec(
                START,
                "9.00",
                "Un budget commun avec mutualisation renforcée des risques : fonds de réserve de "
                "l'activité, avances de trésorerie élargies, accompagnement économique renforcé "
                "(quatre rendez-vous par an), conseil juridique pour la gouvernance du collectif.",
                "Une charte de fonctionnement du collectif. Un représentant du collectif aux "
                "rencontres de la vie coopérative. Une activité d'au moins 30 000 € par an.",
                COLLECTIVE_LEVELS,
                shares=3,
                meetings=4,
                minimum=30000,
            ),
            VersionSpec(
                CHANGE,
                "15.00",
                "Un budget commun avec mutualisation renforcée des risques ; la contribution "
                "porte désormais sur la valeur ajoutée, pour ne pas pénaliser les achats de "
                "matières ; accompagnement renforcé (quatre rendez-vous par an).",
                "Une charte de fonctionnement du collectif. Un représentant du collectif aux "
                "rencontres de la vie coopérative. Une valeur ajoutée d'au moins 20 000 € par an.",
                COLLECTIVE_LEVELS,
                shares=3,
                meetings=4,
                minimum=20000,
                base=OfferVersion.Base.VALUE_ADDED,
            ),
        ),
    ),
)
FIRST_OFFER = {
    OCCASIONAL: "missions-occasionnelles",
    INDIVIDUAL: "activite-individuelle",
    CONTRIBUTOR: "contributeur",
    COLLECTIVE: "entreprise-collective",
}
# Days between support meetings, by variant (a little under what the variant promises).
INTERVALS = {
    "missions-occasionnelles": 300,
    "activite-individuelle": 160,
    "contributeur": 300,
    "entreprise-collective": 84,
}
# Quarterly turnover, by profile (low, high).
TURNOVER = {
    OCCASIONAL: (400, 3000),
    INDIVIDUAL: (2200, 9000),
    CONTRIBUTOR: (900, 4000),
    COLLECTIVE: (12000, 45000),
}

# The advisers the demo adds to the local offices (staff, no login).
ADVISERS = (
    ("ophelie", "Ophélie", "Marchal", Person.Gender.FEMALE),
    ("romain", "Romain", "Fontaine", Person.Gender.MALE),
    ("aline", "Aline", "Dewez", Person.Gender.FEMALE),
)
# How many activities the demo accompanies (Jonas's included), and how they split. Each
# activity's path through the actions costs about 15 ms, its whole story about 35 ms.
ACTIVITIES = 150
PROFILE_SHARES = {OCCASIONAL: 0.25, CONTRIBUTOR: 0.17, COLLECTIVE: 0.13}  # the rest individual
FATE_SHARES = {
    "candidate": 0.067,  # met, not yet enrolled
    "enrolling": 0.027,  # the member accepted the commitments, the office has yet to
    "not_admitted": 0.007,
    "exited": 0.06,
    "paused": 0.04,
    "resumed": 0.02,
    "integrated": 0.067,
}  # the rest active
# Offices: Charleroi (Sofia leads about 24 of its activities), then the others' shares.
CHARLEROI = (0.30, 34)  # share, at least
OFFICE_SHARES = {"bureau-bruxelles": 0.53, "bureau-liege": 0.32}  # the rest at Gent
SOFIA_LEADS = 24

SECTOR_TRADES = {
    "Arts plastiques": "Céramique",
    "Graphisme": "Graphisme",
    "Formation": "Formation",
    "Informatique": "Développement web",
    "Construction": "Rénovation",
    "Bien-être": "Yoga et relaxation",
    "Événementiel": "Organisation d'événements",
    "Traduction": "Traduction",
    "Musique": "Musique",
    "Audiovisuel": "Vidéo",
    "Photographie": "Photographie",
    "Artisanat": "Ébénisterie",
}
PROFILE_SECTORS = {
    OCCASIONAL: (
        "Formation",
        "Traduction",
        "Photographie",
        "Musique",
        "Bien-être",
        "Graphisme",
        "Arts plastiques",
    ),
    INDIVIDUAL: (
        "Graphisme",
        "Informatique",
        "Formation",
        "Bien-être",
        "Traduction",
        "Arts plastiques",
        "Artisanat",
        "Photographie",
        "Audiovisuel",
        "Construction",
    ),
    COLLECTIVE: (
        "Construction",
        "Événementiel",
        "Alimentation",
        "Audiovisuel",
        "Informatique",
        "Musique",
    ),
}
COLLECTIVE_NAMES = {
    "Construction": ("Rénovation Terre-Paille", "Charpentes du Pays Noir", "Éco-rénovation Midi"),
    "Événementiel": ("Scènes mobiles", "Festivals en commun", "Régie Sud Spectacles"),
    "Alimentation": (
        "Conserverie La Bocalerie",
        "Fournil des Tanneurs",
        "Brasserie La Houblonnière",
    ),
    "Audiovisuel": ("Films du Crépuscule", "Documentaires de quartier", "Atelier Image Mobile"),
    "Informatique": ("Code Commun", "Logiciels libres pour associations", "Données en partage"),
    "Musique": ("Ensemble Les Vents Contraires", "Fanfare Voix Mêlées", "Studio du Canal"),
}
LEGAL_COLLECTIVES = {
    # legal member's name: activity name, sector
    "Vélo Solidaire ASBL": ("Atelier vélo solidaire", "Mobilité"),
    "La Ferme du Chêne SC": ("Paniers de la Ferme du Chêne", "Alimentation"),
    "Atelier Commun SRL": ("Atelier Commun — fabrication numérique", "Artisanat"),
}
CONTRIBUTOR_ROLES = {
    "Construction": ("Pose et finitions", "Électricité", "Plafonnage"),
    "Événementiel": ("Régie son", "Régie lumière", "Accueil et billetterie"),
    "Alimentation": ("Livraisons à vélo", "Préparation des commandes", "Vente au marché"),
    "Audiovisuel": ("Montage", "Prise de son", "Étalonnage"),
    "Informatique": ("Développement", "Tests et documentation", "Hébergement"),
    "Musique": ("Arrangements", "Régie son", "Administration de tournée"),
    "Mobilité": ("Réparations", "Ateliers d'autoréparation"),
    "Artisanat": ("Découpe laser", "Animation d'ateliers"),
}
CONTRIBUTOR_DEFAULT_ROLES = ("Communication", "Administration de projet", "Graphisme", "Rédaction")

PAUSE_NOTES = (
    "Congé parental.",
    "Raison de santé.",
    "Formation longue à temps plein.",
    "Saison creuse : reprise prévue au printemps.",
)
EXITS = (
    (PathStage.ExitReason.OWN_COMPANY, "L'activité a créé sa propre société et reste sociétaire."),
    (PathStage.ExitReason.EMPLOYMENT, "Le porteur a accepté un emploi salarié à temps plein."),
    (PathStage.ExitReason.ENDED, "Fin de l'activité : le porteur se consacre à un autre projet."),
    (PathStage.ExitReason.OWN_COMPANY, "Le collectif devient une coopérative autonome."),
    (PathStage.ExitReason.ENDED, "Le marché visé ne s'est pas développé."),
    (PathStage.ExitReason.EMPLOYMENT, "Engagement comme formateur dans une école."),
    (PathStage.ExitReason.OTHER, "Départ à l'étranger."),
    (
        PathStage.ExitReason.EXCLUDED,
        "Engagements non tenus : contributions impayées depuis trois trimestres malgré les "
        "rappels.",
    ),
    (PathStage.ExitReason.ENDED, "Départ à la retraite."),
)
NOT_ADMITTED = (
    "Le projet ne correspond pas aux critères d'appartenance : activité réglementée que les "
    "assurances de la coopérative ne couvrent pas."
)

# Support meetings: (objectives, agreed actions, next steps).
INTAKE = (
    (
        "Découvrir le projet et vérifier qu'il correspond aux critères d'appartenance.",
        "Présentation des quatre déclinaisons de l'offre ; remise du contrat d'activité et des "
        "conditions générales.",
        "Choisir une déclinaison et préparer un premier budget.",
    ),
    (
        "Premier accueil : comprendre le métier, les clients visés et les besoins.",
        "Simulation de la contribution et du salaire ; liste des assurances nécessaires.",
        "Envoyer le budget prévisionnel et les premiers devis.",
    ),
    (
        "Présenter la coopérative et son fonctionnement ; situer le projet.",
        "Inscription à la séance collective d'information ; vérification des parts à souscrire.",
        "Rendez-vous d'intégration une fois les parts souscrites.",
    ),
)
FOLLOW = (
    (
        "Faire le point sur le budget et les factures en attente.",
        "Relancer deux clients en retard de paiement ; revoir la grille de prix.",
        "Préparer le budget du trimestre suivant.",
    ),
    (
        "Analyser la rentabilité des dernières missions.",
        "Augmenter le tarif journalier de 10 % pour les nouveaux clients.",
        "Tester le nouveau tarif sur trois devis.",
    ),
    (
        "Préparer les demandes de subsides de l'année.",
        "Dossier de subside déposé avec l'aide du conseil juridique.",
        "Suivre la réponse du pouvoir subsidiant.",
    ),
    (
        "Développer la communication de l'activité.",
        "Inscription à l'atelier collectif de communication ; mise à jour du portfolio.",
        "Montrer le nouveau site au prochain rendez-vous.",
    ),
    (
        "Anticiper la trésorerie des prochains mois.",
        "Demande d'avance sur deux factures validées.",
        "Vérifier l'encaissement des factures avancées.",
    ),
    (
        "Faire le bilan de l'année et revoir les engagements réciproques.",
        "Engagements relus ensemble ; objectifs de chiffre d'affaires fixés pour l'année.",
        "Point à mi-année sur les objectifs.",
    ),
    (
        "Rencontrer d'autres membres du même secteur.",
        "Mise en relation avec deux activités du bureau pour un marché commun.",
        "Présenter une offre commune au salon régional.",
    ),
)
COLLECTIVE_FOLLOW = (
    (
        "Faire le point sur la gouvernance du collectif et la charte.",
        "Charte révisée : répartition des rôles et des rémunérations.",
        "Faire valider la charte par tous les porteurs.",
    ),
    (
        "Suivre le plan d'investissement et le fonds de réserve.",
        "Achat du matériel financé pour moitié par le fonds de réserve.",
        "Suivre l'amortissement dans le budget commun.",
    ),
    (
        "Préparer l'embauche d'un premier salarié pour le collectif.",
        "Profil de poste rédigé ; simulation du coût salarial.",
        "Décision du collectif à la prochaine réunion interne.",
    ),
)
PAUSE_MEETING = (
    "Organiser la mise en pause de l'activité.",
    "Budget gelé ; assurances suspendues ; contact maintenu par courriel.",
    "Reprendre contact avant la reprise.",
)
EXIT_MEETING = (
    "Préparer la sortie de la coopérative.",
    "Clôture du budget ; solde des dernières factures ; remboursement des parts expliqué.",
    "Envoyer le solde et les attestations.",
)
PLANNED = (
    "Faire le point sur les objectifs de l'année.",
    "Préparer le budget de l'année prochaine.",
    "Revoir les engagements réciproques avant leur échéance.",
)
MILESTONES = {
    OCCASIONAL: ("Première mission facturée", "Dix missions facturées"),
    INDIVIDUAL: ("Budget prévisionnel validé", "Premier salaire versé", "Site vitrine en ligne"),
    CONTRIBUTOR: ("Convention de collaboration signée", "Premier contrat avec l'activité hôte"),
    COLLECTIVE: ("Charte du collectif signée", "Premier investissement commun", "Premier emploi"),
}
NEED_COMMENTS = {
    "facturation": ("Paiement rapide indispensable : mes clients paient à 60 jours.",),
    "assurances": ("Besoin d'une assurance pour le matériel sur chantier.",),
    "juridique": ("Questions de droits d'auteur sur les commandes.", "TVA sur les ventes hors UE."),
    "formation": ("Formation aux devis et à la négociation.", "Formation aux outils numériques."),
    "coworking": ("Un poste de travail deux jours par semaine à Charleroi.",),
    "financement": ("Avance pour acheter du matériel avant le premier contrat.",),
    "accompagnement": ("Un regard extérieur sur mes prix.", "Aide pour le plan de développement."),
    "reseau": ("Rencontrer d'autres membres pour répondre à des marchés plus grands.",),
}
NEED_WEIGHTS = {
    # service: (essential, useful, not needed) weights by profile
    OCCASIONAL: {
        "facturation": (8, 2, 0),
        "assurances": (6, 3, 1),
        "juridique": (1, 5, 4),
        "formation": (2, 5, 3),
        "coworking": (0, 2, 8),
        "financement": (0, 2, 8),
        "accompagnement": (1, 4, 5),
        "reseau": (2, 5, 3),
    },
    INDIVIDUAL: {
        "facturation": (9, 1, 0),
        "assurances": (6, 4, 0),
        "juridique": (4, 5, 1),
        "formation": (4, 5, 1),
        "coworking": (2, 4, 4),
        "financement": (4, 4, 2),
        "accompagnement": (6, 4, 0),
        "reseau": (3, 5, 2),
    },
    CONTRIBUTOR: {
        "facturation": (7, 3, 0),
        "assurances": (7, 3, 0),
        "juridique": (1, 4, 5),
        "formation": (3, 5, 2),
        "coworking": (1, 3, 6),
        "financement": (0, 2, 8),
        "accompagnement": (1, 5, 4),
        "reseau": (5, 4, 1),
    },
    COLLECTIVE: {
        "facturation": (9, 1, 0),
        "assurances": (9, 1, 0),
        "juridique": (7, 3, 0),
        "formation": (3, 6, 1),
        "coworking": (2, 4, 4),
        "financement": (8, 2, 0),
        "accompagnement": (8, 2, 0),
        "reseau": (4, 5, 1),
    },
}


@dataclass(frozen=True)
class Script:
    """A story told in full rather than drawn: Jonas's activity."""

    # held on, objectives, agreed actions, next steps
    meetings: tuple[tuple[datetime.date, str, str, str], ...]
    planned: str
    milestones: tuple[tuple[str, datetime.date, datetime.date | None], ...]
    grid: tuple[tuple[datetime.date, tuple[int, ...], str], ...]
    needs: tuple[tuple[str, str, str], ...]  # service, level, comment


JONAS = Script(
    meetings=(
        (
            D(2026, 1, 19),
            "Premier accueil : comprendre le métier de traducteur et sous-titreur, les clients "
            "visés et les besoins.",
            "Présentation des quatre déclinaisons : l'activité individuelle avec son budget "
            "convient. Simulation de la contribution et du salaire.",
            "Souscrire deux parts et envoyer le budget prévisionnel.",
        ),
        (
            D(2026, 3, 16),
            "Valider le budget prévisionnel et préparer les premiers devis.",
            "Budget validé ; tarif à la minute de sous-titrage fixé avec la grille de prix du "
            "bureau.",
            "Envoyer trois devis aux festivals contactés.",
        ),
        (
            D(2026, 6, 22),
            "Faire le point après trois mois d'activité.",
            "Deux festivals et un producteur de documentaires comme clients ; inscription à "
            "l'atelier collectif sur les devis.",
            "Préparer la saison des festivals d'automne.",
        ),
        (
            D(2026, 9, 21),
            "Préparer l'automne et anticiper la trésorerie.",
            "Demande d'avance sur la facture d'un festival ; mise en relation avec une activité "
            "de montage vidéo du bureau.",
            "Préparer le budget 2027.",
        ),
    ),
    planned="Préparer le budget 2027 et le site vitrine.",
    milestones=(
        ("Budget prévisionnel validé", D(2026, 3, 31), D(2026, 3, 16)),
        ("Premier contrat de sous-titrage signé", D(2026, 4, 30), D(2026, 4, 8)),
        ("Site vitrine en ligne", D(2026, 12, 31), None),
    ),
    grid=(
        (D(2026, 2, 2), (2, 2, 1, 1, 2, 3), "Grille d'entrée, établie avec Jonas."),
        (
            D(2026, 6, 26),
            (3, 3, 2, 2, 2, 3),
            "Progrès nets sur les devis après l'atelier collectif.",
        ),
    ),
    needs=(
        (
            "facturation",
            ESSENTIAL,
            "Les festivals paient à 60 jours : le salaire rapide est indispensable.",
        ),
        ("formation", USEFUL, "Formation aux outils de sous-titrage."),
        ("coworking", NOT_NEEDED, ""),
        ("reseau", ESSENTIAL, "Rencontrer des producteurs de documentaires."),
    ),
)
EVALUATION_DEADLINES = (
    D(2024, 6, 28),
    D(2024, 12, 13),
    D(2025, 6, 27),
    D(2025, 12, 12),
    D(2026, 6, 26),
)


@dataclass
class Plan:
    """One activity's story, decided before it is played through the actions."""

    profile: str
    fate: str  # candidate, enrolling, not_admitted, integrated, active, paused, resumed, exited
    started_on: datetime.date
    office: str = ""
    name: str = ""
    sector: str = ""
    description: str = ""
    holders: list[Member] = field(default_factory=list)
    advisers: list[Person] = field(default_factory=list)
    variants: list[tuple[str, datetime.date]] = field(default_factory=list)
    active_on: datetime.date | None = None
    paused_on: datetime.date | None = None
    resumed_on: datetime.date | None = None
    exited_on: datetime.date | None = None
    exit: tuple[str, str] | None = None
    neglected: bool = False
    unpaid: int = 0
    shares: str = "ok"  # ok, missing, short
    review_due: bool = False
    evaluated: bool = False
    needs: bool = False
    turnover: int = 0
    script: Script | None = None


def load(org: Organisation, people: dict[str, Person]) -> None:
    rng = random.Random(SEED)
    today = max(timezone.localdate(), DEMO_TODAY)  # planned meetings come after both
    units = {unit.code: unit for unit in Unit.objects.filter(organisation=org)}
    categories = {c.code: c for c in MemberCategory.objects.filter(organisation=org)}
    dossier = Dossier.objects.get(organisation=org, title=OFFER_DOSSIER)
    services = _catalogue(org, people["mathieu"], units)
    versions = _offers(org, people["mathieu"], services, categories, dossier)
    grid = [
        actions.add_competence(people["mathieu"], organisation=org, name=name, position=position)
        for position, name in enumerate(COMPETENCES)
    ]
    advisers = _advisers(org, people)
    plans = _plans(rng, org, people, advisers)
    player = _Player(org, rng, units, services, versions, grid, today)
    for plan in plans:
        player.play(plan)
    _feed_needs(org, people, dossier)


def _catalogue(org: Organisation, actor: Person, units: dict[str, Unit]) -> dict[str, Service]:
    return {
        code: actions.add_service(
            actor,
            organisation=org,
            code=code,
            name=name,
            description=description,
            unit=units[unit],
            funding=funding,
            funding_note=note,
            position=position,
        )
        for position, (code, name, description, unit, funding, note) in enumerate(SERVICES)
    }


def _offers(
    org: Organisation,
    actor: Person,
    services: dict[str, Service],
    categories: dict[str, MemberCategory],
    dossier: Dossier,
) -> dict[str, list[OfferVersion]]:
    """The four variants as hypotheses linked to their dossier, each in its versions."""
    versions: dict[str, list[OfferVersion]] = {}
    for position, spec in enumerate(OFFERS, start=1):
        offer = actions.create_offer(
            actor,
            organisation=org,
            code=spec.code,
            name=spec.name,
            summary=spec.summary,
            hypothesis=True,
            dossier=dossier,
            position=position,
        )
        versions[spec.code] = [
            actions.publish_version(
                actor,
                offer=offer,
                valid_from=version.valid_from,
                cooperative_commitments=version.commitments,
                contribution_rate=Decimal(version.rate),
                contribution_base=version.base,
                levels={services[code]: level for code, level in version.levels.items()},
                shares_required=version.shares,
                minimum_annual_activity=(
                    Decimal(version.minimum) if version.minimum is not None else None
                ),
                support_meetings_per_year=version.meetings,
                participation_duties=version.duties,
                eligible_categories=[categories[code] for code in spec.categories],
                eligible_profiles=spec.profiles,
            )
            for version in spec.versions
        ]
        for earlier in versions[spec.code][:-1]:
            earlier.refresh_from_db(fields=["valid_until"])  # closed by the next one
    return versions


def _advisers(org: Organisation, people: dict[str, Person]) -> dict[str, list[Person]]:
    """The advisers of each local office: the named staff and three advisers the demo adds."""
    added = {}
    for key, first, last, gender in ADVISERS:
        person = core_actions.add_person(
            None,
            organisation=org,
            first_name=first,
            last_name=last,
            email=f"{first.lower().replace('é', 'e')}.{last.lower()}@example.org",
            preferred_language="fr",
            gender=gender,
        )
        core_actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
        added[key] = person
    return {
        "bureau-charleroi": [people["sofia"], added["ophelie"]],
        "bureau-bruxelles": [people["camille"], added["romain"]],
        "bureau-liege": [added["aline"]],
        "kantoor-gent": [people["thomas"]],
    }


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + DAY * rng.randint(0, max((last - first).days, 0))


def _plans(
    rng: random.Random,
    org: Organisation,
    people: dict[str, Person],
    advisers: dict[str, list[Person]],
) -> list[Plan]:
    """Decide every activity's story: profile, path, dates, holders, office and advisers."""
    members = list(
        Member.objects.filter(organisation=org, status=Member.Status.ADMITTED)
        .select_related("person", "representative", "category")
        .order_by("number")
    )
    jonas = next(m for m in members if m.person_id == people["jonas"].pk)
    legal = [m for m in members if m.kind == Member.Kind.LEGAL]
    representatives = {m.representative_id for m in legal}
    naturals = [
        m
        for m in members
        if m.kind == Member.Kind.NATURAL
        and m.category.code == "A"
        and m is not jonas
        and m.person_id not in representatives
    ]
    pool: list[Member] = []

    def take(exclude: Sequence[Member] = ()) -> Member:
        if not pool:
            pool.extend(naturals)
            rng.shuffle(pool)
        for index, member in enumerate(pool):
            if member not in exclude:
                return pool.pop(index)
        return pool.pop()

    total = ACTIVITIES - 1  # Jonas's comes on top
    profiles = _split(total, PROFILE_SHARES, INDIVIDUAL)
    fates = _split(total, FATE_SHARES, "active")
    rng.shuffle(profiles)
    rng.shuffle(fates)
    windows = {
        "active": (D(2023, 2, 1), D(2026, 5, 31)),
        "paused": (D(2023, 2, 1), D(2025, 6, 30)),
        "resumed": (D(2023, 2, 1), D(2025, 3, 31)),
        "exited": (D(2023, 2, 1), D(2025, 6, 30)),
        "integrated": (D(2026, 3, 1), D(2026, 9, 30)),
        "candidate": (D(2026, 6, 1), D(2026, 11, 20)),
        "enrolling": (D(2026, 8, 1), D(2026, 11, 6)),
        "not_admitted": (D(2025, 9, 1), D(2026, 3, 31)),
    }
    plans = [
        Plan(profile, fate, _day(rng, *windows[fate]))
        for profile, fate in zip(profiles, fates, strict=True)
    ]
    # The three legal-person members hold a collective activity each, on its way since 2023.
    collectives = [p for p in plans if p.profile == COLLECTIVE and p.fate == "active"]
    for plan, member in zip(collectives, legal, strict=False):
        plan.holders = [member]
        plan.name, plan.sector = LEGAL_COLLECTIVES[member.legal_name]
        plan.description = f"Activité collective portée par {member.legal_name}, membre C."
        plan.started_on = _day(rng, D(2023, 2, 1), D(2023, 9, 30))
    # Holders: one member each; two to four for most collectives.
    for plan in plans:
        size = rng.choice((1, 2, 2, 3, 3, 4)) if plan.profile == COLLECTIVE else 1
        while len(plan.holders) < size:
            plan.holders.append(take(plan.holders))
    # An activity starts after its holders' admission.
    for plan in plans:
        admitted = max(m.admission_date or START for m in plan.holders)
        if plan.started_on < admitted + 30 * DAY:
            plan.started_on = admitted + DAY * rng.randint(30, 90)
        if plan.fate in ("integrated", "candidate", "enrolling"):
            plan.started_on = max(plan.started_on, windows[plan.fate][0])
    jonas_plan = Plan(
        INDIVIDUAL,
        "active",
        D(2026, 1, 12),
        office="bureau-charleroi",
        name="Peeters Vertalingen — traduction et sous-titrage",
        sector="Traduction",
        description=(
            "Traduction néerlandais-français et sous-titrage pour des festivals et des "
            "producteurs de documentaires."
        ),
        holders=[jonas],
        advisers=[people["sofia"]],
        script=JONAS,
    )
    _offices(rng, plans, advisers)
    _names(rng, plans)
    _paths(rng, plans)
    _features(rng, plans, people["sofia"])
    plans.append(jonas_plan)
    _jonas_story(jonas_plan)
    return sorted(plans, key=lambda p: (p.started_on, p.name))


def _split(total: int, shares: dict[str, float], rest: str) -> list[str]:
    """`total` items split by shares (at least one each), the remainder to `rest`."""
    items = [key for key, share in shares.items() for _n in range(max(1, round(total * share)))]
    return items[:total] + [rest] * (total - len(items))


def _offices(rng: random.Random, plans: list[Plan], advisers: dict[str, list[Person]]) -> None:
    charleroi = min(max(round(len(plans) * CHARLEROI[0]), CHARLEROI[1]), len(plans))
    slots = ["bureau-charleroi"] * charleroi + _split(
        len(plans) - charleroi, OFFICE_SHARES, "kantoor-gent"
    )
    rng.shuffle(slots)
    seen: dict[str, int] = {}
    sofia_leads = min(SOFIA_LEADS, charleroi - charleroi // 4)
    for plan, office in zip(plans, slots, strict=True):
        plan.office = office
        index = seen[office] = seen.get(office, -1) + 1
        team = advisers[office]
        lead = team[index % len(team)]  # Brussels: Camille and Romain in turn
        if office == "bureau-charleroi":  # Sofia leads most, Ophélie the others
            lead = team[0] if index < sofia_leads else team[1]
        plan.advisers = [lead]
        if plan.profile == COLLECTIVE and len(team) > 1:
            plan.advisers.append(next(p for p in team if p != lead))


def _names(rng: random.Random, plans: list[Plan]) -> None:
    used: set[str] = set()
    collective_names = {sector: list(names) for sector, names in COLLECTIVE_NAMES.items()}
    for plan in plans:
        if plan.name or plan.profile == CONTRIBUTOR:
            used.add(plan.name)
            continue
        person = plan.holders[0].person
        assert person is not None
        if plan.profile == COLLECTIVE:
            sector = rng.choice(
                [s for s in PROFILE_SECTORS[COLLECTIVE] if collective_names[s]]
                or PROFILE_SECTORS[COLLECTIVE]
            )
            names = collective_names[sector]
            plan.sector = sector
            plan.name = names.pop(0) if names else f"Collectif {person.last_name} — {sector}"
            plan.description = (
                f"Entreprise collective de {len(plan.holders)} membres, secteur {sector.lower()}."
            )
        else:
            plan.sector = rng.choice(PROFILE_SECTORS[plan.profile])
            trade = SECTOR_TRADES[plan.sector]
            plan.name = f"{person.full_name} — {trade}"
            if plan.profile == OCCASIONAL:
                plan.description = f"Missions ponctuelles de {trade.lower()}."
            else:
                plan.description = f"Activité de {trade.lower()} avec son propre budget."
        if plan.name in used:
            plan.name = f"{plan.name} ({plan.started_on.year})"
        used.add(plan.name)
    hosts = [
        p
        for p in plans
        if p.profile in (INDIVIDUAL, COLLECTIVE) and p.fate in ("active", "resumed", "paused")
    ]
    for plan in plans:
        if plan.profile != CONTRIBUTOR:
            continue
        earlier = [h for h in hosts if h.started_on + 60 * DAY <= plan.started_on]
        host = rng.choice(earlier or hosts)
        if not earlier:
            plan.started_on = host.started_on + DAY * rng.randint(60, 120)
        plan.sector = host.sector
        role = rng.choice(CONTRIBUTOR_ROLES.get(host.sector, CONTRIBUTOR_DEFAULT_ROLES))
        plan.name = f"{role} pour « {host.name} »"
        if plan.name in used:
            plan.name = f"{plan.name} ({plan.started_on.year})"
        used.add(plan.name)
        plan.description = f"Contribution de {role.lower()} dans l'activité « {host.name} »."


def _paths(rng: random.Random, plans: list[Plan]) -> None:
    """The dated path of each activity and the variants it was in."""
    exits = list(EXITS)
    changers = {INDIVIDUAL: 4, COLLECTIVE: 2}
    for plan in plans:
        start = plan.started_on
        if plan.fate in ("candidate", "not_admitted"):
            if plan.fate == "not_admitted":
                plan.exited_on = start + DAY * rng.randint(45, 90)
                plan.exit = (PathStage.ExitReason.NOT_ADMITTED, NOT_ADMITTED)
            continue
        if plan.fate == "enrolling":
            # Commitments sent, the member accepted; the office has yet to sign.
            enrolled = min(start + DAY * rng.randint(20, 40), DEMO_TODAY)
            plan.variants = [(FIRST_OFFER[plan.profile], enrolled)]
            continue
        enrolled = max(start + DAY * rng.randint(10, 45), START + DAY * rng.randint(0, 29))
        first = FIRST_OFFER[plan.profile]
        change: datetime.date | None = None
        if plan.fate == "active" and changers.get(plan.profile, 0) and start < D(2025, 3, 1):
            changers[plan.profile] -= 1
            first = "missions-occasionnelles" if plan.profile == INDIVIDUAL else first
            first = "activite-individuelle" if plan.profile == COLLECTIVE else first
            change = min(enrolled + DAY * rng.randint(240, 540), D(2026, 9, 1))
        plan.variants = [(first, enrolled)]
        if plan.fate == "integrated":
            continue
        plan.active_on = enrolled + DAY * rng.randint(15, 75)
        if change is not None:
            change = max(change, plan.active_on + 30 * DAY)
            plan.variants.append((FIRST_OFFER[plan.profile], change))
        if plan.fate in ("paused", "resumed"):
            plan.paused_on = max(
                plan.active_on + DAY * rng.randint(150, 500),
                D(2025, 6, 1) + DAY * rng.randint(0, 300),
            )
            plan.paused_on = min(plan.paused_on, D(2026, 10, 15))
            if plan.fate == "resumed":
                plan.paused_on = min(plan.paused_on, D(2026, 2, 1))
                plan.resumed_on = plan.paused_on + DAY * rng.randint(60, 180)
        if plan.fate == "exited":
            plan.exit = exits.pop(0) if exits else EXITS[len(plan.name) % len(EXITS)]
            plan.exited_on = min(plan.active_on + DAY * rng.randint(200, 700), D(2026, 11, 13))
            if plan.exit[0] == PathStage.ExitReason.EXCLUDED:
                plan.exited_on = max(plan.exited_on, D(2026, 6, 15))
                plan.unpaid = 3
        plan.turnover = rng.randint(*TURNOVER[plan.profile])


def _features(rng: random.Random, plans: list[Plan], sofia: Person) -> None:
    """What the advisers should act on: activities not met for months, contributions unpaid,
    shares not verified, commitments to review; which activities evaluate their grid and state
    their needs. Sofia gets her share of each."""
    ongoing = [
        p
        for p in plans
        if p.fate in ("active", "resumed") and p.active_on and p.active_on < D(2025, 10, 1)
    ]
    hers = [p for p in ongoing if sofia in p.advisers]
    others = [p for p in ongoing if sofia not in p.advisers]

    def pick(count_hers: int, count_others: int, taken: set[int]) -> list[Plan]:
        free_hers = [p for p in hers if id(p) not in taken]
        free_others = [p for p in others if id(p) not in taken]
        chosen = rng.sample(free_hers, min(count_hers, len(free_hers))) + rng.sample(
            free_others, min(count_others, len(free_others))
        )
        taken.update(id(p) for p in chosen)
        return chosen

    taken: set[int] = set()
    for plan in pick(3, 10, taken):
        plan.neglected = True
    for plan in pick(3, 6, taken):
        plan.unpaid = rng.choice((1, 1, 2))
    for plan in pick(2, 4, taken):
        plan.shares = "missing"
    for plan in pick(1, 2, set()):
        plan.shares = "short" if plan.shares == "ok" else plan.shares
    for plan in pick(1, 4, set()):
        plan.review_due = True
    gridded = [
        p
        for p in plans
        if p.profile in (INDIVIDUAL, COLLECTIVE)
        and p.active_on is not None
        and p.variants[0][1] < D(2026, 1, 1)
    ]
    for plan in rng.sample(gridded, min(29, len(gridded))):
        plan.evaluated = True
    for index, plan in enumerate(p for p in plans if p.fate not in ("exited", "not_admitted")):
        plan.needs = index % 3 == 0 or sofia in plan.advisers


def _jonas_story(plan: Plan) -> None:
    """Jonas's translation activity: a candidate in January 2026, integrated in February in
    the individual variant, active since April, followed by Sofia."""
    plan.variants = [("activite-individuelle", D(2026, 2, 2))]
    plan.active_on = D(2026, 4, 1)
    plan.turnover = 4200
    plan.evaluated = plan.needs = True


def _next_quarter(start: datetime.date) -> datetime.date:
    return D(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)


def _quarters(
    first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar quarters that start on or after `first` and end on or before `last`."""
    start = D(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    if start < first:
        start = _next_quarter(start)
    quarters = []
    while (end := _next_quarter(start) - DAY) <= last:
        quarters.append((start, end))
        start = end + DAY
    return quarters


def _variant_on(plan: Plan, day: datetime.date) -> str:
    """The variant the plan's activity is in on `day` (its first before it enters)."""
    current = plan.variants[0][0]
    for code, start in plan.variants:
        if start <= day:
            current = code
    return current


def _anniversary_after(day: datetime.date, after: datetime.date) -> datetime.date:
    """The first anniversary of `day` strictly after `after`."""
    for year in range(after.year, after.year + 3):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            candidate = D(year, 2, 28)
        if candidate > after:
            return candidate
    return after + 365 * DAY


class _Player:
    """Plays each plan through the offers' actions, in the order things happened."""

    def __init__(
        self,
        org: Organisation,
        rng: random.Random,
        units: dict[str, Unit],
        services: dict[str, Service],
        versions: dict[str, list[OfferVersion]],
        grid: list[Competence],
        today: datetime.date,
    ) -> None:
        self.org = org
        self.rng = rng
        self.units = units
        self.services = services
        self.versions = versions
        self.grid = grid
        self.today = today

    def version(self, code: str, day: datetime.date) -> OfferVersion:
        return next(v for v in self.versions[code] if v.is_valid_on(day))

    def play(self, plan: Plan) -> None:
        lead = plan.advisers[0]
        activity = actions.open_activity(
            lead,
            organisation=self.org,
            name=plan.name,
            sector=plan.sector,
            profile=plan.profile,
            started_on=plan.started_on,
            holders=plan.holders,
            advisers=plan.advisers,
            office=self.units[plan.office],
            description=plan.description,
        )
        holdings = list(Holding.objects.filter(activity=activity).select_related("member"))
        for holding in holdings:
            holding.activity = activity  # known already, with its organisation
        signatory = plan.holders[0].person or plan.holders[0].representative
        assert signatory is not None
        enrolment = None
        for index, (code, start) in enumerate(plan.variants):
            version = self.version(code, start)
            enrolment = actions.enrol(lead, activity=activity, version=version, starts_on=start)
            asked = max(start - DAY * self.rng.randint(5, 12), plan.started_on)
            actions.accept_commitments(
                signatory,
                enrolment=enrolment,
                side="member",
                at=at(asked.year, asked.month, asked.day, 18, 30),
            )
            if plan.fate == "enrolling":
                break
            signed = max(start - DAY * self.rng.randint(0, 3), asked)
            actions.accept_commitments(
                lead,
                enrolment=enrolment,
                side="cooperative",
                at=at(signed.year, signed.month, signed.day, 11),
            )
            if index == 0:
                self.verify(plan, lead, holdings, version, signed)
                actions.advance(
                    lead,
                    activity=activity,
                    stage=Stage.INTEGRATED,
                    on=start,
                    note="Engagements acceptés de part et d'autre.",
                )
                if plan.active_on is not None:
                    actions.advance(
                        lead,
                        activity=activity,
                        stage=Stage.ACTIVE,
                        on=plan.active_on,
                        note="Premières factures émises.",
                    )
            elif code != plan.variants[index - 1][0]:  # a change of variant: shares again
                self.verify(plan, lead, holdings, version, signed)
        if plan.paused_on is not None:
            actions.advance(
                lead,
                activity=activity,
                stage=Stage.PAUSED,
                on=plan.paused_on,
                note=self.rng.choice(PAUSE_NOTES),
            )
        if plan.resumed_on is not None:
            actions.advance(
                lead,
                activity=activity,
                stage=Stage.ACTIVE,
                on=plan.resumed_on,
                note="Reprise de l'activité.",
            )
        if (
            enrolment is not None
            and plan.exited_on is None
            and not plan.review_due
            and enrolment.review_on <= self.today
        ):
            actions.review_commitments(
                lead,
                enrolment=enrolment,
                next_review_on=_anniversary_after(enrolment.starts_on, self.today),
                note="Revue annuelle des engagements au rendez-vous d'accompagnement.",
            )
        if plan.exited_on is not None and plan.exit is not None:
            reason, note = plan.exit
            actions.advance(
                lead,
                activity=activity,
                stage=Stage.EXITED,
                on=plan.exited_on,
                note=note,
                exit_reason=reason,
            )
        self.contributions(plan, activity, lead)
        self.meetings(plan, activity)
        self.milestones(plan, activity, lead)
        if plan.evaluated:
            self.evaluations(plan, activity, lead)
        if plan.needs:
            self.needs(plan, activity, signatory)

    def verify(
        self,
        plan: Plan,
        lead: Person,
        holdings: list[Holding],
        version: OfferVersion,
        on: datetime.date,
    ) -> None:
        if plan.shares == "missing":
            return
        for index, holding in enumerate(holdings):
            shares = version.shares_required + self.rng.choice((0, 0, 0, 1, 3))
            if plan.shares == "short" and index == 0 and version.shares_required > 1:
                shares = version.shares_required - 1
            actions.verify_shares(lead, holding=holding, shares=shares, on=on)

    def contributions(self, plan: Plan, activity: Activity, lead: Person) -> None:
        if plan.active_on is None:
            return
        quarters = _quarters(max(plan.active_on, CONTRIBUTIONS_FROM), LAST_QUARTER_END)
        if plan.exited_on is not None:
            quarters = [q for q in quarters if q[0] < plan.exited_on]
        if plan.paused_on is not None:
            resumed = plan.resumed_on or datetime.date.max
            quarters = [q for q in quarters if q[1] < plan.paused_on or q[0] >= resumed]
        unpaid = set(quarters[-plan.unpaid :]) if plan.unpaid else set()
        value_added = {
            start
            for code, start in plan.variants
            if self.version(code, start).contribution_base == OfferVersion.Base.VALUE_ADDED
        }
        level = plan.turnover
        for start, end in quarters:
            level = int(level * self.rng.uniform(0.95, 1.12))
            turnover = Decimal(int(level * self.rng.uniform(0.6, 1.4)))
            covering = max(s for _c, s in plan.variants if s <= start)
            base = (
                (turnover * Decimal(self.rng.randint(45, 60)) / 100).quantize(Decimal(1))
                if covering in value_added
                else turnover
            )
            due_on = end + 30 * DAY
            contribution = actions.record_contribution(
                lead,
                activity=activity,
                period_start=start,
                period_end=end,
                base_amount=base,
                due_on=due_on,
            )
            if (start, end) in unpaid:
                if self.rng.random() < 0.3 and due_on < DEMO_TODAY:
                    actions.record_payment(
                        lead,
                        contribution=contribution,
                        amount=(contribution.amount_due / 3).quantize(Decimal("0.01")),
                        paid_on=due_on + 10 * DAY,
                    )
                continue
            paid_on = min(due_on - DAY * self.rng.randint(0, 25), DEMO_TODAY)
            actions.record_payment(
                lead, contribution=contribution, amount=contribution.amount_due, paid_on=paid_on
            )

    def schedule(self, plan: Plan) -> list[tuple[datetime.date, str]]:
        """The support meetings held since 2024, as (day, kind)."""
        if plan.script is not None:
            return [(day, "scripted") for day, *_texts in plan.script.meetings]
        rng = self.rng
        meetings: list[tuple[datetime.date, str]] = []
        start = plan.started_on
        if start >= MEETINGS_FROM or plan.fate in ("candidate", "enrolling", "not_admitted"):
            if plan.fate == "candidate" and rng.random() < 0.25:
                return []  # not met yet
            meetings.append((start + DAY * rng.randint(3, 14), "intake"))
        if not plan.variants:
            return [m for m in meetings if m[0] <= DEMO_TODAY]
        stop = plan.exited_on or DEMO_TODAY
        if plan.neglected:
            stop = DEMO_TODAY - DAY * rng.randint(200, 320)
        day = max(
            (meetings[-1][0] if meetings else MEETINGS_FROM) + DAY * rng.randint(30, 60),
            plan.variants[0][1] + DAY * rng.randint(14, 40),
            MEETINGS_FROM + DAY * rng.randint(7, 60),
        )
        while day <= stop:
            code = _variant_on(plan, day)
            kind = "follow"
            if plan.paused_on and plan.paused_on <= day < (plan.resumed_on or datetime.date.max):
                kind = "pause"
            meetings.append((day, kind))
            day += DAY * (INTERVALS[code] - rng.randint(0, 25))
        if plan.exited_on is not None and plan.exit is not None:
            last = plan.exited_on - DAY * rng.randint(0, 12)
            if not meetings or last > meetings[-1][0]:
                meetings.append((last, "exit"))
        return [m for m in meetings if m[0] <= DEMO_TODAY]

    def meetings(self, plan: Plan, activity: Activity) -> None:
        rng = self.rng
        held = self.schedule(plan)
        people = [h.person or h.representative for h in plan.holders]
        holders = [p for p in people if p is not None]
        # The next meeting is planned when it is near, or overdue; a new candidate's intake
        # too. Activities left aside are not: their follow-up is due.
        planned: datetime.date | None = None
        soon = self.today + DAY * rng.randint(3, 21)
        last = held[-1][0] if held else None
        code = plan.variants[-1][0] if plan.variants else FIRST_OFFER[plan.profile]
        if plan.exited_on is not None or plan.neglected:
            pass
        elif plan.script is not None:
            planned = self.today + 12 * DAY
        elif last is None:
            planned = soon if plan.started_on >= DEMO_TODAY - 30 * DAY else None
        else:
            due = last + INTERVALS[code] * DAY
            if due - DEMO_TODAY <= 60 * DAY or (DEMO_TODAY - last).days > 150:
                planned = max(due, soon)
        dates = [day for day, _kind in held] + ([planned] if planned else [])
        collective = plan.profile == COLLECTIVE
        for index, (day, kind) in enumerate(held):
            texts = {
                "intake": rng.choice(INTAKE),
                "follow": rng.choice(COLLECTIVE_FOLLOW + FOLLOW if collective else FOLLOW),
                "pause": PAUSE_MEETING,
                "exit": EXIT_MEETING,
                "scripted": plan.script.meetings[index][1:] if plan.script else PLANNED,
            }[kind]
            status = SupportMeeting.Status.HELD
            if kind == "follow" and rng.random() < 0.03:
                status = SupportMeeting.Status.CANCELLED
            attendance: dict[Person, str] = {}
            for person in holders:
                value = ATTENDED
                if plan.neglected or plan.unpaid:
                    value = rng.choice((ATTENDED, ATTENDED, ABSENT))
                elif len(holders) > 1 and rng.random() < 0.2:
                    value = EXCUSED
                attendance[person] = EXCUSED if status == "cancelled" else value
            following = dates[index + 1] if index + 1 < len(dates) else None
            if following is None and plan.exited_on is None:
                code = max(plan.variants, key=lambda c: c[1])[0] if plan.variants else ""
                following = day + INTERVALS.get(code, 180) * DAY
            actions.record_support_meeting(
                plan.advisers[0],
                activity=activity,
                held_on=day,
                advisers=plan.advisers[: 1 + (collective and rng.random() < 0.5)],
                attendance=attendance,
                status=status,
                objectives=texts[0],
                agreed_actions=texts[1] if status == SupportMeeting.Status.HELD else "",
                next_steps=texts[2] if status == SupportMeeting.Status.HELD else "",
                next_meeting_on=following,
            )
        if planned is not None:
            actions.record_support_meeting(
                plan.advisers[0],
                activity=activity,
                held_on=planned,
                advisers=plan.advisers[:1],
                attendance={p: "registered" for p in holders},
                status=SupportMeeting.Status.PLANNED,
                objectives=plan.script.planned if plan.script else rng.choice(PLANNED),
            )

    def milestones(self, plan: Plan, activity: Activity, lead: Person) -> None:
        if not plan.variants or plan.fate == "enrolling":
            return
        rng = self.rng
        steps: list[tuple[str, datetime.date, datetime.date | None]] = []
        day = plan.variants[0][1]
        for title in MILESTONES[plan.profile][: 2 if plan.evaluated else 1]:
            due = day + DAY * rng.randint(45, 200)
            done = due + DAY * rng.randint(-30, 40)
            reached = (
                not plan.neglected
                and rng.random() >= 0.15  # some are late
                and plan.started_on <= done <= min(plan.exited_on or DEMO_TODAY, DEMO_TODAY)
            )
            steps.append((title, due, done if reached else None))
            day = due
        for title, due, done_on in plan.script.milestones if plan.script else steps:
            milestone = actions.add_activity_milestone(
                lead, activity=activity, title=title, due_on=due
            )
            if done_on is not None:
                actions.reach_activity_milestone(lead, milestone=milestone, done_on=done_on)

    def evaluations(self, plan: Plan, activity: Activity, lead: Person) -> None:
        rng = self.rng
        if plan.script is not None:
            for day, values, comment in plan.script.grid:
                actions.evaluate(
                    lead,
                    activity=activity,
                    evaluated_on=day,
                    scores=dict(zip(self.grid, values, strict=True)),
                    comment=comment,
                )
            return
        entered = plan.variants[0][1]
        last = min(plan.exited_on or DEMO_TODAY, DEMO_TODAY)
        days = [entered] if entered >= D(2024, 1, 1) else []
        days += [d for d in EVALUATION_DEADLINES if entered + 60 * DAY <= d <= last]
        days = days[-4:]
        scores = {c: rng.choice((1, 1, 2, 2, 3)) for c in self.grid}
        for index, day in enumerate(days):
            if index:
                scores = {c: min(s + (rng.random() < 0.45), 4) for c, s in scores.items()}
            average = sum(scores.values()) / len(scores)
            comment = (
                "Grille d'entrée, établie avec les porteurs."
                if index == 0
                else "Progrès sur les prix et la gestion du budget."
                if average >= 2.5
                else "Progrès lents : formation aux devis proposée."
            )
            actions.evaluate(
                lead, activity=activity, evaluated_on=day, scores=scores, comment=comment
            )

    def needs(self, plan: Plan, activity: Activity, person: Person) -> None:
        rng = self.rng
        weights = NEED_WEIGHTS[plan.profile]
        stated = []
        for code in sorted(
            rng.sample(list(self.services), rng.randint(3, 4)), key=list(self.services).index
        ):
            level = rng.choices((ESSENTIAL, USEFUL, NOT_NEEDED), weights=weights[code])[0]
            comment = rng.choice(NEED_COMMENTS[code]) if rng.random() < 0.3 else ""
            stated.append((code, level, comment))
        for code, level, comment in plan.script.needs if plan.script else stated:
            actions.state_need(
                person,
                activity=activity,
                service=self.services[code],
                level=level,
                comment=comment,
            )


def _feed_needs(org: Organisation, people: dict[str, Person], dossier: Dossier) -> None:
    """The needs, aggregated per service, feed the offer's dossier at the December 2026 board
    meeting (its minutes are still to write)."""
    december = Meeting.objects.get(
        organisation=org, kind__category="ordinary", starts_at__year=2026, starts_at__month=12
    )
    summaries = [s for s in needs_summary(org) if s.total]
    activities = (
        Need.objects.filter(service__organisation=org)
        .exclude(activity__stage=Stage.EXITED)
        .values("activity")
        .distinct()
    )
    lines = [
        f"Besoins exprimés par {activities.count()} activités, par service "
        "(essentiel / utile / pas nécessaire) :"
    ]
    lines += [
        f"- {s.service.name} : {s.counts[ESSENTIAL]} / {s.counts[USEFUL]} / {s.counts[NOT_NEEDED]}"
        for s in summaries
    ]
    lines.append(
        "Ces besoins alimentent le bilan des quatre déclinaisons testées depuis juin 2023."
    )
    dossier_actions.put_on_agenda(
        people["claire"],
        dossier=dossier,
        meeting=december,
        stage="inform",
        title="Refonte de l'offre : besoins exprimés par les activités",
    )
    actions.feed_needs(
        people["mathieu"], dossier=dossier, meeting=december, summary="\n".join(lines)
    )
