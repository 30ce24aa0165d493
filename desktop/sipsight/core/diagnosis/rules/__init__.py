"""The diagnosis rules: sip-knowledge §5 patterns as declarative rules over pre-computed facts, in the order
they compete (on equal confidence the earlier rule wins).

Each rule has an id, the pattern it detects, the kind it concludes, a base confidence and the source it rests
on (docs/diagnosis.md lists them all). A rule's detector reads `Facts` (diagnosis_facts, gathered once by
diagnosis_gather) and returns a `Finding` or None; the diagnosis keeps the strongest finding, caps its
confidence by what the data can show, and turns the rest into ranked alternatives. The wording the agent acts
on (next steps, redress, priors from the customer's words) is data in resources/diagnosis/ (diagnosis_advice).
"""

from __future__ import annotations

from sipsight.core.diagnosis._findings import Rule
from sipsight.core.diagnosis.rules import blocks, caller, line, machine, normal, setup

RULES: list[Rule] = [
    *setup.RULES,  # the platform or the caller's setup stopped the call: nothing else matters
    *blocks.RULES,
    *line.RULES,
    *machine.RULES,
    *caller.RULES,
    *normal.RULES,  # last: the fallback only restates the data
]
