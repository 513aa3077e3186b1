"""`coopgov verify_audit`: recompute every hash of the audit trail and name the first broken
link of each chain; print each chain's head so that the operator can keep it elsewhere."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from coopgov.core.audit import ChainReport, verify_chains
from coopgov.core.models import Organisation

# The triggers that refuse to rewrite core_event (migrations 0002 and 0007).
TRIGGERS = {
    "postgresql": {"core_event_no_update_delete", "core_event_no_truncate"},
    "sqlite": {"core_event_no_update", "core_event_no_delete"},
}


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chains; print each chain's head hash, or the first "
        "broken link of each chain and exit with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--heads-only",
            action="store_true",
            help="One line per chain: organisation code ('-' for events without one), "
            "position, head hash.",
        )

    def handle(self, *args: Any, heads_only: bool = False, **options: Any) -> None:
        codes: dict[int | None, str] = dict(Organisation.objects.values_list("pk", "code"))
        reports = list(verify_chains())
        broken = [report for report in reports if report.broken is not None]
        if heads_only and not broken:
            for report in reports:
                code = codes.get(report.organisation_id, "-")
                self.stdout.write(f"{code} {report.head_seq} {report.head_hash}")
            return
        for report in broken:
            assert report.broken is not None
            self.stderr.write(
                f"{_chain_name(report, codes)}: broken at position {report.broken.seq} "
                f"(event {report.broken.event_id or '-'}), {report.broken.kind}: "
                f"{report.broken.detail}; {report.events} events before it verify"
            )
        missing = _missing_triggers()
        if missing:
            self.stderr.write(
                "the database no longer refuses to rewrite core_event: trigger(s) "
                + ", ".join(sorted(missing))
                + " missing or disabled (re-create them: see docs/operator-guide.md)"
            )
        if broken or missing:
            raise CommandError(
                f"audit trail NOT intact: {len(broken)} of {len(reports)} chains broken"
                if broken
                else "audit trail chains verify, but the append-only triggers are missing"
            )
        total = sum(report.events for report in reports)
        self.stdout.write(f"audit trail intact: {total} events in {len(reports)} chains, heads:")
        for report in reports:
            self.stdout.write(
                f"  {_chain_name(report, codes)}: position {report.head_seq} {report.head_hash}"
            )


def _chain_name(report: ChainReport, codes: dict[int | None, str]) -> str:
    if report.organisation_id is None:
        return "(no organisation)"
    return codes.get(report.organisation_id, f"organisation {report.organisation_id}")


def _missing_triggers() -> set[str]:
    expected = TRIGGERS.get(connection.vendor, set())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_event'::regclass "
                "AND tgenabled <> 'D'"
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_event'"
            )
        else:
            return set()
        present = {name for (name,) in cursor.fetchall()}
    return expected - present
