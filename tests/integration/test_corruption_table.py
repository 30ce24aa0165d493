"""Every damage to settings.json and history.json we could think of, and what SIPSight does about it.

The test builds the table (case -> what happens to each file) from what the code really does, checks the promises
(nothing unreadable is overwritten: it is set aside byte for byte under a unique name, the user gets a note, the
next save works and leaves the copy alone), and compares the table with the one in the reliability doc.
`SIPSIGHT_WRITE_DOCS=1 pytest tests/integration/test_corruption_table.py` rewrites the doc's table.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

import project_paths
from sipsight.core import paths
from sipsight.core.history import FORMAT_VERSION, HistoryEntry, HistoryStore
from sipsight.settings.store import load_settings, load_settings_with_notes, set_preferences, settings_path

DOCS = [project_paths.ROOT / "docs" / "reliability.md"]
START, END = "<!-- storage-corruption-table -->", "<!-- /storage-corruption-table -->"
ACCOUNT = "AC" + "0" * 32


def _settings_ok() -> bytes:
    data = {
        "schema_version": 1,
        "profiles": [{"name": "work", "account_sid": ACCOUNT, "auth_mode": "auth_token"}],
        "active_profile": "work",
        "theme": "dark",
    }
    return json.dumps(data, indent=2).encode()


def _history_ok() -> bytes:
    rows = [HistoryEntry(destination=f"+1303555010{i}", headline=f"case {i}").model_dump(mode="json") for i in range(5)]
    return json.dumps({"version": FORMAT_VERSION, "entries": rows}).encode()


Damage = Callable[[bytes], bytes]
# case -> (damage to a good settings file, damage to a good history file); None: made by hand below
CASES: dict[str, tuple[Damage, Damage]] = {
    "empty file (0 bytes)": (lambda b: b"", lambda b: b""),
    "blank (only spaces and newlines)": (lambda b: b" \n" * 50, lambda b: b" \n" * 50),
    "truncated (a write cut in half)": (lambda b: b[: len(b) // 2], lambda b: b[: len(b) // 2]),
    "invalid UTF-8": (lambda b: b.replace(b"dark", b"d\xffrk"), lambda b: b.replace(b"case 1", b"case \xff")),
    "UTF-8 BOM (Windows Notepad)": (lambda b: b"\xef\xbb\xbf" + b, lambda b: b"\xef\xbb\xbf" + b),
    "NUL bytes (zero-filled after a power cut)": (lambda b: b"\x00" * len(b), lambda b: b"\x00" * len(b)),
    "a 5,000-digit number": (
        lambda b: b.replace(b'"theme": "dark"', b'"history_days": ' + b"9" * 5000),
        lambda b: b.replace(b'"version": 2', b'"version": ' + b"9" * 5000),
    ),
    "100,000 nested lists": (lambda b: b"[" * 100_000 + b"]" * 100_000, lambda b: b"[" * 100_000 + b"]" * 100_000),
    "a value nested 200 deep": (
        lambda b: b.replace(b'"dark"', b"[" * 200 + b"]" * 200),
        lambda b: b.replace(b'"case 1"', b"[" * 200 + b"]" * 200),
    ),
    "top level not an object": (lambda b: b"[1, 2, 3]", lambda b: b"[1, 2, 3]"),
    "wrong types": (
        lambda b: b.replace(b'"theme": "dark"', b'"profiles": "work"').replace(b'"profiles": [', b'"x": ['),
        lambda b: b.replace(b'"entries": [', b'"entries": {"rows": [').replace(b"}]}", b"}]}}"),
    ),
    "one bad profile / one bad entry": (
        lambda b: b.replace(b'"auth_mode": "auth_token"', b'"auth_mode": "password"'),
        lambda b: b.replace(b'"destination": "+13035550101"', b'"destination": 5'),
    ),
    "from a newer SIPSight": (
        lambda b: b.replace(b'"schema_version": 1', b'"schema_version": 7'),
        lambda b: b.replace(b'"version": 2', b'"version": 7'),
    ),
    "older layout (settings v0, history format 1)": (
        lambda b: json.dumps({"account_sid": ACCOUNT, "auth_token": "tok", "tz": "UTC"}).encode(),
        lambda b: b.replace(b'"version": 2', b'"version": 1').replace(
            b'"case 0"', b'"case 0", "result": {"attempts": []}'
        ),
    ),
    "too large (over the size limit)": (
        lambda b: b + b" " * (5 * 1024 * 1024),
        lambda b: b + b" " * (65 * 1024 * 1024),
    ),
}
HAND_MADE = ["read-only file", "a folder in its place"]


def _reason(note: str) -> str:
    found = re.search(r"could not be read \((.*?)\);", note)
    if found:
        return found.group(1)
    newer = re.search(r"written by a newer SIPSight \(.*?\)", note)
    return newer.group(0) if newer else note.split(";")[0]


def _settings_case(case: str) -> str:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    good = _settings_ok()
    if case == "read-only file":
        path.write_bytes(good)
        path.chmod(stat.S_IRUSR)
        original = good
    elif case == "a folder in its place":
        (path / "x").mkdir(parents=True)
        original = None
    else:
        original = CASES[case][0](good)
        path.write_bytes(original)
    settings, notes = load_settings_with_notes()
    aside = sorted(path.parent.glob("settings.json.bad-*"))
    copies = sorted(path.parent.glob("settings.json.v0-*"))
    set_preferences(presenter_mode=True)  # the next change works ...
    assert load_settings().presenter_mode
    if aside:
        assert len(aside) == 1 and len(notes) == 1 and str(aside[0]) in notes[0]
        if original is not None:
            assert aside[0].read_bytes() == original  # ... and never touches the copy
        else:
            assert (aside[0] / "x").is_dir()
        return f"set aside byte for byte (`settings.json.bad-<time>`), defaults used; note: *{_reason(notes[0])}*"
    if copies:
        assert copies[0].read_bytes() == original and any(str(copies[0]) in n for n in notes)
        return "upgraded to v1; the original copied aside byte for byte (`settings.json.v0-…`); notes say where"
    assert notes == [] and settings.profile("work") is not None and settings.theme == "dark"
    return "read as it is" + ("; the next change replaces it (atomic rename)" if case == "read-only file" else "")


def _history_case(case: str) -> str:
    path = paths.data_dir() / "history.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    good = _history_ok()
    if case == "read-only file":
        path.write_bytes(good)
        path.chmod(stat.S_IRUSR)
        original: bytes | None = good
    elif case == "a folder in its place":
        (path / "x").mkdir(parents=True)
        original = None
    else:
        original = CASES[case][1](good)
        path.write_bytes(original)
    store = HistoryStore(path, background=False)
    shown = len(store)
    store.add(HistoryEntry(destination="+13035550199", headline="new"))
    aside = sorted(path.parent.glob("history.json.bad-*"))
    if not store.writable:
        assert path.read_bytes() == original and len(store.notes) == 1 and not aside
        return f"left untouched, not written this session; note: *{_reason(store.notes[0])}*"
    again = HistoryStore(path, background=False)
    assert any(e.headline == "new" for e in again.entries())  # the next save works
    if aside:
        assert len(aside) == 1 and len(store.notes) == 1 and str(aside[0]) in store.notes[0]
        if original is not None:
            assert aside[0].read_bytes() == original
        kept = (
            f"{shown} of 5 entries kept, the file as it was copied aside (`history.json.bad-<time>`)"
            if shown
            else "set aside byte for byte (`history.json.bad-<time>`), starts empty"
        )
        return f"{kept}; note: *{_reason(store.notes[0]) if not shown else store.notes[0].split(';')[0]}*"
    assert store.notes == [] and shown == 5
    if case.startswith("older layout"):
        return "read, rewritten as format 2 (counts kept, calls dropped)"
    return "read as it is" + ("; the next save replaces it (atomic rename)" if case == "read-only file" else "")


def _generic(text: str) -> str:
    """Paths and stamps out of a note, so the table does not depend on the machine or the clock."""
    text = re.sub(r"/\S*?/(settings|history)\.json", r"\1.json", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT[\d.-]+Z", "<time>", text)
    return re.sub(r"byte \d+", "byte N", text).replace("|", "\\|")


@pytest.mark.parametrize("case", [*CASES, *HAND_MADE])
def test_damaged_files_are_kept_and_told(case: str, _isolated_home: Path) -> None:
    row = f"| {case} | {_generic(_settings_case(case))} | {_generic(_history_case(case))} |"
    _ROWS[case] = row


_ROWS: dict[str, str] = {}


def _table() -> str:
    head = "| damage | settings.json | history.json |\n|---|---|---|\n"
    return head + "\n".join(_ROWS[c] for c in [*CASES, *HAND_MADE]) + "\n"


def test_the_reliability_doc_shows_this_table() -> None:
    if len(_ROWS) != len(CASES) + len(HAND_MADE):
        pytest.skip("run with the cases above (the whole module)")
    table = _table()
    doc = next((d for d in DOCS if d.exists() and START in d.read_text(encoding="utf-8")), None)
    assert doc is not None, f"no {START} table in {[str(d) for d in DOCS]}"
    text = doc.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    current, after = rest.split(END, 1)
    if os.environ.get("SIPSIGHT_WRITE_DOCS"):
        doc.write_text(f"{before}{START}\n{table}{END}{after}", encoding="utf-8")
        return
    assert current.strip() == table.strip(), f"the table in {doc.name} is out of date: SIPSIGHT_WRITE_DOCS=1"
