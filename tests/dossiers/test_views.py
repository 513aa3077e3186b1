"""Dossier pages, the decision register and actions."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import actions
from coopgov.dossiers.models import Action, Decision, Dossier
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from tests.conftest import in_english, login


def attend(meeting: Meeting, mandates: list[Mandate]) -> None:
    for mandate in mandates:
        meeting_actions.record_attendance(
            None, invitation=meeting.invitations.get(person=mandate.person), attendance="present"
        )


def test_a_secretary_takes_a_dossier_from_information_to_decision(
    client: Client,
    org: Organisation,
    board: Body,
    seminar: Meeting,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    login(client, secretariat)
    in_english(client)
    client.post(
        reverse("dossiers:new", args=[org.code]),
        {
            "title": "Budget 2025",
            "tags": ["budget"],
            "origin_body": board.pk,
            "confidentiality": "members",
        },
    )
    dossier = Dossier.objects.get(title="Budget 2025")
    page = reverse("dossiers:detail", args=[org.code, dossier.code])
    client.post(
        reverse("dossiers:schedule", args=[org.code, dossier.code]),
        {"schedule-meeting": seminar.pk, "schedule-stage": "orient"},
    )
    refused = client.post(
        reverse("dossiers:schedule", args=[org.code, dossier.code]),
        {"schedule-meeting": seminar.pk, "schedule-stage": "decide"},
    )
    assert refused.status_code == 400 and "Non-deciding meeting" in refused.text
    client.post(
        reverse("dossiers:schedule", args=[org.code, dossier.code]),
        {"schedule-meeting": board_meeting.pk, "schedule-stage": "decide"},
    )
    attend(board_meeting, directors[:5])
    item = board_meeting.items.get()
    response = client.post(
        reverse("dossiers:decide", args=[org.code, dossier.code, item.pk]),
        {
            "decision-title": "Budget 2025",
            "decision-text": "Adopted.",
            "decision-method": "hands",
            "decision-majority": "absolute",
            "decision-yes": 4,
            "decision-no": 1,
            "decision-abstain": 0,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.adopted and decision.number == "CA-2024-001"
    shown = client.get(page)
    assert (
        "CA-2024-001" in shown.text
        and [s.kind for s in shown.context["steps"]].count("appearance") == 2
    )


def test_a_count_beyond_the_voters_is_shown_on_the_form(
    client: Client,
    org: Organisation,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    dossier = actions.open_dossier(None, organisation=org, title="X")
    appearance = actions.put_on_agenda(None, dossier=dossier, meeting=board_meeting, stage="decide")
    attend(board_meeting, directors[:4])
    in_english(login(client, secretariat))
    response = client.post(
        reverse("dossiers:decide", args=[org.code, dossier.code, appearance.item_id]),
        {
            "decision-title": "X",
            "decision-text": "t",
            "decision-method": "hands",
            "decision-majority": "simple",
            "decision-yes": 9,
            "decision-no": 0,
            "decision-abstain": 0,
        },
    )
    assert response.status_code == 400 and "Votes: 9 votes counted" in response.text
    assert not Decision.objects.exists()


def test_a_roll_call_is_taken_on_the_dossier_page(
    client: Client,
    org: Organisation,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    dossier = actions.open_dossier(None, organisation=org, title="Lease")
    appearance = actions.put_on_agenda(None, dossier=dossier, meeting=board_meeting, stage="decide")
    attend(board_meeting, directors[:4])
    in_english(login(client, secretariat))
    page = client.get(reverse("dossiers:detail", args=[org.code, dossier.code]))
    assert (
        list(page.context["pending"][0].roll)
        == sorted((m.person for m in directors[:4]), key=lambda p: (p.last_name, p.first_name))
        and f'name="vote-{directors[0].person.pk}"' in page.text
    )
    form = {
        "decision-title": "Lease",
        "decision-text": "t",
        "decision-method": "roll_call",
        "decision-majority": "simple",
        "decision-yes": 0,
        "decision-no": 0,
        "decision-abstain": 0,
        f"vote-{directors[0].person.pk}": "yes",
        f"vote-{directors[1].person.pk}": "yes",
        f"vote-{directors[2].person.pk}": "no",
        f"vote-{directors[3].person.pk}": "abstain",
    }
    url = reverse("dossiers:decide", args=[org.code, dossier.code, appearance.item_id])
    absent = client.post(url, {**form, f"vote-{directors[5].person.pk}": "no"})
    assert absent.status_code == 400 and "Roll call:" in absent.text
    assert '<option value="abstain" selected>' in absent.text  # the votes given are kept
    assert not Decision.objects.exists()
    assert client.post(url, form).status_code == 302
    decision = Decision.objects.get()
    assert (decision.yes, decision.no, decision.adopted) == (2, 1, True)
    assert decision.votes.count() == 4
    shown = client.get(reverse("dossiers:detail", args=[org.code, dossier.code])).text
    assert f"{directors[3].person} (abstention)" in shown


def test_the_dossier_page_does_not_grow_in_queries(
    client: Client,
    org: Organisation,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    dossier = actions.open_dossier(None, organisation=org, title="Growing")
    login(client, secretariat)
    page = reverse("dossiers:detail", args=[org.code, dossier.code])

    def grow(count: int) -> None:
        for index in range(count):
            appearance = actions.put_on_agenda(
                None, dossier=dossier, meeting=board_meeting, stage="discuss", title=f"Step {index}"
            )
            meeting_actions.record_outcome(
                None, meeting=board_meeting, item=appearance.item, kind="note", text="n"
            )
            actions.add_action(
                None,
                dossier=dossier,
                title=f"Do {index}",
                owner=secretariat,
                due_on=datetime.date(2024, 5, 1),
            )

    grow(2)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    grow(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(many) == len(few)


def test_the_register_filters_searches_exports_and_stays_bounded(
    client: Client,
    org: Organisation,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
    django_assert_max_num_queries: object,
) -> None:
    attend(board_meeting, directors[:5])
    for title, tags in (
        ("Budget 2025", ["budget"]),
        ("Plan diversité", ["well_being"]),
        ("Offre", ["services"]),
    ):
        dossier = actions.open_dossier(None, organisation=org, title=title, tags=tags)
        appearance = actions.put_on_agenda(
            None, dossier=dossier, meeting=board_meeting, stage="decide"
        )
        actions.record_decision(
            None,
            item=appearance.item,
            title=title,
            text=f"Text of {title}",
            method="hands",
            yes=4,
            no=1,
        )
    login(client, secretariat)
    register = reverse("dossiers:register", args=[org.code])
    with django_assert_max_num_queries(18):  # type: ignore[operator]
        everything = client.get(register)
    assert everything.context["page"].paginator.count == 3
    assert [d.title for d in client.get(register, {"text": "diversité"}).context["page"]] == [
        "Plan diversité"
    ]
    assert [d.title for d in client.get(register, {"tag": "budget"}).context["page"]] == [
        "Budget 2025"
    ]
    assert client.get(register, {"year": "2023"}).context["page"].paginator.count == 0
    pdf = client.get(register, {"format": "pdf", "text": "diversité"})
    assert pdf["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Plan diversité" in text and "Budget 2025" not in text
    export = client.get(register, {"format": "csv", "body": "ca"})
    lines = export.content.decode().strip().splitlines()
    assert len(lines) == 4 and "CA-2024-001" in export.content.decode()


def test_restricted_dossiers_stay_out_of_sight(
    client: Client, org: Organisation, board: Body, plain_member: Person, secretariat: Person
) -> None:
    dossier = actions.open_dossier(
        None, organisation=org, title="Salaires", confidentiality="restricted"
    )
    login(client, plain_member)
    assert client.get(reverse("dossiers:detail", args=[org.code, dossier.code])).status_code == 404
    assert "Salaires" not in client.get(reverse("dossiers:list", args=[org.code])).text
    login(client, secretariat)
    assert client.get(reverse("dossiers:detail", args=[org.code, dossier.code])).status_code == 200


def test_actions_are_followed_with_their_status_and_notes(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    dossier = actions.open_dossier(None, organisation=org, title="Plan")
    action = actions.add_action(
        None,
        dossier=dossier,
        title="Write the plan",
        owner=secretariat,
        due_on=datetime.date(2020, 1, 1),
    )
    login(client, secretariat)
    overdue = client.get(reverse("dossiers:actions", args=[org.code]), {"overdue": "1"})
    assert [a.pk for a in overdue.context["actions"]] == [action.pk]
    client.post(
        reverse("dossiers:actions", args=[org.code]),
        {"action": str(action.code), "status": "done", "note": "Sent to the board."},
    )
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and "Sent to the board." in action.notes


def test_an_action_decided_at_a_meeting_outside_any_dossier(
    client: Client, org: Organisation, board_meeting: Meeting, secretariat: Person
) -> None:
    in_english(login(client, secretariat))
    url = reverse("dossiers:actions", args=[org.code])
    form = {"add": "1", "add-title": "Book the room", "add-owner": secretariat.pk}
    missing = client.post(url, {**form, "add-meeting": board_meeting.pk})
    assert missing.status_code == 400 and "This field is required" in missing.text
    assert not Action.objects.exists()
    client.post(url, {**form, "add-meeting": board_meeting.pk, "add-due_on": "2030-01-31"})
    action = Action.objects.get()
    assert action.meeting == board_meeting and action.dossier is None
    assert board_meeting.get_absolute_url() in client.get(url).text


def test_written_resolutions_from_the_pages(
    client: Client, org: Organisation, board: Body, directors: list[Mandate], secretariat: Person
) -> None:
    from coopgov.dossiers.models import WrittenResolution

    login(client, secretariat)
    client.post(
        reverse("dossiers:resolutions", args=[org.code]),
        {
            "body": board.pk,
            "title": "Signature",
            "text": "The board gives…",
            "deadline": "2099-12-31",
        },
    )
    resolution = WrittenResolution.objects.get()
    page = reverse("dossiers:resolution", args=[org.code, resolution.code])
    for mandate in directors:
        login(client, mandate.person)
        client.post(page, {"answer": "yes"})
    login(client, secretariat)
    client.post(page, {"step": "conclude"})
    resolution.refresh_from_db()
    assert resolution.status == "adopted" and resolution.decision is not None
    assert (
        client.get(reverse("dossiers:resolution", args=[org.code, "not-a-code"])).status_code == 404
    )


def test_owners_of_due_and_overdue_actions_get_one_reminder_each(
    org: Organisation,
    secretariat: Person,
    plain_member: Person,
    django_capture_on_commit_callbacks: object,
) -> None:
    from django.core import mail
    from django.core.management import call_command

    dossier = actions.open_dossier(None, organisation=org, title="Plan")
    actions.add_action(
        None, dossier=dossier, title="Overdue", owner=secretariat, due_on=datetime.date(2020, 1, 1)
    )
    actions.add_action(
        None,
        dossier=dossier,
        title="Soon",
        owner=secretariat,
        due_on=datetime.date.today() + datetime.timedelta(days=3),
    )
    actions.add_action(
        None,
        dossier=dossier,
        title="Later",
        owner=plain_member,
        due_on=datetime.date.today() + datetime.timedelta(days=60),
    )
    done = actions.add_action(
        None, dossier=dossier, title="Done", owner=plain_member, due_on=datetime.date(2020, 1, 1)
    )
    actions.update_action(None, action=done, status="done")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        call_command("remind_actions", stdout=__import__("io").StringIO())
    assert [message.to for message in mail.outbox] == [[secretariat.email]]
    assert (
        "Overdue" in mail.outbox[0].body
        and "Soon" in mail.outbox[0].body
        and "Later" not in mail.outbox[0].body
    )


def test_the_dialogue_page_and_the_map_show_open_expectations_and_duties(
    client: Client, org: Organisation, board: Body, secretariat: Person
) -> None:
    from coopgov.bodies import actions as body_actions
    from coopgov.dossiers.models import Expectation

    council = body_actions.create_body(
        None,
        organisation=org,
        code="ce",
        name="Conseil d'entreprise",
        kind="works_council",
        may_decide=False,
    )
    login(client, secretariat)
    in_english(client)
    page = reverse("dossiers:dialogue", args=[org.code])
    client.post(page, {"from_body": council.pk, "to_body": board.pk, "text": "Involve us early."})
    expectation = Expectation.objects.get()
    actions.add_information_duty(
        None, from_body=board, to_body=council, title="Quarterly information", period="quarterly"
    )
    map_page = client.get(reverse("bodies:map", args=[org.code]))
    assert "1 open expectation" in map_page.text and "1 information duty" in map_page.text
    client.post(
        page, {"expectation": expectation.pk, "answer": "At every orientation.", "close": "on"}
    )
    expectation.refresh_from_db()
    assert expectation.status == "closed"
    assert "At every orientation." in client.get(page).text


def test_from_the_meeting_page_relate_and_see_documents(
    client: Client, org: Organisation, board_meeting: Meeting, seminar: Meeting, secretariat: Person
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = actions.open_dossier(None, organisation=org, title="Offre")
    other = actions.open_dossier(None, organisation=org, title="Budget")
    login(client, secretariat)
    in_english(client)
    page = reverse("dossiers:schedule_from_meeting", args=[org.code, board_meeting.code])
    assert client.get(page).status_code == 200
    assert client.post(page, {"dossier": str(dossier.code), "stage": "discuss"}).status_code == 302
    refused = client.post(
        reverse("dossiers:schedule_from_meeting", args=[org.code, seminar.code]),
        {"dossier": str(dossier.code), "stage": "decide"},
    )
    assert refused.status_code == 400 and "Non-deciding meeting" in refused.text
    item = dossier.appearances.get().item
    meeting_actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Note",
        item=item,
        upload=SimpleUploadedFile("n.txt", b"x", content_type="text/plain"),
    )
    client.post(
        reverse("dossiers:relate", args=[org.code, dossier.code]), {"other": str(other.code)}
    )
    detail = client.get(reverse("dossiers:detail", args=[org.code, dossier.code]))
    assert [d.title for d, _v in detail.context["documents"]] == ["Note"]
    assert detail.context["related"] == [other]
