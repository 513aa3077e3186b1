"""The demo's bodies pass their own rule report, but for one deliberate warning."""

from __future__ import annotations

import datetime

import pytest

from coopgov.bodies.actions import verify_draw
from coopgov.bodies.models import Body, Confirmation, Draw, Mandate
from coopgov.bodies.rules import composition, rule_report
from coopgov.core.models import Organisation

DEMO_DAY = datetime.date(2026, 11, 27)


# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("demo_bodies")


@pytest.fixture
def demo(module_demo: Organisation, db: None) -> Organisation:
    return module_demo


def test_the_board_has_15_directors_in_quotas_with_gender_balance(demo: Organisation) -> None:
    board = Body.objects.get(organisation=demo, code="ca")
    comp = composition(board, DEMO_DAY)
    assert comp.filled == 15 and comp.vacancies == 0
    assert {use.group.name: use.used for use in comp.groups} == {"A": 11, "B/C": 4}
    assert comp.genders["female"] >= 6 and comp.genders["male"] >= 6
    assert len(comp.observers) == 2
    assert sum(1 for m in comp.members if m.legal_member_id) == 1
    assert {m.start for m in comp.members} >= {
        datetime.date(2023, 6, 20),
        datetime.date(2025, 6, 17),
    }
    assert any(m.term_number == 2 for m in comp.members)


def test_one_co_opted_director_awaits_the_next_assembly(demo: Organisation) -> None:
    pending = Confirmation.objects.get(organisation=demo, status=Confirmation.Status.PENDING)
    assert pending.mandate.origin == Mandate.Origin.CO_OPTED
    assert pending.due_by == datetime.date(2027, 6, 15)
    assert pending.assembly.kind == Body.Kind.GENERAL_ASSEMBLY


def test_the_delegated_management_co_holders_end_in_2026_and_2028(demo: Organisation) -> None:
    body = Body.objects.get(organisation=demo, kind=Body.Kind.DELEGATED_MANAGEMENT)
    ends = sorted(m.end.year for m in Mandate.objects.filter(body=body) if m.end)
    assert ends == [2026, 2028]


def test_the_ethics_committee_was_partly_drawn_by_lot_and_the_draw_verifies(
    demo: Organisation,
) -> None:
    draw = Draw.objects.get(organisation=demo)
    assert draw.seats == 5 and verify_draw(draw)
    ethics = Body.objects.get(organisation=demo, code="ethique")
    assert composition(ethics, DEMO_DAY).filled == 10


def test_every_rule_holds_but_the_deliberate_warning(demo: Organisation) -> None:
    breaches = [
        (body.code, finding.rule, finding.enforcement)
        for body in Body.objects.filter(organisation=demo)
        for finding in rule_report(composition(body, DEMO_DAY))
        if not finding.ok
    ]
    assert breaches == [("cppt", "gender", "warn")]
