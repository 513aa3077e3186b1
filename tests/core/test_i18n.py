from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from coopgov.core.models import Event, Organisation, Person
from tests.conftest import login


def test_french_is_the_default_language(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    login(client, secretariat)
    response = client.get(reverse("core:units", args=[org.code]))
    assert '<html lang="fr"' in response.text
    assert "Nouvelle unité" in response.text


def test_a_signed_in_person_sees_their_preferred_language(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    login(client, plain_member)  # Jonas prefers Dutch
    response = client.get(reverse("core:units", args=[org.code]))
    assert '<html lang="nl"' in response.text
    assert "Eenheden" in response.text


def test_switching_language_sets_the_cookie_and_the_person_s_preference(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    login(client, secretariat)
    target = reverse("core:units", args=[org.code])
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    secretariat.refresh_from_db()
    assert secretariat.preferred_language == "en"
    assert Event.objects.filter(
        action="core.person.updated", target_id=str(secretariat.pk)
    ).exists()
    page = client.get(target)
    assert '<html lang="en"' in page.text and "New unit" in page.text


def test_switching_language_works_before_signing_in(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    page = client.get("/accounts/login/")
    assert '<html lang="nl"' in page.text


def test_switching_language_never_redirects_to_another_site(client: Client, db: None) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_an_unknown_language_is_ignored(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
