"""The catalogue: services, offer variants and their dated versions (O1: each version lists the
services it renders and both sides' commitments; versions follow each other without overlap),
and the variants side by side on a day."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pytest_django import DjangoAssertNumQueries

from coopgov.core.models import Event, MemberCategory, Organisation
from coopgov.offers import actions
from coopgov.offers.models import Offer, OfferService, OfferVersion, Service
from coopgov.offers.queries import comparison

D = datetime.date


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"offers.{action}").order_by("pk"))


def publish(offer: Offer, valid_from: D, services: list[Service], **fields: object) -> OfferVersion:
    """A version with the least the rules ask: one service and the cooperative's commitments."""
    defaults: dict[str, object] = {
        "cooperative_commitments": "Facturation des missions.",
        "contribution_rate": Decimal(8),
        "levels": {services[0]: "basic"},
    }
    defaults.update(fields)
    return actions.publish_version(None, offer=offer, valid_from=valid_from, **defaults)  # type: ignore[arg-type]


@pytest.fixture
def offer(org: Organisation) -> Offer:
    return actions.create_offer(None, organisation=org, code="essai", name="Essai")


# Services


def test_a_service_is_added_to_the_catalogue_and_audited(org: Organisation) -> None:
    service = actions.add_service(
        None,
        organisation=org,
        code="comptabilite",
        name="  Comptabilité ",
        funding=Service.Funding.FEE,
        position=4,
    )
    assert (service.name, service.funding, service.position) == ("Comptabilité", "fee", 4)
    (event,) = events("service.added")
    assert event.target_id == str(service.pk) and event.data == {"name": "Comptabilité"}
    assert event.organisation == org


