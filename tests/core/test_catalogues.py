"""French and Dutch are complete, and the compiled catalogues match their sources."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "coopgov" / "locale"


def po_entries(path: Path) -> list[dict[str, str | list[str] | bool]]:
    """msgid, msgid_plural, msgstr forms and the fuzzy flag of each entry of a .po file."""
    entries: list[dict[str, str | list[str] | bool]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str | list[str] | bool] = {"fuzzy": False, "msgstr": []}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
                key, _, literal = line.partition(" ")
                value = ast.literal_eval(literal)
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)  # type: ignore[union-attr]
                else:
                    entry[key] = value
            elif line.startswith('"') and key:
                value = ast.literal_eval(line)
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += value  # type: ignore[index]
                else:
                    entry[key] += value  # type: ignore[operator]
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_string_is_translated_and_compiled(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    entries = po_entries(folder / "django.po")
    assert len(entries) > 250
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    missing = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstr"])]  # type: ignore[arg-type]
    assert missing == []
    stale = [
        e["msgid"]
        for e in entries
        if "msgid_plural" not in e and catalogue.gettext(e["msgid"]) != e["msgstr"][0]  # type: ignore[arg-type,index]
    ]
    assert stale == [], "run `make messages` to compile the catalogues"
