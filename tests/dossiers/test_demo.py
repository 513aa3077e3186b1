"""The demo's dossiers follow the seed article's matters from information to decision."""

from __future__ import annotations

import pytest

from coopgov.core.access import Actor
from coopgov.core.models import Organisation, Role
from coopgov.dossiers.models import Action, Consultation, Decision, Dossier, Stage
from coopgov.dossiers.queries import timeline

# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("demo_dossiers")


@pytest.fixture
def demo(module_demo: Organisation, db: None) -> Organisation:
    return module_demo


def test_the_demo_dossiers_tell_their_path(demo: Organisation) -> None:
    strategy = Dossier.objects.get(organisation=demo, title="Stratégie 2025 resserrée")
    secretariat = Actor(organisation=demo, person=None, roles=frozenset({Role.Kind.SECRETARIAT}))
    kinds = [step.kind for step in timeline(strategy, secretariat)]
    assert kinds.count("appearance") == 3 and "decision" in kinds
    assert strategy.stage == Stage.IMPLEMENT
    adoption = strategy.decisions.get()
    assert Action.objects.filter(organisation=demo, dossier=None, meeting__isnull=False).exists()
    assert adoption.method == "roll_call" and adoption.votes.count() == adoption.yes + 1
    offer = Dossier.objects.get(organisation=demo, title="Refonte de l'offre de services")
    assert offer.consultations.get().status == Consultation.Status.GIVEN
    assert offer.decisions.get().adopted
    diversity = Dossier.objects.get(organisation=demo, title="Plan diversité")
    assert diversity.consultations.get().status == Consultation.Status.OPEN
    assert Decision.objects.filter(organisation=demo).count() == 3
    assert list(
        Decision.objects.filter(organisation=demo)
        .order_by("number")
        .values_list("number", flat=True)
    ) == ["CA-2022-001", "CA-2023-001", "CA-2023-002"]
