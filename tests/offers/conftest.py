"""A small catalogue for the tests: three services, the "individual activity" variant (version 1
valid from 2023, for categories A and B and individual or collective activities) and the
"occasional missions" variant, an adviser of the Charleroi office, and a candidate activity held
by one member."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from coopgov.core import actions as core_actions
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Role, Unit
from coopgov.offers import actions
from coopgov.offers.models import Activity, Offer, OfferVersion, Service
from tests.conftest import make_member, make_person

D = datetime.date


@pytest.fixture
def office(org: Organisation) -> Unit:
    return core_actions.create_unit(
        None,
        organisation=org,
        code="bureau-charleroi",
        name="Bureau de Charleroi",
        kind="local_office",
    )


@pytest.fixture
def adviser(org: Organisation, office: Unit) -> Person:
    """Sofia, adviser at the Charleroi office (staff)."""
    person = make_person(org, first_name="Sofia", last_name="Haddad")
    core_actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    return person


@pytest.fixture
def services(org: Organisation) -> list[Service]:
    return [
        actions.add_service(None, organisation=org, code=code, name=name, position=position)
        for position, (code, name) in enumerate(
            (
                ("facturation", "Facturation et conversion en salaire"),
                ("conseil-juridique", "Conseil juridique et fiscal"),
                ("formation", "Formation"),
            )
        )
    ]


@pytest.fixture
def individual(
    org: Organisation,
    services: list[Service],
    category_a: MemberCategory,
    category_b: MemberCategory,
) -> OfferVersion:
    offer = actions.create_offer(
        None, organisation=org, code="activite", name="Activité individuelle", position=2
    )
    return actions.publish_version(
        None,
        offer=offer,
        valid_from=D(2023, 1, 1),
        cooperative_commitments="Salaire payé dans les sept jours ouvrables.",
        contribution_rate=Decimal("6.5"),
        levels={
            services[0]: "standard",
            services[1]: ("basic", "Deux heures par an"),
            services[2]: "on_request",
        },
        shares_required=2,
        support_meetings_per_year=2,
        minimum_annual_activity=Decimal(5000),
        eligible_categories=[category_a, category_b],
        eligible_profiles=["individual", "collective"],
    )


@pytest.fixture
def occasional(org: Organisation, services: list[Service]) -> OfferVersion:
    offer = actions.create_offer(
        None, organisation=org, code="occasionnel", name="Missions occasionnelles", position=1
    )
    return actions.publish_version(
        None,
        offer=offer,
        valid_from=D(2023, 1, 1),
        cooperative_commitments="Facturation des missions.",
        contribution_rate=Decimal("8"),
        levels={services[0]: "basic"},
        shares_required=1,
        eligible_profiles=["occasional", "individual"],
    )


@pytest.fixture
def holder(org: Organisation, category_a: MemberCategory) -> Member:
    """Léa, member in category A, holds the activity."""
    person = make_person(org, first_name="Léa", last_name="Dupont")
    return make_member(org, category_a, person)


@pytest.fixture
def activity(org: Organisation, holder: Member, adviser: Person, office: Unit) -> Activity:
    return actions.open_activity(
        None,
        organisation=org,
        name="Atelier de sérigraphie",
        sector="Arts graphiques",
        profile="individual",
        started_on=D(2024, 2, 1),
        holders=[holder],
        advisers=[adviser],
        office=office,
    )


def offer_of(version: OfferVersion) -> Offer:
    return version.offer
