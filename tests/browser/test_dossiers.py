"""A secretary takes a dossier from information to decision, as she clicks it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from coopgov.core.demo import load_demo
from coopgov.core.models import Organisation
from coopgov.dossiers.models import Decision
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from tests.browser.conftest import choose_english, screenshot
from tests.browser.test_journeys import CLAIRE, sign_in


@pytest.fixture
def demo(transactional_db: None) -> Organisation:
    return load_demo()


def test_a_secretary_takes_a_dossier_from_information_to_decision(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    choose_english(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{base}/{demo.code}/dossiers/new/")
    page.get_by_label("Title").fill("Coworking à Liège")
    page.get_by_label("Services to members").check()
    page.get_by_role("button", name="Open").click()
    expect(page.locator("h1")).to_have_text("Coworking à Liège")

    december = Meeting.objects.get(
        organisation=demo, kind__category="ordinary", starts_at__year=2026, starts_at__month=12
    )
    page.get_by_text("Put on an agenda").click()  # the form loads when its card opens
    page.locator("#id_schedule-meeting").select_option(str(december.pk))
    page.locator("#id_schedule-stage").select_option("inform")
    with page.expect_navigation():  # the card opens again on the page that comes back
        page.get_by_role("button", name="Put on the agenda").click()
    page.get_by_text("Put on an agenda").click()
    page.locator("#id_schedule-meeting").select_option(str(december.pk))
    page.locator("#id_schedule-stage").select_option("decide")
    page.get_by_role("button", name="Put on the agenda").click()
    expect(page.locator(".path li")).to_have_count(2)

    for invitation in december.invitations.filter(capacity="voting"):
        meeting_actions.record_attendance(None, invitation=invitation, attendance="present")
    page.reload()
    expect(page.locator("fieldset.roll-call select")).to_have_count(15)
    page.locator("details.roll-call summary").click()
    expect(page.locator("fieldset.roll-call select").first).to_be_visible()
    screenshot(page, "39-decision-form")
    page.locator("#id_decision-text").fill("The board opens a coworking space in Liège in 2027.")
    page.locator("#id_decision-method").select_option("hands")
    page.locator("#id_decision-majority").select_option("absolute")
    page.locator("#id_decision-yes").fill("12")
    page.locator("#id_decision-no").fill("1")
    page.locator("#id_decision-abstain").fill("2")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".path .step-decision")).to_contain_text("CA-2026-001")
    screenshot(page, "40-dossier-path")
    assert Decision.objects.get(number="CA-2026-001").adopted

    page.goto(f"{base}/{demo.code}/decisions/?text=coworking")
    expect(page.locator("table tbody tr")).to_have_count(1)
    screenshot(page, "41-register")