def test_a_service_code_is_used_once_per_organisation(
    org: Organisation, other_org: Organisation, services: list[Service]
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_service(None, organisation=org, code="formation", name="Autre formation")
    assert error.value.message_dict == {"code": ["A service already has this code."]}
    assert Service.objects.filter(organisation=org).count() == 3
    elsewhere = actions.add_service(
        None, organisation=other_org, code="formation", name="Formation"
    )
    assert elsewhere.organisation == other_org


def test_a_service_is_delivered_by_a_unit_of_its_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    from coopgov.core import actions as core_actions

    foreign = core_actions.create_unit(
        None, organisation=other_org, code="ailleurs", name="Ailleurs", kind="local_office"
    )
    with pytest.raises(ValidationError) as error:
        actions.add_service(None, organisation=org, code="x", name="X", unit=foreign)
    assert list(error.value.message_dict) == ["unit"]


# Variants


def test_a_variant_is_created_and_audited(org: Organisation) -> None:
    offer = actions.create_offer(
        None, organisation=org, code="collectif", name=" Entreprise collective ", hypothesis=True
    )
    assert (offer.name, offer.hypothesis, offer.versions.count()) == (
        "Entreprise collective",
        True,
        0,
    )
    (event,) = events("offer.created")
    assert event.target_id == str(offer.pk) and event.data == {"name": "Entreprise collective"}


def test_a_variant_code_is_used_once_per_organisation(org: Organisation, offer: Offer) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_offer(None, organisation=org, code="essai", name="Encore")
    assert error.value.message_dict == {"code": ["A variant already has this code."]}
    assert Offer.objects.count() == 1


# Versions (O1)


def test_a_version_lists_its_services_levels_and_both_sides_commitments(
    individual: OfferVersion,
    services: list[Service],
    category_a: MemberCategory,
    category_b: MemberCategory,
) -> None:
    assert (individual.number, individual.valid_from, individual.valid_until) == (
        1,
        D(2023, 1, 1),
        None,
    )
    assert [(lv.service, lv.level, lv.note) for lv in individual.levels.all()] == [
        (services[0], "standard", ""),
        (services[1], "basic", "Deux heures par an"),
        (services[2], "on_request", ""),
    ]
    assert individual.cooperative_commitments == "Salaire payé dans les sept jours ouvrables."
    assert (individual.shares_required, individual.support_meetings_per_year) == (2, 2)
    assert set(individual.eligible_categories.all()) == {category_a, category_b}
    assert individual.eligible_profiles == ["collective", "individual"]
    (event,) = events("version.published")
    assert event.target_id == str(individual.offer.pk)
    assert event.data == {"number": 1, "valid_from": "2023-01-01", "rate": "6.5"}


def test_o1_a_version_lists_the_services_it_renders(offer: Offer) -> None:
    with pytest.raises(ValidationError) as error:
        actions.publish_version(
            None,
            offer=offer,
            valid_from=D(2024, 1, 1),
            cooperative_commitments="Facturation.",
            contribution_rate=Decimal(8),
            levels={},
        )
    assert error.value.message_dict == {"levels": ["O1: a variant lists the services it renders."]}
    assert not OfferVersion.objects.exists() and not events("version.published")


def test_each_service_of_a_version_has_a_level(offer: Offer, services: list[Service]) -> None:
    with pytest.raises(ValidationError) as error:
        publish(offer, D(2024, 1, 1), services, levels={services[0]: "gold"})
    assert error.value.message_dict == {
        "levels": ["Choose a level for “Facturation et conversion en salaire”."]
    }
    assert not OfferVersion.objects.exists()


def test_a_version_renders_services_of_its_own_organisation(
    offer: Offer, other_org: Organisation, services: list[Service]
) -> None:
    foreign = actions.add_service(None, organisation=other_org, code="x", name="Étranger")
    with pytest.raises(ValidationError) as error:
        publish(offer, D(2024, 1, 1), services, levels={foreign: "basic"})
    assert list(error.value.message_dict) == ["levels"]
    assert not OfferVersion.objects.exists()


@pytest.mark.parametrize("commitments", ["", "   "])
def test_o1_a_version_says_what_the_cooperative_commits_to(
    offer: Offer, services: list[Service], commitments: str
) -> None:
    with pytest.raises(ValidationError) as error:
        publish(offer, D(2024, 1, 1), services, cooperative_commitments=commitments)
    assert error.value.message_dict == {
        "cooperative_commitments": ["O1: say what the cooperative commits to in return."]
    }
    assert not OfferVersion.objects.exists()


def test_unknown_activity_profiles_are_refused(offer: Offer, services: list[Service]) -> None:
    with pytest.raises(ValidationError) as error:
        publish(
            offer,
            D(2024, 1, 1),
            services,
            eligible_profiles=["individual", "freelance", "astronaut"],
        )
    assert error.value.message_dict == {
        "eligible_profiles": ["Unknown activity profiles: astronaut, freelance"]
    }
    version = publish(offer, D(2024, 1, 1), services, eligible_profiles=["occasional"] * 2)
    assert version.eligible_profiles == ["occasional"]


def test_a_version_is_open_to_categories_of_its_own_organisation(
    offer: Offer, other_org: Organisation, services: list[Service]
) -> None:
    from coopgov.core import actions as core_actions

    foreign = core_actions.add_member_category(
        None, organisation=other_org, code="A", name="Ailleurs"
    )
    with pytest.raises(ValidationError) as error:
        publish(offer, D(2024, 1, 1), services, eligible_categories=[foreign])
    assert list(error.value.message_dict) == ["eligible_categories"]


def test_a_new_version_closes_the_open_ended_one_the_day_before_it_starts(
    individual: OfferVersion, services: list[Service]
) -> None:
    second = publish(individual.offer, D(2025, 1, 1), services, contribution_rate=Decimal(7))
    individual.refresh_from_db()
    assert individual.valid_until == D(2024, 12, 31)
    assert (second.number, second.valid_from, second.valid_until) == (2, D(2025, 1, 1), None)
    assert (individual.is_valid_on(D(2024, 12, 31)), second.is_valid_on(D(2024, 12, 31))) == (
        True,
        False,
    )
    assert (individual.is_valid_on(D(2025, 1, 1)), second.is_valid_on(D(2025, 1, 1))) == (
        False,
        True,
    )
    assert [e.data["number"] for e in events("version.published")][-1] == 2


@pytest.mark.parametrize("valid_from", [D(2023, 1, 1), D(2022, 6, 1)])
def test_a_new_open_version_starting_on_or_before_the_open_one_is_refused(
    individual: OfferVersion, services: list[Service], valid_from: D
) -> None:
    with pytest.raises(ValidationError) as error:
        publish(individual.offer, valid_from, services)
    assert list(error.value.message_dict) == ["valid_from"]
    assert error.value.message_dict["valid_from"][0].startswith("Versions: version 1 is valid")
    individual.refresh_from_db()
    assert individual.valid_until is None
    assert individual.offer.versions.count() == 1


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (D(2023, 12, 31), None),  # starts on the dated version's last day
        (D(2023, 6, 1), D(2023, 6, 30)),  # inside it
        (D(2022, 6, 1), D(2023, 1, 1)),  # ends on its first day
        (D(2022, 1, 1), None),  # open-ended from before it
    ],
)
def test_overlapping_a_dated_version_is_refused(
    offer: Offer, services: list[Service], valid_from: D, valid_until: D | None
) -> None:
    dated = publish(offer, D(2023, 1, 1), services, valid_until=D(2023, 12, 31))
    with pytest.raises(ValidationError, match="Versions: version 1 is valid from"):
        publish(offer, valid_from, services, valid_until=valid_until)
    dated.refresh_from_db()
    assert dated.valid_until == D(2023, 12, 31)
    assert offer.versions.count() == 1


