"""The benchmark dataset keeps the invariants the actions keep (a small scale here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count, Max

from bench.dataset import generate, sizes
from coopgov.core.models import Member, Organisation
from coopgov.dossiers.models import Action, Decision, DecisionCounter
from coopgov.offers.models import Activity, Enrolment
from tests.conftest import loaded_for_module

# One worker generates the dataset once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("bench_dataset")


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[Organisation]:
    with loaded_for_module(django_db_blocker, lambda: generate(scale=0.002, seed=7)) as org:
        yield org


@pytest.fixture
def dataset(generated: Organisation, db: None) -> Organisation:
    return generated


def test_the_dataset_reaches_its_sizes(dataset: Organisation) -> None:
    size = sizes(0.002)
    assert Member.objects.filter(organisation=dataset).count() >= size["members"]
    assert dataset.bodies.count() == size["bodies"]
    assert Decision.objects.filter(organisation=dataset).count() >= size["decisions"]
    assert Action.objects.filter(organisation=dataset).count() >= size["actions"]
    assert Activity.objects.filter(organisation=dataset).count() >= size["activities"]


def test_member_numbers_follow_the_counter_and_are_never_reused(dataset: Organisation) -> None:
    dataset.refresh_from_db()
    numbers = list(Member.objects.filter(organisation=dataset).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert max(numbers) == dataset.last_member_number


def test_decisions_are_numbered_per_body_and_year_up_to_their_counter(
    dataset: Organisation,
) -> None:
    sequences: dict[tuple[int, int], list[int]] = defaultdict(list)
    for body, year, sequence in Decision.objects.filter(organisation=dataset).values_list(
        "body_id", "year", "sequence"
    ):
        sequences[(body, year)].append(sequence)
    counters = {
        (c.body_id, c.year): c.last
        for c in DecisionCounter.objects.filter(body__organisation=dataset)
    }
    for key, numbers in sequences.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert counters[key] == len(numbers)
    wrong = Decision.objects.filter(organisation=dataset).exclude(item__purpose="decision")
    assert not wrong.exclude(item__isnull=True).exists()
    assert not Decision.objects.filter(
        organisation=dataset, item__meeting__kind__may_decide=False
    ).exists()


def test_each_activity_is_in_one_variant_at_a_time(dataset: Organisation) -> None:
    open_ones = (
        Enrolment.objects.filter(activity__organisation=dataset, ends_on__isnull=True)
        .values("activity")
        .annotate(n=Count("pk"))
        .aggregate(most=Max("n"))
    )
    assert open_ones["most"] == 1
    for enrolment in Enrolment.objects.filter(activity__organisation=dataset).select_related(
        "version"
    ):
        assert enrolment.version.is_valid_on(enrolment.starts_on)
