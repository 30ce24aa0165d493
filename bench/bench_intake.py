"""Intake speed benchmark: every 1 MB input, realistic or adversarial, against the 100 ms target, in one run.

    python bench/bench_intake.py [--runs 5] [--size 1000000]

One line per input with its median CPU time and its ratio to the target (a ratio below 1.0 meets it). The
adversarial inputs are the ones that made a scan quadratic or worse before (1 MB of "www." took minutes, of "("
1.7 s) and the shapes every step of the intake looks for, repeated until the text is 1 MB. CPU time
(time.process_time) is measured, so another process on the machine does not count against intake.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable

from bench_core import conversation

TARGET_S = 0.100

ADVERSARIAL: dict[str, str] = {
    "www.": "www.",
    "://": "://",
    "digits": "0123456789",
    "+1 (": "+1 (",
    "(": "(",
    "comma-separated URLs": "https://example.com/calls?to=%2B13035550199&id=42,",
    "one long line, no newline": "I called the seller at (303) 555-0199 and it went straight to voicemail, ",
    "quoted-reply markers": "On Mon, Nov 23, 2026 at 9:14 AM Dana <dana@x.example> wrote:\n> ",
    "name · 2h lines": "**Dana Whitfield** · 2h\nhi\n",
    "From/Sent/To headers": "From: Dana <dana@x.example>\nSent: Monday\nTo: support@acme.example\n\nhi\n",
    "chat speaker lines": "Visitor: it rings once 0199\nAgent: which number?\n",
    "last four digits": "the 0199 line, ",
    "newlines": "\n",
    "spaces": " ",
    "accented letters": "é",
    "emoji": "🙄",
    "symptom phrases": "goes straight to voicemail, ",
    "cue phrases": "my caller ID is the old one, call me back at ",
}


def fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def distinct_quotes(size: int) -> str:
    """A thread of distinct quoted replies (repeated lines would be read once, which hides the cost of structure)."""
    out, total, i = [], 0, 0
    while total < size:
        block = (f"On Mon, Nov {i % 28 + 1}, 2026 at 9:{i % 60:02d} AM Dana Reyes{i} <d{i}@x.example> wrote:\n"
                 + "> " * (i % 4 + 1) + f"the seller {i} goes to voicemail, call {i}\n")
        out.append(block)
        total += len(block)
        i += 1
    return "".join(out)[:size]


def measure(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: the vocabulary is compiled once per process, not per paste
    times = []
    gc.disable()
    try:
        for _ in range(runs):
            started = time.process_time()
            fn()
            times.append(time.process_time() - started)
    finally:
        gc.enable()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per input (the median is printed)")
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per input")
    args = parser.parse_args(argv)

    from sipsight.core.intake import parse

    inputs = {"realistic conversation (bench_core)": conversation(args.size)}
    inputs.update({name: fill(unit, args.size) for name, unit in ADVERSARIAL.items()})
    inputs["distinct quoted replies"] = distinct_quotes(args.size)
    slow = 0
    for name, text in inputs.items():
        seconds = measure(lambda text=text: parse(text), args.runs)
        verdict = "ok" if seconds <= TARGET_S else "SLOW"
        slow += verdict == "SLOW"
        print(f"intake.parse, {len(text) / 1e6:.1f} MB of {name:<36} median {seconds * 1000:7.1f} ms  "
              f"target {TARGET_S * 1000:.0f} ms  ratio {seconds / TARGET_S:5.2f}  {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
