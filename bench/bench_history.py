"""History benchmark: the size of one entry and what 50 kept entries cost the agent when a result arrives.

    python bench/bench_history.py [--runs 5] [--scenario origin-ticket]

One real demo lookup (the scenario through the embedded simulator) is stored the way format 1 stored it (the whole
LookupResult with every attempt's raw provider record: reproduced here, as that code is gone) and the way the
history stores it now (format 2: the case, not the calls). For each layout it times storing the result into an
empty history and into one already holding 49 entries (the default cap is 50), on the caller's thread (the GUI
thread: what delays the result on screen) and, for format 2, until the file is on disk. It also times reading
50 entries at start. Every line ends with a ratio; "before/after" above 1.0 is how many times better it got.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sipsight.core.history import HistoryEntry, HistoryStore
from sipsight.core.models import LookupResult, Query
from sipsight.core.storage import atomic_write_text


class FormatOneEntry(HistoryEntry):
    """Format 1's entry: the same fields plus the whole result."""

    result: dict[str, Any] | None = None


def format_one_result(result: LookupResult) -> dict[str, Any]:
    """What format 1 kept per lookup (the removed history.result_to_json): every attempt with its raw record."""
    data = result.model_dump(mode="json", by_alias=True)
    for key in ("attempts", "caller_attempts"):
        for dumped, attempt in zip(data.get(key) or [], getattr(result, key), strict=False):
            dumped["raw"] = json.loads(json.dumps(attempt.raw, default=str))
    return data


def format_one_store(path: Path, kept: list[FormatOneEntry], result: LookupResult, text: str) -> None:
    """Format 1's add_result: build the entry, put it first, dump every entry and write the whole file."""
    diag = result.diagnosis
    entry = FormatOneEntry(
        destination=result.query.destination,
        caller_id=result.caller_id,
        demo=result.demo,
        input_text=text,
        kind=str(diag.kind) if diag else None,
        headline=diag.headline if diag else None,
        confidence=diag.confidence if diag else None,
        result=format_one_result(result),
    )
    entries = [entry, *kept][:50]
    doc = {"version": 1, "entries": [e.model_dump(mode="json") for e in entries]}
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False), prefix=".history-")


def demo_result(scenario: str) -> tuple[LookupResult, str]:
    from sipsight.core.lookup import run_lookup
    from sipsight.core.scenarios import get_scenario
    from sipsight.providers.factory import create_session

    chosen = get_scenario(scenario)
    with create_session(scenario=scenario) as session:
        query = Query(
            destination=chosen.destination, caller_id=chosen.caller_id, since=datetime.now(UTC) - timedelta(days=7)
        )
        return run_lookup(session, query), chosen.conversation


def median_s(fn: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def others(result: LookupResult, n: int) -> list[LookupResult]:
    """`n` results like this one for other destinations, to fill a history."""
    return [
        result.model_copy(update={"query": result.query.model_copy(update={"destination": f"+1303555{i:04d}"})})
        for i in range(n)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", default="origin-ticket")
    args = parser.parse_args(argv)
    result, text = demo_result(args.scenario)
    fill = others(result, 49)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # ---- entry size
        old_entry = FormatOneEntry(destination=result.query.destination, result=format_one_result(result))
        old_size = len(json.dumps(old_entry.model_dump(mode="json"), ensure_ascii=False).encode())
        probe = HistoryStore(root / "size.json", background=False)
        new_size = len(json.dumps(probe.add_result(result, input_text=text).model_dump(mode="json")).encode())

        # ---- format 1: storing a result into an empty history and into one holding 49
        old_kept = [
            FormatOneEntry(destination=r.query.destination, result=format_one_result(r), input_text=text) for r in fill
        ]
        old_empty = median_s(lambda: format_one_store(root / "old0.json", [], result, text), args.runs)
        old_full = median_s(lambda: format_one_store(root / "old49.json", old_kept, result, text), args.runs)
        old_file = (root / "old49.json").stat().st_size
        old_load = median_s(lambda: _load_format_one(root / "old49.json"), args.runs)

        # ---- format 2: the same, on the caller's thread (background writer) and until on disk
        def new_store(path: Path, n: int, background: bool) -> Callable[[], None]:
            path.unlink(missing_ok=True)
            seed = HistoryStore(path, background=False)
            for r in fill[:n]:
                seed.add_result(r, input_text=text)
            store = HistoryStore(path, background=background)
            return lambda: store.add_result(result, input_text=text) and None

        new_empty = median_s(new_store(root / "new0.json", 0, background=False), args.runs)
        new_full = median_s(new_store(root / "new49.json", 49, background=False), args.runs)
        background = HistoryStore(root / "new49.json", background=True)
        new_caller = median_s(lambda: background.add_result(result, input_text=text), args.runs)
        background.flush()
        new_file = (root / "new49.json").stat().st_size
        new_load = median_s(lambda: HistoryStore(root / "new49.json", background=False).entries(), args.runs)

    rows = [
        ("entry size, bytes", old_size, new_size),
        ("history file with 50 entries, bytes", old_file, new_file),
        ("store a result, empty history, s (to disk)", old_empty, new_empty),
        ("store a result, 49 kept, s (to disk)", old_full, new_full),
        ("store a result, 49 kept, s (GUI thread)", old_full, new_caller),
        ("read 50 entries at start, s", old_load, new_load),
    ]
    print(f"history benchmark, scenario {args.scenario}, median of {args.runs} runs")
    for label, before, after in rows:
        spec = ",.0f" if "bytes" in label else ",.4f"
        print(f"  {label:45} before {before:>12{spec}}  after {after:>8{spec}}  before/after {before / after:>8,.1f}x")
    print(
        f"  effect of 49 kept entries on storing a result: before x{old_full / old_empty:,.1f}, "
        f"after x{new_full / new_empty:,.1f} (1.0 = none)"
    )
    return 0


def _load_format_one(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    for row in doc["entries"]:
        FormatOneEntry.model_validate(row)


if __name__ == "__main__":
    sys.exit(main())
