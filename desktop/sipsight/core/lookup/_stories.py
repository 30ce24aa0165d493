"""A ranked number in words: its story ("Connected 3 times until Jun 12, then 5 calls went straight to voicemail
without ringing") and why it ranks where it does, in the diagnosis's words for each measure; no internal ids."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sipsight.core.lookup._ranking_data import RankingData
from sipsight.core.lookup.candidates import CONNECTED, CustomerWords, NumberCalls

MAX_PHRASES = 4  # a reason is one line: its strongest four signals


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def did(measure: str, n: int) -> str:
    """What `n` calls of a measure did ('went straight to voicemail without ringing'; one call 'was declined')."""
    from sipsight.core.diagnosis import measure_did

    words = measure_did(measure)
    return "was " + words[5:] if n == 1 and words.startswith("were ") else words


def _day(t: datetime, tz: str, year: bool) -> str:
    from sipsight.core.diagnosis import format_day
    from sipsight.core.timezones import zone

    return format_day(t, zone(tz), year)


def _counted(measures: list[str], limit: int = 2) -> str:
    """'4 rang and then went to voicemail, 2 rang with nobody picking up': the most common measures first."""
    ranked = sorted(Counter(measures).items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{n} {did(m, n)}" for m, n in ranked[:limit])


def story_of(n: NumberCalls, tz: str = "UTC", year: bool = False) -> str:
    """What happened to the calls to one number, in one line."""
    calls, recent = len(n.measures), n.recent
    if n.changed:
        last = n.last_connected
        assert last is not None  # changed implies a connected call
        head = f"Connected {_times(n.connected)} until {_day(last.start_time, tz, year)}, then "
        kinds = Counter(recent)
        if len(kinds) == 1:
            only = recent[0]
            return head + ("the latest call " if len(recent) == 1 else f"{len(recent)} calls ") + did(only, len(recent))
        return head + f"{len(recent)} calls did not connect ({_counted(recent)})"
    if calls == 1:
        return f"Called once: the call {did(n.measures[0], 1)}"
    if n.connected == calls:
        return f"{calls} calls, every one answered by a person"
    if n.connected:
        return f"{calls} calls, {n.connected} answered by a person, the latest too"
    return f"{calls} calls, none answered by a person: {_counted(n.measures)}"


def _ago(now: datetime, then: datetime, tz: str, year: bool) -> str:
    hours = max(0.0, (now - then).total_seconds() / 3600)
    if hours < 1:
        return f"{max(1, round(hours * 60))} min ago"
    if hours < 24:
        return f"{round(hours)} h ago"
    return f"on {_day(then, tz, year)}"


def reason_of(
    n: NumberCalls,
    signals: dict[str, float],
    words: CustomerWords,
    now: datetime,
    data: RankingData,
    tz: str = "UTC",
    year: bool = False,
) -> str:
    """Why the number ranks where it does: the signals that add most to its score, strongest first, in words."""
    weights = data.signals.weights()
    total = sum(weights[name] for name in signals) or 1.0
    recent = n.recent
    phrases: list[tuple[float, str]] = []
    for name, value in signals.items():
        share = weights[name] * value / total
        if share < data.mention_at:
            continue
        if name == "changed":
            text = "a person answered before and nothing has connected since"
        elif name == "now_fails":
            failing = Counter(m for m in recent if m in data.signals.now_fails.measures)
            measure, k = min(failing.items(), key=lambda kv: (-kv[1], kv[0]))
            if len(recent) == 1:
                text = f"the latest call {did(measure, 1)}"
            elif k == len(recent):
                text = f"all {k} recent calls {did(measure, k)}"
            else:
                text = f"{k} of its {len(recent)} recent calls {did(measure, k)}"
        elif name == "repeated":
            text = f"dialed {_times(len(n.measures))}"
        elif name == "recent":
            text = f"last called {_ago(now, n.last.start_time, tz, year)}"
        elif name == "symptoms":
            said = [s for s in words.symptoms if s in data.symptom_measures]
            quoted = ", ".join(f"\u201c{s.replace('_', ' ')}\u201d" for s in said)
            whose = "the latest call fits" if len(recent) == 1 else "its recent calls fit"
            text = f"{whose} what the customer wrote ({quoted})"
        elif name == "prior_contact":
            text = f"a person answered {_times(n.connected)}, and the customer says they spoke before"
        else:
            text = "called around the time the customer gave"
        phrases.append((share, text))
    phrases.sort(key=lambda p: -p[0])
    if not phrases:
        return "Nothing in its calls or in the customer's words points to it"
    text = "; ".join(t for _, t in phrases[:MAX_PHRASES])
    return text[0].upper() + text[1:]


__all__ = ["CONNECTED", "did", "reason_of", "story_of"]
