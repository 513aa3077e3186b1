"""Choices over large registers: forms list a few dossiers or meetings, searches find the rest."""

from __future__ import annotations

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coopgov.bodies.models import Body, Mandate
from coopgov.core.forms import CHOICES
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import actions
from coopgov.dossiers.forms import ScheduleForm
from coopgov.dossiers.models import Dossier
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting, MeetingKind
from tests.conftest import in_english, login


def options(html: str, name: str) -> list[str]:
    """The labels of the options of the select named `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, f"no select {name}"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def open_many(org: Organisation, count: int) -> list[Dossier]:
    start = timezone.now() - datetime.timedelta(days=count)
    dossiers = []
    for index in range(count):
        dossier = actions.open_dossier(None, organisation=org, title=f"Dossier numéro {index}")
        Dossier.objects.filter(pk=dossier.pk).update(
            created_at=start + datetime.timedelta(days=index)
        )
        dossiers.append(dossier)
    return dossiers


def test_the_dossier_page_lists_the_latest_dossiers_and_a_search_finds_the_others(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    dossiers = open_many(org, CHOICES + 5)
    current, oldest = dossiers[-1], dossiers[0]
    login(client, secretariat)
    in_english(client)
    detail = reverse("dossiers:detail", args=[org.code, current.code])
    assert 'hx-get="?form=relate"' in client.get(detail).text  # the form loads when opened
    page = client.get(detail, {"form": "relate"}, headers={"HX-Request": "true"}).text
    listed = options(page, "other")
    assert len(listed) == CHOICES + 1  # the empty choice and the latest dossiers
    assert current.title not in listed and oldest.title not in listed
    assert 'hx-get="/coop/dossiers/choices/?exclude=' in page

    search = reverse("dossiers:choices", args=[org.code])
    found = client.get(search, {"q": "numéro 0", "exclude": str(current.code)})
    assert f'<option value="{oldest.code}">{oldest.title}</option>' in found.text
    assert current.title not in client.get(search, {"q": "Dossier", "exclude": current.code}).text
    assert "Nothing matches." in client.get(search, {"q": "introuvable"}).text

    related = client.post(
        reverse("dossiers:relate", args=[org.code, current.code]), {"other": str(oldest.code)}
    )
    assert related.status_code == 302
    assert list(current.related.all()) == [oldest]
    refused = client.post(
        reverse("dossiers:relate", args=[org.code, current.code]), {"other": str(current.code)}
    )
    assert refused.status_code == 400 and "Select a valid choice" in refused.text


def test_the_dossier_search_shows_only_what_the_person_may_read_and_open_ones_on_request(
    client: Client, org: Organisation, board: Body, directors: list[Mandate], plain_member: Person
) -> None:
    secret = actions.open_dossier(
        None,
        organisation=org,
        title="Rémunération secrète",
        confidentiality="bodies",
        origin_body=board,
    )
    closed = actions.open_dossier(None, organisation=org, title="Rémunération ancienne")
    Dossier.objects.filter(pk=closed.pk).update(stage="closed")
    search = reverse("dossiers:choices", args=[org.code])
    login(client, plain_member)
    seen = client.get(search, {"q": "rémunération"}).text
    assert closed.title in seen and secret.title not in seen
    login(client, directors[0].person)
    seen = client.get(search, {"q": "rémunération", "open": "1", "blank": "1"}).text
    assert secret.title in seen and closed.title not in seen
    assert seen.startswith('<option value="">')


def test_the_dossier_list_searches_titles_and_keeps_its_filters_from_page_to_page(
    client: Client, org: Organisation, secretariat: Person, settings: object
) -> None:
    open_many(org, 7)
    actions.open_dossier(None, organisation=org, title="Budget 2027")
    settings.PAGE_SIZE = 3  # type: ignore[attr-defined]
    login(client, secretariat)
    in_english(client)
    url = reverse("dossiers:list", args=[org.code])
    assert [d.title for d in client.get(url, {"q": "budget"}).context["page"]] == ["Budget 2027"]
    first = client.get(url, {"q": "numéro", "stage": "inform"})
    assert [d.title for d in first.context["page"]] == [f"Dossier numéro {i}" for i in (6, 5, 4)]
    assert 'href="?q=num%C3%A9ro&amp;stage=inform&amp;page=2"' in first.text


def test_meeting_choices_list_the_current_meetings_but_accept_an_older_one(
    org: Organisation, board_meeting_kind: MeetingKind, directors: list[Mandate]
) -> None:
    now = timezone.now().replace(microsecond=0)

    def meeting(title: str, days: int) -> Meeting:
        starts = now + datetime.timedelta(days=days)
        return meeting_actions.schedule_meeting(
            None,
            kind=board_meeting_kind,
            title=title,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            venue="Siège",
        )

    old, recent, coming = meeting("Ancien", -400), meeting("Récent", -30), meeting("Prochain", 30)
    form = ScheduleForm(organisation=org, prefix="schedule")
    listed = [label for value, label in form.fields["meeting"].widget.choices if value]
    assert listed == [str(recent), str(coming)]
    chosen = ScheduleForm(
        {"schedule-meeting": old.pk, "schedule-stage": "inform"},
        organisation=org,
        prefix="schedule",
    )
    assert chosen.is_valid() and chosen.cleaned_data["meeting"] == old
    shown = [label for value, label in chosen.fields["meeting"].widget.choices if value]
    assert str(old) in shown  # the chosen one stays in the list when the form is shown again
