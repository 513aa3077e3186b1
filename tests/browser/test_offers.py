"""An adviser follows an activity from candidate to active with support meetings, as she
clicks it; the holder accepts the commitments on their own record and sees only their own
activities; the variants side by side and the management's overview."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coopgov.core.demo import load_demo
from coopgov.core.models import Member, Organisation
from coopgov.offers.models import Activity, Offer
from tests.browser.conftest import choose_english, screenshot
from tests.browser.test_journeys import CLAIRE, JONAS, sign_in

SOFIA = "sofia.haddad@example.org"


@pytest.fixture
def demo(transactional_db: None) -> Organisation:
    return load_demo()


def sign_out(page: Page) -> None:
    page.locator("form[action$='/accounts/logout/'] button").click()


def test_an_adviser_takes_an_activity_from_candidate_to_active(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    jonas = Member.objects.get(organisation=demo, person__email=JONAS)
    today = timezone.localdate()
    sign_in(page, base, SOFIA)
    choose_english(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Offers", exact=True).click()
    expect(page.locator("table.compare thead th")).to_have_count(
        1 + Offer.objects.filter(organisation=demo).count()
    )
    screenshot(page, "60-offers-compare")

    page.goto(f"{base}/{demo.code}/activities/new/")
    page.locator("#id_name").fill("Podcasts de quartier")
    page.locator("#id_sector").fill("Audiovisuel")
    page.locator("#id_profile").select_option("individual")
    page.locator("#id_started_on").fill((today - datetime.timedelta(days=30)).isoformat())
    page.locator("#id_holders").fill(str(jonas.number))
    page.get_by_role("button", name="Open").click()
    expect(page.locator("h1")).to_have_text("Podcasts de quartier")
    activity = Activity.objects.get(organisation=demo, name="Podcasts de quartier")

    # Integrating before any commitment is refused, with the rule's name.
    page.locator("#id_stage-stage").select_option("integrated")
    page.get_by_role("button", name="Record the stage").click()
    expect(page.locator(".form-errors, .field-error").first).to_contain_text("O1:")

    individual = Offer.objects.get(organisation=demo, code="activite-individuelle")
    version = individual.versions.order_by("-number").first()
    assert version is not None
    page.locator("#id_enrol-version").select_option(str(version.pk))
    page.locator("#id_enrol-starts_on").fill((today - datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("button", name="Accept for the cooperative").click()
    expect(page.locator(".acceptance").first).to_contain_text(
        "Accepted for the cooperative by Sofia Haddad"
    )
    sign_out(page)

    # The holder sees only their own activities and accepts for the member.
    sign_in(page, base, JONAS)
    page.goto(f"{base}/{demo.code}/activities/")
    rows = page.locator("tbody tr")
    assert rows.count() == Activity.objects.filter(holdings__member=jonas).count()
    page.get_by_role("link", name="Podcasts de quartier").click()
    expect(page.locator("#keep-title")).to_have_count(0)
    page.locator("form[action$='/accept/'] button").click()
    expect(page.locator(".acceptance").nth(1)).to_contain_text("Jonas Peeters")
    screenshot(page, "61-activity-holder")
    sign_out(page)

    sign_in(page, base, SOFIA)
    page.goto(f"{base}{activity.get_absolute_url()}")
    for stage, days_ago in (("integrated", 15), ("active", 10)):
        page.locator("#id_stage-stage").select_option(stage)
        page.locator("#id_stage-on").fill((today - datetime.timedelta(days=days_ago)).isoformat())
        page.get_by_role("button", name="Record the stage").click()
    expect(page.locator("hgroup .tag").first).to_have_text("Active")
    page.locator("#id_meeting-held_on").fill((today - datetime.timedelta(days=5)).isoformat())
    page.locator("#id_meeting-objectives").fill("Premier bilan : trois épisodes vendus.")
    page.locator("#id_meeting-agreed_actions").fill("Préparer un devis type.")
    page.locator("#id_meeting-next_steps").fill("Revoir les prix à l'automne.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".step-support").first).to_contain_text("Premier bilan")
    screenshot(page, "62-activity-adviser")

    page.goto(f"{base}/{demo.code}/offers/advising/")
    expect(page.get_by_role("link", name="Podcasts de quartier")).to_be_visible()
    screenshot(page, "63-adviser-activities")
    page.goto(f"{base}/{demo.code}/offers/management/")
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    screenshot(page, "64-offers-overview")


def test_the_catalogue_is_kept_by_the_secretariat(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    choose_english(page)
    offer = Offer.objects.filter(organisation=demo).first()
    assert offer is not None
    page.goto(f"{base}{offer.get_absolute_url()}")
    expect(page.locator("#publish-title")).to_be_visible()
    screenshot(page, "65-offer-variant")
