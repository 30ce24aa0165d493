"""Faults the simulator injects on demand, so every error path of the provider clients can be tested.

Grammar (docs/simulator.md): a comma-separated list of `KIND[=VALUE][:COUNT][@SCOPE[+SCOPE...]]`
- KIND: 401 403 404 429 500 503 slow reset truncated malformed empty
- VALUE: seconds; Retry-After for 429 (default 1) and 503 (none unless given), the delay for slow (default 30)
- COUNT: only the first COUNT in-scope requests get the fault, then normal service
- SCOPE: all calls notifications accounts insights lookups monitor events (default all; 403 defaults to insights);
  events is Telnyx's call events, insights also Bandwidth Insights, accounts also Plivo's account
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from sipsight.core.errors import InputError

KINDS = ("401", "403", "404", "429", "500", "503", "slow", "reset", "truncated", "malformed", "empty")
SCOPES = ("all", "calls", "notifications", "accounts", "insights", "lookups", "monitor", "events")
_FAULT = re.compile(r"^(?P<kind>[a-z0-9]+)(?:=(?P<value>\d+(?:\.\d+)?))?(?::(?P<count>\d+))?(?:@(?P<scope>[a-z+]+))?$")
_DEFAULT_VALUE = {"429": 1.0, "slow": 30.0}  # 503 sends Retry-After only when given one


@dataclass
class Fault:
    kind: str
    value: float | None = None
    count: int | None = None  # None: every in-scope request
    scopes: tuple[str, ...] = ("all",)
    used: int = 0

    def applies(self, scope: str) -> bool:
        return "all" in self.scopes or scope in self.scopes

    @property
    def exhausted(self) -> bool:
        return self.count is not None and self.used >= self.count

    def describe(self) -> str:
        text = self.kind
        if self.value is not None:
            text += f"={self.value:g}"
        if self.count is not None:
            text += f":{self.count}"
        return text + ("" if self.scopes == ("all",) else "@" + "+".join(self.scopes))


def parse_faults(spec: str | None) -> list[Fault]:
    """Parse a fault spec; a mistake is an InputError that shows the grammar."""
    faults: list[Fault] = []
    for part in (p.strip().lower() for p in (spec or "").split(",")):
        if not part:
            continue
        match = _FAULT.match(part)
        if not match or match["kind"] not in KINDS:
            raise InputError(
                f"Unknown fault '{part}'.",
                hint=f"Use KIND[=SECONDS][:COUNT][@SCOPE], KIND one of {', '.join(KINDS)}; "
                f"SCOPE one of {', '.join(SCOPES)} (e.g. 429:2, 503@insights, slow=15).",
            )
        default_scope = ("insights",) if match["kind"] == "403" else ("all",)
        scopes = tuple(match["scope"].split("+")) if match["scope"] else default_scope
        bad = [s for s in scopes if s not in SCOPES]
        if bad:
            raise InputError(f"Unknown fault scope '{bad[0]}' in '{part}'.", hint=f"Scopes: {', '.join(SCOPES)}.")
        value = float(match["value"]) if match["value"] else _DEFAULT_VALUE.get(match["kind"])
        count = int(match["count"]) if match["count"] else None
        faults.append(Fault(match["kind"], value, count, scopes))
    return faults


@dataclass
class FaultPlan:
    """The active faults; thread-safe because the server answers requests on several threads."""

    faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def parse(cls, spec: str | None) -> FaultPlan:
        return cls(parse_faults(spec))

    def take(self, scope: str) -> Fault | None:
        """The fault for this request (counting it), or None for normal service."""
        with self._lock:
            for fault in self.faults:
                if fault.applies(scope) and not fault.exhausted:
                    fault.used += 1
                    return fault
        return None

    def describe(self) -> str:
        return ", ".join(f.describe() for f in self.faults) or "none"
