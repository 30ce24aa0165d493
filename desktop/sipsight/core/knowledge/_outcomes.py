"""The outcome decision table (resources/knowledge/outcomes.yaml): when an attempt's facts disagree (a 480 after a
minute of ringing, a 487 the ring timer sent), which outcome they decide together.

`classify` reads the codes first, each by its knowledge-base entry (`codes_say`); the table's rows then decide with
the status, the ring time, the Q.850 cause, who hung up and the answering-machine result. The first row whose every
condition holds wins; none: the codes' reading stands. Rows are compiled once into plain tuples, because classify
runs over thousands of attempts per lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sipsight.core.errors import SipsightError
from sipsight.core.models import Attempt, OutcomeClass
from sipsight.core.yaml_models import load_model, validate_model

TABLE_FILE = "outcomes.yaml"
AnsweredBy = Literal["machine", "person", "unknown", "none"]
HungUpBy = Literal["caller", "callee"]


class OutcomeTableError(SipsightError):
    """The outcome decision table does not load (a build problem, or a broken file given to `explain --check`)."""


class Conditions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    codes_say: list[OutcomeClass] = Field(min_length=1)
    status_says: list[OutcomeClass] | None = None
    answered_by: list[AnsweredBy] | None = None
    ring_s_at_least: float | None = Field(default=None, ge=0)
    ring_s_below: float | None = Field(default=None, gt=0)
    q850: list[int] | None = None
    sip: list[int] | None = None
    hung_up_by: list[HungUpBy] | None = None


class OutcomeRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    when: Conditions
    outcome: OutcomeClass
    why: str = Field(min_length=10)
    source: str = Field(min_length=3)


class OutcomeTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=3)
    rows: list[OutcomeRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> OutcomeTable:
        ids = [r.id for r in self.rows]
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"row ids must be unique; repeated: {', '.join(dupes)}")
        return self

    def row(self, row_id: str) -> OutcomeRow:
        return next(r for r in self.rows if r.id == row_id)


_HINT = "Fix the row named in the message; docs/knowledge-base.md ('Outcome decision table') lists the conditions."


@cache
def outcome_table() -> OutcomeTable:
    """The packaged decision table, validated once per process."""
    return load_model(OutcomeTable, "knowledge", TABLE_FILE, OutcomeTableError, _HINT)


def parse_outcome_table(data: object, where: str) -> OutcomeTable:
    """A table read from elsewhere (`explain --check FOLDER`), validated the same way."""
    return validate_model(OutcomeTable, data, where, OutcomeTableError, _HINT)


# --------------------------------------------------------------------------- evaluation

# one compiled row: status, answering machine, ring bounds, causes, SIP codes, who hung up, then the outcome and row id
Row = tuple[
    frozenset[OutcomeClass] | None,
    frozenset[str] | None,
    float | None,
    float | None,
    frozenset[int] | None,
    frozenset[int] | None,
    frozenset[str] | None,
    OutcomeClass,
    str,
]
# what classify hands the table: the codes' outcome, the status's, and the answering-machine class
Decide = Callable[[Attempt, OutcomeClass, "OutcomeClass | None", AnsweredBy], "tuple[OutcomeClass, str] | None"]


def compile_table(table: OutcomeTable) -> tuple[frozenset[OutcomeClass], Decide]:
    """(the outcomes any row may change, decide): `decide` returns (outcome, row id) of the first matching row."""
    # per reading of the codes, the rows that may apply to it, in table order: one dict lookup instead of a scan
    by_codes: dict[OutcomeClass, list[tuple[object, ...]]] = {}
    for r in table.rows:
        row = (
            frozenset(r.when.status_says) if r.when.status_says is not None else None,
            frozenset(r.when.answered_by) if r.when.answered_by is not None else None,
            r.when.ring_s_at_least,
            r.when.ring_s_below,
            frozenset(r.when.q850) if r.when.q850 is not None else None,
            frozenset(r.when.sip) if r.when.sip is not None else None,
            frozenset(r.when.hung_up_by) if r.when.hung_up_by is not None else None,
            r.outcome,
            r.id,
        )
        for said in r.when.codes_say:
            by_codes.setdefault(said, []).append(row)
    rows_for: dict[OutcomeClass, list[Row]] = {k: [cast(Row, row) for row in v] for k, v in by_codes.items()}

    def decide(
        a: Attempt, codes: OutcomeClass, status: OutcomeClass | None, amd: AnsweredBy
    ) -> tuple[OutcomeClass, str] | None:
        ring = a.ring_s
        for st, by, at_least, below, causes, sips, hung, outcome, row_id in rows_for.get(codes, ()):
            if st is not None and status not in st:
                continue
            if by is not None and amd not in by:
                continue
            if at_least is not None and (ring is None or ring < at_least):
                continue
            if below is not None and (ring is None or ring >= below):
                continue
            if causes is not None and a.q850_cause not in causes:
                continue
            if sips is not None and a.sip_code not in sips:
                continue
            if hung is not None and (a.disconnected_by or "").lower() not in hung:
                continue
            return outcome, row_id
        return None

    return frozenset(rows_for), decide
