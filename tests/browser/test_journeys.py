"""The main journeys of the foundation, as a person clicks them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from coopgov.core.demo import DEMO_PASSWORD, load_demo
from coopgov.core.models import Organisation, Person
from tests.browser.conftest import new_context, screenshot

CLAIRE = "claire.vandenberghe@example.org"
JONAS = "jonas.peeters@example.org"
LANGUAGE = re.compile("^(Langue|Language|Taal)$")


@pytest.fixture
def demo(transactional_db: None) -> Organisation:
    return load_demo()


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_secretariat_signs_in_switches_language_and_browses_the_cooperative(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    screenshot(page, "01-login")
    sign_in(page, base, CLAIRE)
    expect(page.locator("h1")).to_have_text(demo.name)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "02-organisation-fr")

    # The language switch submits itself when JavaScript runs.
    page.get_by_label(LANGUAGE).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("nav.org-nav")
    expect(nav.get_by_role("link", name="Units")).to_be_visible()

    nav.get_by_role("link", name="Units").click()
    expect(page.locator("h1")).to_have_text("Units")
    screenshot(page, "03-units")
    page.get_by_role("link", name="Bureau de Charleroi").click()
    expect(page.get_by_text("Monceau-Fontaine")).to_be_visible()
    page.get_by_text("History").click()
    expect(page.get_by_text("core.unit.created")).to_be_visible()
    screenshot(page, "04-unit-with-history")

    # People: the search narrows the list in place (htmx), without a page load.
    nav.get_by_role("link", name="People").click()
    page.get_by_label("Search people").fill("Haddad")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=Haddad"))
    screenshot(page, "05-people-search")

    nav.get_by_role("link", name="Members").click()
    page.get_by_label("Category", exact=True).select_option("C")
    expect(page.locator("#results")).to_contain_text("Vélo Solidaire ASBL")
    page.get_by_role("link", name="Vélo Solidaire ASBL").click()
    expect(page.get_by_text("Permanent representative")).to_be_visible()
    screenshot(page, "06-legal-member")


def test_a_member_changes_status_in_place_with_htmx(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    jonas = Person.objects.get(email=JONAS).memberships.get()
    page.goto(f"{base}{jonas.get_absolute_url()}")
    page.locator("#status select").select_option("suspended")
    page.locator("#status button[type=submit]").click()
    expect(page.locator("#status h2 .tag")).to_have_text(re.compile("Suspendu|Suspended"))
    expect(page.locator("#history .badge")).to_have_text("2")
    screenshot(page, "07-member-status")
    jonas.refresh_from_db()
    assert jonas.status == "suspended"


def test_forms_work_with_javascript_disabled(
    page_without_js: Page, live_server: object, demo: Organisation
) -> None:
    page = page_without_js
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    # Without JavaScript the language switch shows its own button.
    page.get_by_label(LANGUAGE).select_option("en")
    page.locator("form.language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto(f"{base}/{demo.code}/people/new/")
    page.get_by_label("First name").fill("Léa")
    page.get_by_label("Last name").fill("Dupont")
    page.get_by_label("Email").fill(CLAIRE)  # already taken: refused on its field
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error")).to_have_text(
        "Another person of this organisation has this email."
    )
    screenshot(page, "08-form-error-no-js")
    page.get_by_label("Email").fill("lea.dupont@example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Léa Dupont")
    expect(page.get_by_role("status")).to_contain_text("Léa Dupont is saved.")
    assert Person.objects.filter(email="lea.dupont@example.org").exists()


def test_a_plain_member_sees_their_record_and_gets_404_on_the_register(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, JONAS)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # Overview, meetings, dossiers, decisions, strategy, offers, bodies and units; neither
    # people nor members.
    nav = page.locator("nav.org-nav a")
    expect(nav).to_have_count(8)
    expect(nav.filter(has_text=re.compile("Vennoten|Members|Sociétaires"))).to_have_count(0)
    response = page.goto(f"{base}/{demo.code}/members/")
    assert response is not None and response.status == 404
    screenshot(page, "09-member-404")
    own = Person.objects.get(email=JONAS).memberships.get()
    response = page.goto(f"{base}{own.get_absolute_url()}")
    assert response is not None and response.status == 200


def test_the_shell_is_usable_on_a_phone(
    browser: Browser, live_server: object, demo: Organisation
) -> None:
    context = new_context(browser, width=390)
    page = context.new_page()
    sign_in(page, str(live_server), CLAIRE)
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "10-phone")
    context.close()


def test_keyboard_users_can_skip_to_the_content(
    page: Page, live_server: object, demo: Organisation
) -> None:
    sign_in(page, str(live_server), CLAIRE)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=re.compile("Aller au contenu|Skip to content"))
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_a_person_creates_an_api_token_uses_it_and_revokes_it(
    page: Page, live_server: object, demo: Organisation
) -> None:
    base = str(live_server)
    sign_in(page, base, CLAIRE)
    page.goto(f"{base}/me/")
    page.locator("input[name=name]").fill("register export")
    page.locator("section form.inline-form button[type=submit]").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("cg_")
    screenshot(page, "11-api-token")
    api = page.context.request
    listing = api.get(
        f"{base}/api/v1/organisations/{demo.code}/members?category=C",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert listing.status == 200 and listing.json()["count"] >= 3
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only
    page.locator("table form button[type=submit]").click()
    revoked = api.get(f"{base}/api/v1/organisations", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status == 401


def test_an_administrator_grants_a_role_and_invites_a_person(
    page: Page, live_server: object, demo: Organisation
) -> None:
    from django.core import mail

    base = str(live_server)
    sign_in(page, base, CLAIRE)
    jonas = Person.objects.get(email=JONAS)
    page.goto(f"{base}{jonas.get_absolute_url()}")
    page.locator("#roles-title + ul + form select").select_option("staff")
    page.locator("#roles-title + ul + form button[type=submit]").click()
    expect(page.locator("ul.roles .tag")).to_have_count(1)
    screenshot(page, "12-person-roles")
    newcomer = Person.objects.filter(organisation=demo, user__isnull=True).exclude(email="").first()
    assert newcomer is not None
    page.goto(f"{base}{newcomer.get_absolute_url()}")
    page.get_by_role("button", name=re.compile("Inviter à se connecter|Invite to sign in")).click()
    expect(page.locator(".message-success")).to_contain_text(newcomer.email)
    assert any(newcomer.email in message.to for message in mail.outbox)
