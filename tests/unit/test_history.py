"""The recent-lookups store: add, replace, prune by age and count, clear, masking, restore, bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sipsight.core.history import HistoryEntry, HistoryStore, result_to_json
from sipsight.core.models import Attempt, Diagnosis, DiagnosisKind, LookupResult, Query

DEST = "+13035550199"
CALLER = "+17205550100"


def _result() -> LookupResult:
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    attempt = Attempt(
        id="CAdemo1",
        start_time=now,
        **{"from": CALLER},
        to=DEST,
        sip_code=608,
        sip_reason="Rejected",
        raw={"sid": "CAdemo1", "status": "failed", "nested": {"a": [1, 2]}},
    )
    return LookupResult(
        query=Query(destination=DEST, caller_id=CALLER, since=now - timedelta(days=7)),
        provider="twilio",
        demo=True,
        scenario="origin-ticket",
        caller_id=CALLER,
        attempts=[attempt],
        diagnosis=Diagnosis(kind=DiagnosisKind.RECIPIENT_BLOCKED, confidence=0.7, headline="Blocked by the recipient"),
    )


def test_add_persists_newest_first_and_replaces_same_case(tmp_path):
    path = tmp_path / "h.json"
    store = HistoryStore(path)
    store.add(HistoryEntry(destination=DEST, caller_id=CALLER, headline="first"))
    store.add(HistoryEntry(destination="+13035550142", headline="other"))
    store.add(HistoryEntry(destination=DEST, caller_id=CALLER, headline="again"))
    reopened = HistoryStore(path)
    assert [e.headline for e in reopened.entries()] == ["again", "other"]


def test_prune_by_age_and_by_count(tmp_path):
    store = HistoryStore(tmp_path / "h.json", days=7, max_entries=3)
    old = datetime.now(UTC) - timedelta(days=8)
    store.add(HistoryEntry(destination="+13035550101", created=old))
    for i in range(2, 6):
        store.add(HistoryEntry(destination=f"+1303555010{i}"))
    assert len(store) == 3  # the old one aged out, then the count cap kept the newest three
    assert [e.destination for e in store.entries()] == ["+13035550105", "+13035550104", "+13035550103"]
    assert store.prune(now=datetime.now(UTC) + timedelta(days=30)) == 3
    assert HistoryStore(tmp_path / "h.json").entries() == []


def test_pruned_on_load_with_new_days(tmp_path):
    path = tmp_path / "h.json"
    HistoryStore(path, days=30).add(HistoryEntry(destination=DEST, created=datetime.now(UTC) - timedelta(days=3)))
    assert len(HistoryStore(path, days=30)) == 1
    assert len(HistoryStore(path, days=2)) == 0


def test_clear_removes_the_file(tmp_path):
    path = tmp_path / "h.json"
    store = HistoryStore(path)
    store.add(HistoryEntry(destination=DEST))
    assert path.exists()
    store.clear()
    assert not path.exists() and len(store) == 0


def test_label_masks_numbers(tmp_path):
    entry = HistoryEntry(destination=DEST, caller_id=CALLER, headline="Blocked", demo=True)
    label = entry.label(UTC)
    assert "0199" in label and "3035550199" not in label and "303" not in label
    assert entry.masked_caller_id is not None and "720" not in entry.masked_caller_id
    assert "(demo)" in label


def test_default_path_is_in_data_dir(_isolated_home):
    store = HistoryStore()
    store.add(HistoryEntry(destination=DEST))
    assert (_isolated_home / "data" / "history.json").exists()


def test_result_round_trip_keeps_raw_records(tmp_path):
    store = HistoryStore(tmp_path / "h.json")
    entry = store.add_result(_result(), input_text="x" * 20000, window="24h")
    assert entry.kind == "recipient_blocked" and entry.headline == "Blocked by the recipient"
    assert len(entry.input_text) == 8000
    restored = HistoryStore(tmp_path / "h.json").entries()[0].restore()
    assert restored is not None
    assert restored.attempts[0].sip_code == 608
    assert restored.attempts[0].raw["nested"] == {"a": [1, 2]}
    assert result_to_json(restored)["attempts"][0]["from"] == CALLER


def test_corrupt_file_and_bad_rows_are_survived(tmp_path):
    path = tmp_path / "h.json"
    path.write_text("{not json", encoding="utf-8")
    assert HistoryStore(path).entries() == []
    good = HistoryEntry(destination=DEST).model_dump(mode="json")
    path.write_text(json.dumps({"version": 1, "entries": [{"destination": 5, "created": "x"}, good]}), encoding="utf-8")
    assert [e.destination for e in HistoryStore(path).entries()] == [DEST]


def test_unrestorable_result_returns_none():
    assert HistoryEntry(destination=DEST, result={"query": "broken"}).restore() is None
    assert HistoryEntry(destination=DEST).restore() is None
