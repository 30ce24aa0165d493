"""The small call factory the diagnosis tests share: attempts with fictional 555-01xx numbers, obviously fake
call ids and times relative to a fixed now, in the shapes a support agent meets (connected, instant voicemail,
rang out, no answer, coded failures, the caller's other calls going about normally)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sipsight.core.models import Attempt, OutcomeClass

O = OutcomeClass  # noqa: E741 - reads like the enum it abbreviates
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DEST = "+13035550199"
CALLER = "+17205550100"


def other_number(i: int) -> str:
    return f"+1720555{101 + i % 98:04d}"


class Calls:
    """Builds attempts with unique, obviously fake call ids (CAdemo0001, ...)."""

    def __init__(self, prefix: str = "CAdemo") -> None:
        self.n = 0
        self.prefix = prefix

    def __call__(self, hours_ago: float, outcome: OutcomeClass = O.UNKNOWN, *, to: str = DEST, **fields) -> Attempt:
        self.n += 1
        return Attempt(
            id=f"{self.prefix}{self.n:04d}",
            start_time=NOW - timedelta(hours=hours_ago),
            to=to,
            outcome=outcome,
            **{"from": CALLER},
            **fields,
        )

    # the usual shapes -----------------------------------------------------------------
    def connected(self, hours_ago: float, talk: float = 180, **kw) -> Attempt:
        return self(
            hours_ago,
            O.CONNECTED,
            provider_status="completed",
            answered_by="human",
            duration_s=talk,
            ring_s=kw.pop("ring_s", 9),
            **kw,
        )

    def fast_vm(self, hours_ago: float, ring: float = 2, **kw) -> Attempt:
        return self(
            hours_ago,
            O.VOICEMAIL,
            provider_status="completed",
            answered_by="machine_start",
            duration_s=14,
            ring_s=ring,
            **kw,
        )

    def rang_vm(self, hours_ago: float, ring: float = 25, **kw) -> Attempt:
        return self(
            hours_ago,
            O.VOICEMAIL,
            provider_status="completed",
            answered_by="machine_end_beep",
            duration_s=20,
            ring_s=ring,
            **kw,
        )

    def no_answer(self, hours_ago: float, ring: float = 30, **kw) -> Attempt:
        return self(hours_ago, O.NO_ANSWER, provider_status="no-answer", ring_s=ring, **kw)

    def coded(self, hours_ago: float, outcome: OutcomeClass, code: int, reason: str | None = None, **kw) -> Attempt:
        return self(
            hours_ago,
            outcome,
            provider_status=kw.pop("provider_status", "failed"),
            sip_code=code,
            sip_reason=reason,
            **kw,
        )

    def others_ok(self, n: int = 24, start: float = 1, step: float = 3, **kw) -> list[Attempt]:
        """The caller's other calls going about normally: about half connect, the rest ring out."""
        out = []
        for i in range(n):
            h = start + i * step
            to = other_number(i)
            if i % 2 == 0:
                out.append(self.connected(h, talk=120 + i, to=to, **kw))
            elif i % 4 == 1:
                out.append(self.rang_vm(h, to=to, **kw))
            else:
                out.append(self.no_answer(h, to=to, **kw))
        return out


def origin_destination(c: Calls, **kw) -> list[Attempt]:
    """The origin ticket: three connected calls days ago, then five calls in the last day answered by a machine
    within 1-3 s."""
    return [
        c.connected(24 * 5, **kw),
        c.connected(24 * 4, talk=240, **kw),
        c.connected(24 * 3, talk=95, **kw),
        c.fast_vm(20, ring=2, **kw),
        c.fast_vm(15, ring=1, **kw),
        c.fast_vm(9, ring=3, **kw),
        c.fast_vm(4, ring=2, **kw),
        c.fast_vm(1, ring=1, **kw),
    ]
