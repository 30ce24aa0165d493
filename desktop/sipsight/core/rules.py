"""The diagnosis rules: sip-knowledge §5 patterns as declarative rules over pre-computed facts, in the order
they compete (on equal confidence the earlier rule wins).

Each rule has an id, the pattern it detects, the kind it concludes, a base confidence and the source it rests
on (docs/diagnosis.md lists them all). A rule's detector reads `Facts` (diagnosis_facts, gathered once by
diagnosis_gather) and returns a `Finding` or None; the diagnosis keeps the strongest finding, caps its
confidence by what the data can show, and turns the rest into ranked alternatives. The wording the agent acts
on (next steps, redress, priors from the customer's words) is data in resources/diagnosis/ (diagnosis_advice).
"""

from __future__ import annotations

from sipsight.core import (
    diagnosis_rules_blocks,
    diagnosis_rules_caller,
    diagnosis_rules_line,
    diagnosis_rules_machine,
    diagnosis_rules_normal,
    diagnosis_rules_setup,
)
from sipsight.core.diagnosis_findings import Rule

RULES: list[Rule] = [
    *diagnosis_rules_setup.RULES,  # the platform or the caller's setup stopped the call: nothing else matters
    *diagnosis_rules_blocks.RULES,
    *diagnosis_rules_line.RULES,
    *diagnosis_rules_machine.RULES,
    *diagnosis_rules_caller.RULES,
    *diagnosis_rules_normal.RULES,  # last: the fallback only restates the data
]