def test_versions_right_after_or_before_a_dated_version_are_accepted(
    offer: Offer, services: list[Service]
) -> None:
    dated = publish(offer, D(2023, 1, 1), services, valid_until=D(2023, 12, 31))
    after = publish(offer, D(2024, 1, 1), services)
    before = publish(offer, D(2022, 1, 1), services, valid_until=D(2022, 12, 31))
    dated.refresh_from_db()
    assert dated.valid_until == D(2023, 12, 31)  # a dated version is never shortened
    assert [(v.number, v.valid_from, v.valid_until) for v in offer.versions.all()] == [
        (before.number, D(2022, 1, 1), D(2022, 12, 31)),
        (after.number, D(2024, 1, 1), None),
        (1, D(2023, 1, 1), D(2023, 12, 31)),
    ]


def test_versions_are_numbered_in_the_order_they_are_published(
    offer: Offer, services: list[Service]
) -> None:
    numbers = [publish(offer, D(year, 1, 1), services).number for year in (2022, 2023, 2024, 2025)]
    assert numbers == [1, 2, 3, 4]
    assert [e.data["number"] for e in events("version.published")] == [1, 2, 3, 4]
    assert [v.valid_until for v in offer.versions.order_by("number")] == [
        D(2022, 12, 31),
        D(2023, 12, 31),
        D(2024, 12, 31),
        None,
    ]


def test_a_version_ends_on_or_after_it_starts(offer: Offer, services: list[Service]) -> None:
    with pytest.raises(ValidationError, match="Dates: a version ends after it starts"):
        publish(offer, D(2024, 6, 1), services, valid_until=D(2024, 5, 31))
    one_day = publish(offer, D(2024, 6, 1), services, valid_until=D(2024, 6, 1))
    assert one_day.is_valid_on(D(2024, 6, 1))


@pytest.mark.parametrize("rate", [Decimal("-0.01"), Decimal("100.01")])
def test_the_contribution_rate_lies_between_0_and_100(
    offer: Offer, services: list[Service], rate: Decimal
) -> None:
    with pytest.raises(ValidationError) as error:
        publish(offer, D(2024, 1, 1), services, contribution_rate=rate)
    assert list(error.value.message_dict) == ["contribution_rate"]
    assert not OfferVersion.objects.exists()


