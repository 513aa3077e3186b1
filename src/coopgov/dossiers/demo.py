"""Dossiers of the demo cooperative: the narrowed 2025 strategy (informed, worked at the
seminar, decided), the redesign of the service offer (seminar orientations, the works
council consulted because it is a structural change, the board's decision), the 2023 budget,
the diversity plan waiting for the CPPT's opinion, and the actions that followed."""

from __future__ import annotations

import datetime

from coopgov.bodies.models import Body
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import actions
from coopgov.dossiers.models import ConsultationRule
from coopgov.meetings.models import AgendaItem, Meeting
from coopgov.meetings.rules import quorum

D = datetime.date


def _meeting(org: Organisation, year: int, month: int, category: str = "ordinary") -> Meeting:
    return Meeting.objects.get(
        organisation=org, kind__category=category, starts_at__year=year, starts_at__month=month
    )


def _item(meeting: Meeting, title_start: str) -> AgendaItem:
    return meeting.items.get(title__startswith=title_start)


def _present(meeting: Meeting) -> int:
    return quorum(meeting).counted


def load(org: Organisation, people: dict[str, Person]) -> None:
    claire = people["claire"]
    bodies = {body.code: body for body in Body.objects.filter(organisation=org)}
    ConsultationRule.objects.create(
        organisation=org,
        tag="structural_change",
        consulted_body=bodies["ce"],
        kind="consultation",
        lead_days=60,
    )
    ConsultationRule.objects.create(
        organisation=org,
        tag="well_being",
        consulted_body=bodies["cppt"],
        kind="opinion",
        lead_days=30,
    )

    # Budget 2023: decided in November 2022.
    budget = actions.open_dossier(
        claire,
        organisation=org,
        title="Budget 2023",
        tags=["budget"],
        origin_body=bodies["ad"],
        owner=people["laurent"],
        opened_on=D(2022, 9, 1),
    )
    november = _meeting(org, 2022, 11)
    item = _item(november, "Budget de l'année prochaine")
    actions.link_item(claire, dossier=budget, item=item, stage="decide")
    voters = _present(november)
    decision = actions.record_decision(
        claire,
        item=item,
        title="Budget 2023",
        text="Le conseil adopte le budget 2023 présenté par la direction financière.",
        method="hands",
        majority="simple",
        yes=voters - 2,
        no=1,
        abstain=1,
        summary="Le budget 2023 est adopté.",
    )
    actions.add_action(
        claire,
        decision=decision,
        title="Suivi trimestriel de l'exécution du budget",
        owner=people["laurent"],
        due_on=D(2023, 12, 31),
    )

    # The narrowed 2025 strategy: informed in November 2022, worked at the seminar, decided in March 2023.
    strategy = actions.open_dossier(
        claire,
        organisation=org,
        title="Stratégie 2025 resserrée",
        description="Resserrer la stratégie 2021-2025 autour des changements à voir aboutir d'ici 2025.",
        tags=["strategy"],
        origin_body=bodies["ca"],
        owner=people["isabelle"],
        opened_on=D(2022, 10, 15),
    )
    actions.put_on_agenda(
        claire,
        dossier=strategy,
        meeting=november,
        stage="inform",
        title="Stratégie 2025 resserrée : présentation",
    )
    seminar = _meeting(org, 2023, 1, "seminar")
    actions.link_item(
        claire, dossier=strategy, item=_item(seminar, "Stratégie Mutualis 2025"), stage="orient"
    )
    actions.add_action(
        claire,
        meeting=seminar,
        title="Envoyer la synthèse du séminaire à tous les organes",
        owner=claire,
        due_on=D(2023, 2, 15),
    )
    march = _meeting(org, 2023, 3)
    appearance = actions.put_on_agenda(
        claire,
        dossier=strategy,
        meeting=march,
        stage="decide",
        title="Stratégie 2025 resserrée : adoption",
    )
    # A strategic vote: each director's vote is on record (roll call).
    roll = sorted(quorum(march, appearance.item).voters)
    decision = actions.record_decision(
        claire,
        item=appearance.item,
        title="Adoption de la stratégie 2025 resserrée",
        text="Le conseil adopte la stratégie resserrée et ses trois priorités.",
        method="roll_call",
        majority="absolute",
        votes={person: "abstain" if index == 0 else "yes" for index, person in enumerate(roll)},
        summary="La stratégie resserrée est adoptée.",
    )
    actions.add_action(
        claire,
        decision=decision,
        title="Raconter la stratégie aux sociétaires dans Kronik",
        owner=people["sarah"],
        due_on=D(2023, 6, 30),
    )

    # The redesign of the service offer: a structural change, so the works council is consulted.
    offer = actions.open_dossier(
        claire,
        organisation=org,
        title="Refonte de l'offre de services",
        description="Quatre déclinaisons de l'offre, avec les services rendus et l'engagement réciproque.",
        tags=["services", "structural_change"],
        origin_body=bodies["ca"],
        owner=people["mathieu"],
        opened_on=D(2023, 1, 20),
    )
    actions.link_item(
        claire, dossier=offer, item=_item(seminar, "Quatre déclinaisons"), stage="orient"
    )
    consultation = offer.consultations.get()
    actions.record_opinion(
        claire,
        consultation=consultation,
        opinion="Avis favorable, à condition d'un plan de formation des conseillers et d'un suivi de la charge de travail.",
        given_on=D(2023, 3, 14),
    )
    may = _meeting(org, 2023, 5)
    appearance = actions.put_on_agenda(
        claire,
        dossier=offer,
        meeting=may,
        stage="decide",
        title="Refonte de l'offre : adoption des quatre déclinaisons",
    )
    voters = _present(may)
    decision = actions.record_decision(
        claire,
        item=appearance.item,
        title="Adoption des quatre déclinaisons de l'offre",
        text="Le conseil adopte les quatre déclinaisons comme hypothèses de travail, à tester avec des activités volontaires.",
        method="hands",
        majority="absolute",
        yes=voters - 1,
        no=0,
        abstain=1,
    )
    actions.add_action(
        claire,
        decision=decision,
        title="Tester les quatre déclinaisons avec quarante activités",
        owner=people["mathieu"],
        due_on=D(2027, 3, 31),
    )
    actions.add_action(
        claire,
        decision=decision,
        title="Plan de formation des conseillers",
        owner=people["veronique"],
        due_on=D(2026, 9, 30),
    )

    # What each body expected from the others at the meeting of all bodies, January 2023.
    meeting = Meeting.objects.get(organisation=org, kind__category="inter_body")
    voiced = [
        (
            "ce",
            "ca",
            "Être associé tôt aux projets qui changent l'organisation du travail.",
            "Une présentation au conseil d'entreprise dès l'orientation, avant toute décision.",
        ),
        (
            "cppt",
            "ad",
            "Recevoir le plan de prévention assez tôt pour rendre un avis réfléchi.",
            "",
        ),
        (
            "ethique",
            "ca",
            "Être saisi des questions de valeurs avant qu'elles ne deviennent des crises.",
            "",
        ),
        (
            "ca",
            "direction",
            "Des actualités de chaque direction à chaque séminaire.",
            "Un tour des directions ouvre chaque séminaire.",
        ),
    ]
    for source, target, text, answer in voiced:
        expectation = actions.voice_expectation(
            claire,
            from_body=bodies[source],
            to_body=bodies[target],
            text=text,
            meeting=meeting,
            voiced_on=D(2023, 1, 25),
        )
        if answer:
            actions.answer_expectation(claire, expectation=expectation, answer=answer)
    actions.add_information_duty(
        claire,
        from_body=bodies["ad"],
        to_body=bodies["ce"],
        title="Information économique et financière annuelle",
        period="annual",
    )
    actions.add_information_duty(
        claire,
        from_body=bodies["ad"],
        to_body=bodies["ce"],
        title="Information économique et financière trimestrielle",
        period="quarterly",
    )
    actions.add_information_duty(
        claire,
        from_body=bodies["ad"],
        to_body=bodies["ce"],
        title="Information sur les changements de structure",
        period="occasional",
    )

    # The diversity plan waits for the CPPT's opinion before the December 2026 board.
    diversity = actions.open_dossier(
        claire,
        organisation=org,
        title="Plan diversité",
        tags=["well_being", "values_ethics"],
        origin_body=bodies["ad"],
        owner=people["veronique"],
        opened_on=D(2026, 11, 16),
    )
    actions.put_on_agenda(
        claire,
        dossier=diversity,
        meeting=_meeting(org, 2026, 12),
        stage="decide",
        title="Plan diversité",
    )
