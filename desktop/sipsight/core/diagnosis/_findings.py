"""What a diagnosis rule is and what it proposes: `Rule` (id, pattern, kind, base confidence, source, detector),
`Finding` (one reading of the facts), and `RuleSet`, the decorator that declares a group of rules in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.models import DiagnosisKind

EvidenceItem = tuple[str, list[str], float]  # text, attempt ids, weight
AlternativeItem = tuple[DiagnosisKind, float, str, str]  # kind, confidence, why, how to tell
Detector = Callable[[Facts, "Rule"], "Finding | None"]
MAX_ALTERNATIVES = 4  # ranked alternatives a diagnosis lists at most


@dataclass(slots=True)
class Finding:
    kind: DiagnosisKind
    confidence: float
    headline: str
    evidence: list[EvidenceItem] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    alternatives: list[AlternativeItem] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    support: int = 0  # attempts the conclusion rests on
    uses_codes: bool = False  # rests on SIP/provider codes rather than call status alone
    needs_comparison: bool = False  # recipient-level vs caller-level needs the caller's other calls
    carrier: str | None = None  # terminating carrier the problem concentrates on
    default_steps: bool = True  # add the kind's generic steps from advice.yaml after the rule's own
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pattern: str
    kind: DiagnosisKind
    confidence: float
    source: str
    detect: Detector


class RuleSet:
    """Rules in the order they are declared: on equal confidence the earlier rule wins."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def rule(
        self, id: str, pattern: str, kind: DiagnosisKind, confidence: float, source: str
    ) -> Callable[[Detector], Detector]:
        def register(fn: Detector) -> Detector:
            self.rules.append(Rule(id, pattern, kind, confidence, source, fn))
            return fn

        return register

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)
