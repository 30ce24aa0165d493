"""The recent-lookups store: add, replace, prune by age and count, clear, masking, restore, bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core import history as history_module
from sipsight.core.history import FORMAT_VERSION, HistoryEntry, HistoryStore
from sipsight.core.models import Attempt, Diagnosis, DiagnosisKind, LookupResult, Query

DEST = "+13035550199"
CALLER = "+17205550100"


@pytest.fixture(autouse=True)
def _synchronous_writes(monkeypatch):
    """The tests read the file right after writing it: write on the calling thread (the writer thread has its
    own test below)."""
    real = HistoryStore.__init__

    def init(self, *args, **kwargs):
        kwargs.setdefault("background", False)
        real(self, *args, **kwargs)

    monkeypatch.setattr(HistoryStore, "__init__", init)


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
    entry = HistoryEntry(
        destination=DEST, caller_id=CALLER, headline="Calls to +1 303-555-0199 go to voicemail", demo=True
    )
    label = entry.label(UTC)
    assert "0199" in label and "3035550199" not in label and "303" not in label
    assert entry.masked_caller_id is not None and "720" not in entry.masked_caller_id
    assert "(demo)" in label
    assert "voicemail" in HistoryEntry(destination=DEST, headline=None, kind="voicemail_pickup").label(UTC).lower()
    assert "_" not in HistoryEntry(destination=DEST, kind="recipient_blocked").label(UTC)


def test_default_path_is_in_data_dir(_isolated_home):
    store = HistoryStore()
    store.add(HistoryEntry(destination=DEST))
    assert (_isolated_home / "data" / "history.json").exists()


def test_an_entry_keeps_the_case_not_the_calls(tmp_path):
    store = HistoryStore(tmp_path / "h.json")
    entry = store.add_result(_result(), input_text="x" * 20000, window="24h")
    assert entry.kind == "recipient_blocked" and entry.headline == "Blocked by the recipient"
    assert (entry.attempts, entry.caller_attempts, entry.window, entry.demo) == (1, 0, "24h", True)
    assert len(entry.input_text) == 8000
    reopened = HistoryStore(tmp_path / "h.json").entries()[0]
    assert reopened == entry  # the case, not the calls: a reopened case is looked up again
    on_disk = (tmp_path / "h.json").read_text(encoding="utf-8")
    assert "CAdemo1" not in on_disk and "nested" not in on_disk and len(on_disk) < 9000


def test_bad_rows_cost_only_themselves_and_the_file_is_kept_as_it_was(tmp_path):
    path = tmp_path / "h.json"
    good = HistoryEntry(destination=DEST).model_dump(mode="json")
    original = json.dumps({"version": 2, "entries": [{"destination": 5, "created": "x"}, good]}).encode()
    path.write_bytes(original)
    store = HistoryStore(path)
    assert [e.destination for e in store.entries()] == [DEST]
    [copy] = tmp_path.glob("h.json.bad-*")
    assert copy.read_bytes() == original and str(copy) in store.notes[0] and "1 of 2 entries" in store.notes[0]
    assert HistoryStore(path).notes == []  # told once: the file was rewritten with the entry that could be read


# ------------------------------------------------------------------ issue 12: nothing lost, nothing slow
def _five(path):
    store = HistoryStore(path)
    for i in range(5):
        store.add(HistoryEntry(destination=f"+1303555010{i}"))
    return path.read_bytes()


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda b: b[: len(b) // 2], "not valid JSON"),
        (lambda b: b"", "empty"),
        (lambda b: b.replace(b"+13035550101", b"+1303555\xff0101"), "not UTF-8"),
        (lambda b: b'{"version": 2, "entries": [' + b"9" * 5000 + b"]}", "cannot read"),
        (lambda b: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (lambda b: b"\x00" * len(b), "NUL bytes"),
        (lambda b: b'["not", "a", "history"]', "not a history file"),
        (lambda b: b'{"entries": []}', "not a history file"),
    ],
)
def test_an_unreadable_history_is_set_aside_byte_for_byte_and_never_overwritten(tmp_path, damage, said):
    path = tmp_path / "h.json"
    broken = damage(_five(path))
    path.write_bytes(broken)
    store = HistoryStore(path)
    assert store.entries() == [] and len(store.notes) == 1 and said in store.notes[0]
    [backup] = tmp_path.glob("h.json.bad-*")
    assert backup.read_bytes() == broken and str(backup) in store.notes[0]
    store.add(HistoryEntry(destination=DEST))
    assert backup.read_bytes() == broken and len(HistoryStore(path)) == 1


def test_a_history_from_a_newer_sipsight_is_kept_read_only(tmp_path):
    path = tmp_path / "h.json"
    future = json.dumps({"version": FORMAT_VERSION + 1, "entries": [{"anything": 1}] * 5}).encode()
    path.write_bytes(future)
    store = HistoryStore(path)
    assert not store.writable and "newer SIPSight" in store.notes[0]
    store.add(HistoryEntry(destination=DEST))
    store.prune()
    store.clear()
    assert len(store.entries()) == 0 and path.read_bytes() == future
    store.add(HistoryEntry(destination=DEST))
    assert len(store) == 1 and path.read_bytes() == future  # kept for the session, never written
    assert not list(tmp_path.glob("h.json.*"))


def test_a_folder_in_place_of_the_file_is_set_aside(tmp_path):
    path = tmp_path / "h.json"
    path.mkdir()
    store = HistoryStore(path)
    assert "folder" in store.notes[0] and len(list(tmp_path.glob("h.json.bad-*"))) == 1
    store.add(HistoryEntry(destination=DEST))
    assert len(HistoryStore(path)) == 1


def test_a_lone_surrogate_in_a_paste_never_stops_later_saves(tmp_path):
    path = tmp_path / "h.json"
    store = HistoryStore(path)
    store.add(HistoryEntry(destination=DEST, input_text="call me \ud83d back", headline="x\udc00"))
    store.add(HistoryEntry(destination="+13035550142", input_text="next"))
    reopened = HistoryStore(path).entries()
    assert [e.destination for e in reopened] == ["+13035550142", DEST]
    assert reopened[1].input_text == "call me \ufffd back" and store.notes == []


def test_a_failing_save_is_told_once_and_never_raises(tmp_path, monkeypatch, caplog):
    store = HistoryStore(tmp_path / "h.json")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(history_module.storage, "atomic_write_text", full_disk)
    for i in range(3):
        store.add(HistoryEntry(destination=f"+1303555010{i}"))
    assert len(store) == 3 and len(store.notes) == 1 and "No space left" in store.notes[0]
    assert caplog.text.count("could not be saved") == 1


def test_disabled_history_reads_and_writes_nothing(tmp_path):
    path = tmp_path / "h.json"
    _five(path)
    before = path.read_bytes()
    store = HistoryStore(path, enabled=False)
    assert store.entries() == []
    store.add(HistoryEntry(destination=DEST))
    store.clear()
    store.add(HistoryEntry(destination=DEST))
    assert (
        len(store) == 1
        and path.read_bytes() == before
        and sorted(p.name for p in tmp_path.iterdir())
        == [
            ".h.json.lock",
            "h.json",
        ]
    )


def test_format_1_is_slimmed_keeping_every_entry(tmp_path):
    path = tmp_path / "h.json"
    attempt = {"id": "CA1", "from": CALLER, "to": "+13035550142", "raw": {"deep": {"x": [1, 2, 3]}}}
    rows = [
        {
            "id": f"e{i}",
            "destination": f"+1303555010{i}",
            "headline": f"h{i}",
            "input_text": "t",
            "result": {"attempts": [attempt] * 2, "caller_attempts": [attempt] * 150},
        }
        for i in range(5)
    ]
    path.write_text(json.dumps({"version": 1, "entries": rows}), encoding="utf-8")
    before = path.stat().st_size
    store = HistoryStore(path)
    assert [e.headline for e in store.entries()] == [f"h{i}" for i in range(5)]
    assert {(e.attempts, e.caller_attempts) for e in store.entries()} == {(2, 150)}
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["version"] == FORMAT_VERSION and "+13035550142" not in text
    assert path.stat().st_size < before / 20 and store.notes == []


def test_other_peoples_numbers_in_a_paste_are_masked_the_cases_own_kept(tmp_path):
    store = HistoryStore(tmp_path / "h.json")
    text = "Customer: my calls to (303) 555-0199 fail. I call from 720-555-0100. My neighbour is 312 555 0177."
    entry = store.add(HistoryEntry(destination=DEST, caller_id=CALLER, input_text=text))
    assert "(303) 555-0199" in entry.input_text and "720-555-0100" in entry.input_text
    assert "312 555 0177" not in entry.input_text and "0177" in entry.input_text


def test_two_windows_adding_at_once_lose_nothing(tmp_path):
    path = tmp_path / "h.json"
    first, second = HistoryStore(path), HistoryStore(path)
    first.add(HistoryEntry(destination="+13035550101"))
    second.add(HistoryEntry(destination="+13035550102"))
    first.add(HistoryEntry(destination="+13035550103"))
    first.remove(first.entries()[0].id)
    assert sorted(e.destination for e in HistoryStore(path).entries()) == ["+13035550101", "+13035550102"]


def test_the_background_writer_saves_without_holding_up_the_caller(tmp_path):
    path = tmp_path / "h.json"
    store = HistoryStore(path, background=True)
    for i in range(20):
        store.add(HistoryEntry(destination=f"+130355501{i:02d}"))
    store.flush()
    assert len(HistoryStore(path)) == 20
