"""Step 4 of the walkthrough: the codes of one case, explained from the knowledge base.

Every code the case's calls carry (SIP, Q.850, provider error, status, answered_by), most frequent first,
then the blocking family (603, 603+, 607, 608) the case did not show: seeing that a block would have
left one of those is half the lesson when a case has none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sipsight.core.models import LookupResult

if TYPE_CHECKING:
    from sipsight.core.knowledge import KnowledgeEntry

# vocabulary -> how a code of it is labeled on screen
_LABELS = {
    "sip": "SIP {code}",
    "signalwire-sip": "SIP {code}",
    "telnyx-sip-hangup-cause": "SIP {code}",
    "q850": "Q.850 {code}",
    "twilio-error": "Error {code}",
    "twilio-status": "Status {code}",
    "twilio-answered-by": "Answered by {code}",
}
_SKIP = {"insights-disconnected-by", "insights-call-state"}  # who hung up is in the timeline, not a code to learn


@dataclass(frozen=True)
class CodeRow:
    label: str  # "SIP 608", "Q.850 21", "Answered by machine_start"
    name: str  # "Rejected"
    meaning: str  # the knowledge base's line for the agent
    count: int  # attempts to the destination that carried it (0: not seen in this case)
    seen: bool


def case_codes(result: LookupResult) -> list[CodeRow]:
    """The codes of the calls to the destination, most frequent first."""
    from sipsight.core.knowledge import explain_attempt

    counts: Counter[str] = Counter()
    entries: dict[str, KnowledgeEntry] = {}
    for attempt in result.attempts:
        for entry in explain_attempt(attempt):
            if entry.vocabulary in _SKIP:
                continue
            entries.setdefault(entry.ref, entry)
            counts[entry.ref] += 1
    rows = []
    for ref, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        entry = entries[ref]
        label = _LABELS.get(entry.vocabulary, entry.vocabulary.replace("-", " ") + " {code}").format(code=entry.code)
        rows.append(CodeRow(label, entry.name, entry.agent, count, True))
    return rows


def blocking_family(result: LookupResult) -> list[CodeRow]:
    """603, 603+, 607, 608 that this case did not show, with the origin ticket's meanings."""
    from sipsight.core.replies.summary import BLOCKED_FAMILY, code_meanings

    seen = {a.sip_label for a in result.attempts}
    rows = []
    for title, meaning, _seen in code_meanings(result):
        code = title.split()[0]
        if code in BLOCKED_FAMILY and code not in seen:
            name = title[len(code) :].strip()
            rows.append(CodeRow(f"SIP {code}", name, meaning, 0, False))
    return rows