@pytest.mark.parametrize("rate", [Decimal(0), Decimal(100)])
def test_a_contribution_rate_of_0_or_100_is_accepted(
    offer: Offer, services: list[Service], rate: Decimal
) -> None:
    assert publish(offer, D(2024, 1, 1), services, contribution_rate=rate).contribution_rate == rate


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (D(2023, 12, 31), False),
        (D(2024, 1, 1), True),  # valid_from is included
        (D(2024, 6, 15), True),
        (D(2024, 12, 31), True),  # valid_until is included
        (D(2025, 1, 1), False),
    ],
)
def test_a_version_is_valid_from_its_first_to_its_last_day_both_included(
    offer: Offer, services: list[Service], day: D, valid: bool
) -> None:
    version = publish(offer, D(2024, 1, 1), services, valid_until=D(2024, 12, 31))
    assert version.is_valid_on(day) is valid
    assert OfferVersion.objects.valid_on(day).filter(pk=version.pk).exists() is valid


def test_an_open_ended_version_is_valid_from_its_first_day_on(
    offer: Offer, services: list[Service]
) -> None:
    version = publish(offer, D(2024, 1, 1), services)
    assert not version.is_valid_on(D(2023, 12, 31))
    assert version.is_valid_on(D(2024, 1, 1)) and version.is_valid_on(D(2099, 12, 31))


# The variants side by side


def test_the_comparison_shows_each_variant_version_valid_on_the_day(
    org: Organisation,
    individual: OfferVersion,
    occasional: OfferVersion,
    services: list[Service],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    second = actions.publish_version(
        None,
        offer=individual.offer,
        valid_from=D(2025, 1, 1),
        cooperative_commitments="Salaire payé dans les cinq jours ouvrables.",
        contribution_rate=Decimal(7),
        levels={services[0]: "reinforced", services[2]: "standard"},
    )
    with django_assert_num_queries(5):
        listed, columns = comparison(org, D(2024, 12, 31))
        assert listed == services
        assert [(c.offer.code, c.version) for c in columns] == [
            ("occasionnel", occasional),
            ("activite", individual),
        ]
        assert {s: lv.level for s, lv in columns[1].levels.items()} == {
            services[0].pk: "standard",
            services[1].pk: "basic",
            services[2].pk: "on_request",
        }
    _listed, columns = comparison(org, D(2025, 1, 1))
    assert [c.version for c in columns] == [occasional, second]
    assert {s: lv.level for s, lv in columns[1].levels.items()} == {
        services[0].pk: "reinforced",
        services[2].pk: "standard",
    }
    _listed, columns = comparison(org, D(2022, 12, 31))
    assert [(c.version, c.levels) for c in columns] == [(None, {}), (None, {})]


def test_the_comparison_runs_a_fixed_number_of_queries(
    org: Organisation,
    individual: OfferVersion,
    services: list[Service],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(5):
        comparison(org, D(2024, 1, 1))
    for index in range(8):
        offer = actions.create_offer(None, organisation=org, code=f"v{index}", name=f"V{index}")
        publish(offer, D(2023, 1, 1), services, levels={s: "basic" for s in services})
    with django_assert_num_queries(5):
        _listed, columns = comparison(org, D(2024, 1, 1))
        assert len(columns) == 9
        assert all(len(c.levels) == 3 for c in columns)
        assert all(lv.service.name for c in columns for lv in c.levels.values())
        assert all(c.offer.organisation.code == "coop" for c in columns)


def test_levels_are_listed_in_the_order_of_the_services(
    individual: OfferVersion, services: list[Service]
) -> None:
    assert list(
        OfferService.objects.filter(version=individual).values_list("service", flat=True)
    ) == [s.pk for s in services]
