"""The demo's meetings tell the story of the seed article."""

from __future__ import annotations

import pytest

from coopgov.core.models import Organisation
from coopgov.meetings.models import AgendaItem, Meeting, Minutes
from coopgov.meetings.rules import quorum

# One worker loads the demo once for all the tests of this module.
pytestmark = pytest.mark.xdist_group("demo_meetings")


@pytest.fixture
def demo(module_demo: Organisation, db: None) -> Organisation:
    return module_demo


def test_the_board_met_every_two_months_with_approved_minutes(demo: Organisation) -> None:
    meetings = Meeting.objects.filter(
        organisation=demo, kind__code="ordinaire", starts_at__year__in=[2022, 2023]
    )
    assert meetings.count() == 12
    assert Minutes.objects.filter(meeting__in=meetings, status="approved").count() == 11
    assert all(quorum(meeting).reached for meeting in meetings)


def test_the_winter_seminar_in_charleroi_as_the_article_tells_it(demo: Organisation) -> None:
    seminar = Meeting.objects.get(organisation=demo, kind__category="seminar")
    assert seminar.starts_at.date().isoformat() == "2023-01-24"
    assert "Monceau-Fontaine" in seminar.venue and seminar.host_unit.code == "bureau-charleroi"
    kinds = list(seminar.sessions.values_list("kind", flat=True))
    for kind in ("news_round", "strategy", "guest_talk", "workshop"):
        assert kind in kinds
    guest = seminar.sessions.get(kind="guest_talk").speakers.get()
    assert "GRAP" in guest.guest_organisation
    assert seminar.invitations.filter(capacity="voting").count() == 15
    assert not seminar.items.filter(purpose=AgendaItem.Purpose.DECISION).exists()
    assert seminar.outcomes.filter(kind="orientation").count() >= 2


def test_all_bodies_met_to_close_the_seminar(demo: Organisation) -> None:
    meeting = Meeting.objects.get(organisation=demo, kind__category="inter_body")
    assert set(meeting.other_bodies.values_list("code", flat=True)) == {
        "ce",
        "cppt",
        "ethique",
        "direction",
    }
    assert not meeting.may_decide


def test_the_june_assembly_will_confirm_the_co_optation(demo: Organisation) -> None:
    assembly = Meeting.objects.get(organisation=demo, kind__category="general_assembly")
    assert assembly.items.filter(title__startswith="Confirmation de la cooptation").exists()
