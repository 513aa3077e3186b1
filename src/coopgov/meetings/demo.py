"""Meetings of the demo cooperative: the board every two months through 2022 and 2023 with
agendas and approved minutes; the winter seminar of 24 and 25 January 2023 in Charleroi, as
the seed article tells it, and the meeting of all bodies that closed it; the next board
meetings; the June 2027 general assembly with the co-optation to confirm on its agenda."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from coopgov.bodies.models import Body, Confirmation
from coopgov.core.models import Organisation, Person, Unit
from coopgov.meetings import actions
from coopgov.meetings.models import Invitation, Meeting, MeetingKind


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))  # noqa: DTZ001


BOARD_TOPICS = {
    # month: items of that period (title, purpose)
    1: [("Plan d'action annuel", "discussion")],
    3: [
        ("Comptes annuels et rapport de gestion", "decision"),
        ("Préparation de l'assemblée générale", "discussion"),
    ],
    5: [
        ("Appel à candidatures au conseil d'administration", "information"),
        ("Ordre du jour de l'assemblée générale", "decision"),
    ],
    7: [("Bilan de l'assemblée générale", "information")],
    9: [("Suivi des chantiers de la stratégie", "discussion")],
    11: [
        ("Budget de l'année prochaine", "decision"),
        ("Avis du conseil d'entreprise sur le budget", "information"),
    ],
}


def load(org: Organisation, people: dict[str, Person]) -> None:
    bodies = {body.code: body for body in Body.objects.filter(organisation=org)}
    board = bodies["ca"]
    kinds = {
        "ordinary": actions.add_meeting_kind(
            None,
            body=board,
            code="ordinaire",
            name="Réunion du conseil d'administration",
            category="ordinary",
        ),
        "seminar": actions.add_meeting_kind(
            None,
            body=board,
            code="seminaire",
            name="Séminaire du conseil d'administration",
            category="seminar",
            notice_days=14,
        ),
        "inter": actions.add_meeting_kind(
            None,
            body=board,
            code="inter-instances",
            name="Rencontre inter-instances",
            category="inter_body",
            notice_days=14,
        ),
        "ag": actions.add_meeting_kind(
            None,
            body=bodies["ag"],
            code="ago",
            name="Assemblée générale ordinaire",
            category="general_assembly",
        ),
    }
    claire = people["claire"]
    _board_meetings(kinds["ordinary"], claire, people)
    _seminar(
        kinds, bodies, claire, people, Unit.objects.get(organisation=org, code="bureau-charleroi")
    )
    for title, purpose, months in (
        ("Budget de l'année prochaine", "decision", [11, 12]),
        ("Comptes annuels et rapport de gestion", "decision", [3, 4]),
        ("Ordre du jour de l'assemblée générale", "decision", [5]),
    ):
        actions.add_recurring_item(
            claire, kind=kinds["ordinary"], title=title, purpose=purpose, months=months
        )
    _upcoming(kinds, claire)


def _board_meetings(kind: MeetingKind, secretary: Person, people: dict[str, Person]) -> None:
    series = actions.plan_series(
        secretary,
        kind=kind,
        title="Conseil d'administration",
        first_starts_at=at(2022, 1, 11, 18),
        duration=datetime.timedelta(hours=3),
        every_months=2,
        count=12,
    )
    meetings = list(series.meetings.order_by("starts_at"))
    for index, meeting in enumerate(meetings):
        month = timezone.localtime(meeting.starts_at).month
        actions.add_to_agenda(
            secretary,
            meeting=meeting,
            title="Approbation du procès-verbal de la réunion précédente",
            purpose="decision",
            duration_minutes=5,
        )
        actions.add_to_agenda(
            secretary,
            meeting=meeting,
            title="Actualités de l'administration déléguée",
            purpose="information",
            duration_minutes=30,
            presenters=[people["isabelle"], people["frederic"]],
        )
        for title, purpose in BOARD_TOPICS.get(month, []):
            item = actions.add_to_agenda(
                secretary, meeting=meeting, title=title, purpose=purpose, duration_minutes=40
            )
            actions.record_outcome(
                secretary,
                meeting=meeting,
                item=item,
                kind="note",
                text="Le conseil en débat ; les remarques sont transmises à la direction.",
            )
        actions.convene(
            secretary,
            meeting=meeting,
            now=meeting.starts_at - datetime.timedelta(days=10),
            notify=False,
        )
        for position, invitation in enumerate(meeting.invitations.select_related("person")):
            absent = (
                invitation.capacity == Invitation.Capacity.VOTING and (position + index) % 9 == 0
            )
            actions.record_attendance(
                secretary, invitation=invitation, attendance="excused" if absent else "present"
            )
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])


def _seminar(
    kinds: dict[str, MeetingKind],
    bodies: dict[str, Body],
    secretary: Person,
    people: dict[str, Person],
    charleroi: Unit,
) -> None:
    venue: dict[str, Any] = {
        "venue": "Site de Monceau-Fontaine",
        "address": "Rue de Monceau-Fontaine 42/1, 6031 Charleroi",
        "access_notes": "Gare de Charleroi-Central puis bus 52 ; parking sur le site.",
        "host_unit": charleroi,
        "logistics": "Accueil par l'équipe de Charleroi avec l'équipe vie coopérative. Repas de midi et dîner du 24 sur place ; nuitée réservée à Charleroi.",
    }
    seminar = actions.schedule_meeting(
        secretary,
        kind=kinds["seminar"],
        title="Séminaire d'hiver du conseil d'administration",
        starts_at=at(2023, 1, 24, 9, 30),
        ends_at=at(2023, 1, 25, 17),
        **venue,
    )
    heads = [
        people[key]
        for key in ("isabelle", "frederic", "laurent", "veronique", "mathieu", "stijn", "sarah")
    ]
    programme: list[tuple[Any, ...]] = [
        (
            at(2023, 1, 24, 9, 30),
            at(2023, 1, 24, 10),
            "plenary",
            "Accueil et ouverture",
            "Pourquoi un séminaire : nourrir les travaux en cours, sans décider.",
            [people["marc"]],
        ),
        (
            at(2023, 1, 24, 10),
            at(2023, 1, 24, 12, 30),
            "news_round",
            "Actualités des directions",
            "Chaque direction partage ses actualités pour mieux appréhender les réalités opérationnelles.",
            heads,
        ),
        (at(2023, 1, 24, 12, 30), at(2023, 1, 24, 13, 30), "break", "Repas", "", []),
        (
            at(2023, 1, 24, 13, 30),
            at(2023, 1, 24, 16),
            "strategy",
            "La stratégie « resserrée » Mutualis 2025",
            "Vérifier ensemble que la stratégie est parlante et correspond aux besoins du moment.",
            [people["isabelle"], people["frederic"]],
        ),
        (
            at(2023, 1, 24, 16, 15),
            at(2023, 1, 24, 17, 45),
            "guest_talk",
            "Comment une coopérative accompagne ses activités dans la durée",
            "Les services aux membres et l'accompagnement des activités de transformation et de distribution en alimentation bio-locale.",
            [("Hélène Garnier", "GRAP, coopérative de la région lyonnaise")],
        ),
        (
            at(2023, 1, 25, 9),
            at(2023, 1, 25, 12, 30),
            "workshop",
            "Design de services : quatre déclinaisons de l'offre",
            "Services rendus et engagement réciproque pour les projets qui s'inscrivent dans la durée.",
            [people["mathieu"], people["sofia"]],
        ),
        (
            at(2023, 1, 25, 13, 30),
            at(2023, 1, 25, 17),
            "inter_body",
            "Rencontre des instances",
            "Le conseil d'administration, le conseil d'entreprise, le CPPT, le comité d'éthique et l'équipe de direction se rencontrent pour connaître leurs attentes respectives.",
            [],
        ),
    ]
    sessions = {}
    for starts_at, ends_at, kind, title, description, speakers in programme:
        sessions[kind] = actions.add_session(
            secretary,
            meeting=seminar,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind,
            title=title,
            description=description,
            speakers=speakers,
        )
    # The news round's items come from the directions' updates (strategy demo).
    for session_kind, title in (
        ("strategy", "Stratégie Mutualis 2025 : est-elle parlante ?"),
        ("guest_talk", "Intervention de GRAP"),
        ("workshop", "Quatre déclinaisons de l'offre de services"),
    ):
        actions.add_to_agenda(
            secretary,
            meeting=seminar,
            title=title,
            purpose="orientation"
            if session_kind == "strategy"
            else (
                "workshop"
                if session_kind == "workshop"
                else ("talk" if session_kind == "guest_talk" else "information")
            ),
            session=sessions[session_kind],
            duration_minutes=90,
        )
    actions.convene(secretary, meeting=seminar, now=at(2022, 12, 20, 10), notify=False)
    for invitation in seminar.invitations.all():
        actions.record_attendance(secretary, invitation=invitation, attendance="present")
    outcomes = [
        (
            "strategy",
            "orientation",
            "La stratégie resserrée parle aux administrateurs ; la prioriser autour de trois changements à voir aboutir d'ici 2025 et la raconter plus simplement aux sociétaires.",
        ),
        (
            "strategy",
            "orientation",
            "Vérifier chaque année, au séminaire, que les chantiers correspondent encore aux besoins du moment.",
        ),
        (
            "guest_talk",
            "note",
            "Chez GRAP, chaque activité a un accompagnateur attitré et une contribution coopérative assise sur le chiffre d'affaires.",
        ),
        (
            "workshop",
            "contribution",
            "Hypothèses de déclinaisons : activité occasionnelle ; activité qui démarre ; activité installée ; collectif. Pour chacune : services rendus, engagements réciproques, contribution.",
        ),
        (
            "workshop",
            "orientation",
            "Soumettre les déclinaisons au conseil d'entreprise avant toute décision du conseil.",
        ),
    ]
    for session_kind, kind, text in outcomes:
        actions.record_outcome(
            secretary, meeting=seminar, session=sessions[session_kind], kind=kind, text=text
        )
    seminar.status = Meeting.Status.HELD
    seminar.save(update_fields=["status"])

    meeting = actions.schedule_meeting(
        secretary,
        kind=kinds["inter"],
        title="Rencontre des instances",
        starts_at=at(2023, 1, 25, 13, 30),
        ends_at=at(2023, 1, 25, 17),
        other_bodies=[bodies[code] for code in ("ce", "cppt", "ethique", "direction")],
        **venue,
    )
    actions.add_session(
        secretary,
        meeting=meeting,
        starts_at=at(2023, 1, 25, 13, 30),
        ends_at=at(2023, 1, 25, 15, 30),
        kind="inter_body",
        title="Ce que chaque instance attend des autres",
        description="Mieux se connaître dans une logique de dialogue social coopératif.",
    )
    actions.add_session(
        secretary,
        meeting=meeting,
        starts_at=at(2023, 1, 25, 15, 45),
        ends_at=at(2023, 1, 25, 17),
        kind="plenary",
        title="Relations inter-instances et travail commun",
    )
    actions.add_to_agenda(
        secretary,
        meeting=meeting,
        title="Attentes réciproques des instances",
        purpose="discussion",
        duration_minutes=120,
    )
    actions.convene(secretary, meeting=meeting, now=at(2022, 12, 20, 10), notify=False)
    for invitation in meeting.invitations.all():
        actions.record_attendance(secretary, invitation=invitation, attendance="present")
    actions.record_outcome(
        secretary,
        meeting=meeting,
        kind="contribution",
        text="Le conseil d'entreprise souhaite être associé tôt aux projets qui changent l'organisation du travail.",
    )
    actions.record_outcome(
        secretary,
        meeting=meeting,
        kind="contribution",
        text="Le comité d'éthique propose de rendre un avis sur les quatre déclinaisons de l'offre.",
    )
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])


def _upcoming(kinds: dict[str, MeetingKind], secretary: Person) -> None:
    december = actions.schedule_meeting(
        secretary,
        kind=kinds["ordinary"],
        title="Conseil d'administration",
        starts_at=at(2026, 12, 8, 18),
        ends_at=at(2026, 12, 8, 21),
        venue="Siège",
        address="Rue Coenraets 72, 1060 Saint-Gilles",
    )
    actions.add_to_agenda(
        secretary,
        meeting=december,
        title="Suivi de la cooptation et préparation de l'assemblée générale",
        purpose="information",
    )
    actions.convene(secretary, meeting=december, now=at(2026, 11, 24, 10), notify=False)
    actions.schedule_meeting(
        secretary,
        kind=kinds["ordinary"],
        title="Conseil d'administration",
        starts_at=at(2027, 2, 9, 18),
        ends_at=at(2027, 2, 9, 21),
    )
    assembly = actions.schedule_meeting(
        secretary,
        kind=kinds["ag"],
        title="Assemblée générale ordinaire 2027",
        starts_at=at(2027, 6, 15, 14),
        ends_at=at(2027, 6, 15, 18),
        venue="Les Ateliers des Tanneurs",
        address="Rue des Tanneurs 58, 1000 Bruxelles",
    )
    for title in ("Rapport de gestion et comptes annuels 2026", "Décharge aux administrateurs"):
        actions.add_to_agenda(
            secretary, meeting=assembly, title=title, purpose="decision", confidentiality="members"
        )
    for confirmation in Confirmation.objects.filter(
        organisation=assembly.organisation, status="pending"
    ).select_related("mandate__person"):
        actions.add_to_agenda(
            secretary,
            meeting=assembly,
            title=f"Confirmation de la cooptation de {confirmation.mandate.person.full_name}",
            purpose="decision",
            confidentiality="members",
        )
    actions.add_to_agenda(
        secretary,
        meeting=assembly,
        title="Élection des administrateurs",
        purpose="decision",
        confidentiality="members",
    )


def write_minutes(org: Organisation, people: dict[str, Person]) -> None:
    """Last step of the demo, once dossiers and decisions are on the agendas: the minutes of
    the board's meetings, each approved at the next one; the last ones wait for 2024."""
    secretary = people["claire"]
    meetings = list(
        Meeting.objects.filter(
            organisation=org, kind__code="ordinaire", starts_at__year__lt=2024
        ).order_by("starts_at")
    )
    for meeting in meetings:
        actions.draft_minutes(secretary, meeting=meeting)
    for previous, meeting in itertools.pairwise(meetings):
        actions.approve_minutes(secretary, minutes=previous.minutes, at=meeting)
    for meeting in Meeting.objects.filter(
        organisation=org, kind__category__in=["seminar", "inter_body"]
    ):
        actions.draft_minutes(secretary, meeting=meeting)
