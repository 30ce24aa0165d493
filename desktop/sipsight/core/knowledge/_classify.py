"""One Attempt -> one OutcomeClass, following the single-attempt decision order.

Order (sip-knowledge.md §5, "Decision order for a single failed attempt"):
  1. a provider error code that means the platform refused or judged the number invalid;
  2. the SIP code (603 "Network Blocked" is 603+), then any other provider error code (e.g. Twilio 31486);
  3. the Q.850 cause, only for a call that was not answered (a normal-clearing cause on an answered
     call says nothing);
  4. the provider's own status vocabulary (Twilio/SignalWire status, Telnyx hangup_cause, Plivo
     hangup cause, Vonage status + detail, Bandwidth disconnectCause), with answered_by separating
     voicemail from a connected call.
Anything that says nothing (a provisional code, "failed" with no other data) falls through; when
nothing is left the outcome is UNKNOWN. That is what the codes say (`codes_say`). Then the decision table
(resources/knowledge/outcomes.yaml, `_outcomes`) weighs it against the status, the ring time, the Q.850 cause, who
hung up and the answering-machine result: a 480 after a minute of ringing is a ring-out (no_answer), a 487 the ring
timer sent is no_answer, a machine answer is voicemail. The diagnosis, not this module, reads patterns across
attempts.
Which vocabularies a provider's statuses and error codes belong to is the provider catalog's (resources/providers/).

The same order, steps 1 and 2, gives the diagnosis the family an attempt's codes name (`code_family`, from the
entries' `family`), so the knowledge base decides both what a code means and how the diagnosis groups it.

Speed matters (the diagnosis classifies thousands of attempts per lookup), so every table is a plain
dict built once per KnowledgeBase, and no pydantic validation happens per call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from sipsight.core.knowledge._base import KnowledgeBase, KnowledgeEntry, knowledge
from sipsight.core.knowledge._outcomes import AnsweredBy, compile_table, outcome_table
from sipsight.core.knowledge._providers import ProviderInfo, provider_info, provider_names
from sipsight.core.models import Attempt, Family, OutcomeClass

_U = OutcomeClass.UNKNOWN
_SAYS_NOTHING = frozenset({OutcomeClass.UNKNOWN, OutcomeClass.IN_PROGRESS})
_PLATFORM_SIDE = frozenset({OutcomeClass.PLATFORM_REJECTED, OutcomeClass.INVALID_NUMBER})
_ANSWERED = frozenset({OutcomeClass.CONNECTED, OutcomeClass.VOICEMAIL})

# Each provider's status and error vocabularies are in its catalog file (resources/providers/). A provider the
# catalog does not know gets Twilio's statuses: Telnyx TeXML, Plivo webhooks and most clones use them.
_DEFAULT_STATUS = "twilio-status"
# Twilio's 31xxx error codes carry the SIP response (31000 + code), so one missing from the table is still read.
_SIP_MIRRORING = "twilio-error"
V = TypeVar("V")


class _Tables:
    """Outcome and family lookups precomputed from one KnowledgeBase."""

    def __init__(self, kb: KnowledgeBase) -> None:
        sip = {int(e.code): e.outcome for e in kb.entries("sip") if e.code.isdigit()}
        # RFC 3261 §8.1.3.2: an unrecognised final code is treated as the x00 code of its class
        self.sip: list[OutcomeClass | None] = [None] * 700
        for code in range(100, 700):
            self.sip[code] = sip.get(code, sip.get(code - code % 100))
        plus = kb.sip(603, "Network Blocked")
        self.sip_603_plus = plus.outcome if plus is not None and plus.code == "603+" else OutcomeClass.NETWORK_BLOCKED
        self.q850 = {int(e.code): e.outcome for e in kb.entries("q850")}
        self.default_status = self._vocab(kb, _DEFAULT_STATUS)
        self.answered_by = self._vocab(kb, "twilio-answered-by")
        # the diagnosis's families come from the same entries: exact SIP codes only (an unregistered code names
        # no family), and among the provider error codes only the platform's own refusals (they win, step 1)
        self.sip_family: list[Family | None] = [None] * 700
        for e in kb.entries("sip"):
            if e.family is not None and e.code.isdigit():
                self.sip_family[int(e.code)] = e.family
        self.sip_603_plus_family = plus.family if plus is not None and plus.code == "603+" else None
        self.errors: dict[str, dict[str, OutcomeClass]] = {}
        self.error_family: dict[str, dict[str, Family]] = {}
        self.mirrors_sip: set[str] = set()  # providers whose error codes may be 31000 + a SIP code
        self.status: dict[str, dict[str, OutcomeClass]] = {}
        for provider in provider_names():
            self._provider(kb, provider_info(provider))
        self.table_touches, self.decide = compile_table(outcome_table())

    def _provider(self, kb: KnowledgeBase, info: ProviderInfo) -> None:
        """One provider's tables, from the vocabularies its catalog file names."""
        if info.error_vocabulary is not None:
            entries = kb.entries(info.error_vocabulary)
            self.errors[info.name] = self._keyed(entries, lambda e: e.outcome)
            refusals = [e for e in entries if e.outcome in _PLATFORM_SIDE]
            self.error_family[info.name] = self._keyed(refusals, lambda e: e.family)
            if info.error_vocabulary == _SIP_MIRRORING:
                self.mirrors_sip.add(info.name)
        merged: dict[str, OutcomeClass] = {}
        for vocab in info.status_vocabularies:
            for key, outcome in self._vocab(kb, vocab).items():
                merged.setdefault(key, outcome)
        self.status[info.name] = merged

    @classmethod
    def _vocab(cls, kb: KnowledgeBase, vocab: str) -> dict[str, OutcomeClass]:
        return cls._keyed(kb.entries(vocab), lambda e: e.outcome)

    @staticmethod
    def _keyed(entries: list[KnowledgeEntry], value: Callable[[KnowledgeEntry], V | None]) -> dict[str, V]:
        """value(entry) by every spelling of the entry's code: the code, its aliases, and for Plivo the bare code."""
        out: dict[str, V] = {}
        for e in entries:
            v = value(e)
            if v is None:
                continue
            out[e.code] = v
            for alias in e.aliases:
                out.setdefault(alias, v)
            if e.vocabulary == "plivo-hangup-cause":
                # Plivo cause codes come without the product; Voice is the default product
                product, _, bare = e.code.partition(":")
                if product == "voice":
                    out.setdefault(bare, v)
                    for alias in e.aliases:
                        out.setdefault(alias.partition(":")[2], v)
        return out


@cache
def _tables(kb: KnowledgeBase) -> _Tables:
    return _Tables(kb)


def _key(value: str) -> str:
    return value.strip().lower().replace(" ", "_") if " " in value else value.strip().lower()


def _machine(answered_by: str | None, t: _Tables) -> AnsweredBy:
    """The answering-machine result as the decision table reads it: machine, person, unknown or none."""
    if answered_by is None:
        return "none"
    said = t.answered_by.get(answered_by.lower())
    if said is OutcomeClass.VOICEMAIL:
        return "machine"
    return "person" if said is OutcomeClass.CONNECTED else "unknown"


def _status_outcome(attempt: Attempt, t: _Tables) -> OutcomeClass | None:
    status = attempt.provider_status
    if status is None:
        return None
    return t.status.get(attempt.provider, t.default_status).get(_key(status))


def codes_say(attempt: Attempt, kb: KnowledgeBase | None = None) -> OutcomeClass:
    """What the codes alone say, each read by its knowledge-base entry in the single-attempt order (the module
    docstring), before the decision table weighs them against the ring time, the cause and who hung up."""
    t = _tables(kb if kb is not None else knowledge())
    return _codes_say(attempt, t, _status_outcome(attempt, t))


def _codes_say(attempt: Attempt, t: _Tables, status_outcome: OutcomeClass | None) -> OutcomeClass:
    provider = attempt.provider
    answered_by = attempt.answered_by

    # 1. the platform's own refusal wins over whatever SIP code it produced (Twilio 603 + 10001)
    error_outcome: OutcomeClass | None = None
    err = attempt.provider_error_code
    if err is not None:
        errors = t.errors.get(provider)
        if errors is not None:
            code = _key(err)
            error_outcome = errors.get(code)
            if error_outcome is None and provider in t.mirrors_sip and len(code) == 5 and code[:2] == "31":
                mirrored = int(code[2:]) if code[2:].isdigit() else 0
                error_outcome = t.sip[mirrored] if 100 <= mirrored < 700 else None
        if error_outcome is not None and error_outcome in _PLATFORM_SIDE:
            return error_outcome

    # 2. the SIP code
    sip = attempt.sip_code
    if sip is not None and 100 <= sip < 700:
        if sip == 603 and attempt.is_603_plus:
            return t.sip_603_plus
        outcome = t.sip[sip]
        if outcome is not None and outcome not in _SAYS_NOTHING:
            return outcome
    if error_outcome is not None and error_outcome not in _SAYS_NOTHING:
        return error_outcome

    # 3. Q.850, for calls nobody answered
    cause = attempt.q850_cause
    if cause is not None and status_outcome not in _ANSWERED and answered_by is None:
        outcome = t.q850.get(cause)
        if outcome is not None and outcome not in _SAYS_NOTHING:
            return outcome

    # 4. the provider's status (Vonage: the webhook detail first, it is the more specific)
    if provider == "vonage":
        detail = attempt.raw.get("detail") if attempt.raw else None
        if isinstance(detail, str):
            outcome = t.errors["vonage"].get(_key(detail))
            if outcome is not None and outcome not in _SAYS_NOTHING:
                return outcome
    if status_outcome is not None and status_outcome is not _U:
        return status_outcome
    if answered_by is not None:
        outcome = t.answered_by.get(answered_by.lower())
        if outcome is not None and outcome is not _U:
            return outcome
    if sip is not None and 100 <= sip < 200 and attempt.provider_status is None:
        return OutcomeClass.IN_PROGRESS  # only a provisional code and no final status: still going
    return _U


def decide(attempt: Attempt, kb: KnowledgeBase | None = None) -> tuple[OutcomeClass, str | None]:
    """The outcome of one attempt and the id of the decision-table row that decided it (None: the codes' reading
    stood). `classify` is this without the row id."""
    t = _tables(kb if kb is not None else knowledge())
    status_outcome = _status_outcome(attempt, t)
    codes = _codes_say(attempt, t, status_outcome)
    if codes in t.table_touches:
        hit = t.decide(attempt, codes, status_outcome, _machine(attempt.answered_by, t))
        if hit is not None:
            return hit
    return codes, None


def classify(attempt: Attempt, kb: KnowledgeBase | None = None) -> OutcomeClass:
    """The outcome of one attempt: what its codes say (the module docstring), weighed by the decision table
    (resources/knowledge/outcomes.yaml) against the status, ring time, Q.850 cause, who hung up and the AMD result."""
    return decide(attempt, kb)[0]


def code_family(attempt: Attempt, kb: KnowledgeBase | None = None) -> Family | None:
    """The diagnosis family the attempt's codes name in the knowledge base (an entry's `family`), read in the order
    of `classify`: the platform's own refusal (a provider error code) first, then the SIP code (603+ apart).
    None when no code names one: the diagnosis then goes by the outcome."""
    return code_families(kb)(attempt)


def code_families(kb: KnowledgeBase | None = None) -> Callable[[Attempt], Family | None]:
    """`code_family` bound to one knowledge base's tables, for a loop over thousands of attempts."""
    t = _tables(kb if kb is not None else knowledge())
    error_family, sip_family, plus_family = t.error_family, t.sip_family, t.sip_603_plus_family

    def read(attempt: Attempt) -> Family | None:
        err = attempt.provider_error_code
        if err is not None:
            refusals = error_family.get(attempt.provider)
            fam = refusals.get(_key(err)) if refusals else None
            if fam is not None:
                return fam
        sip = attempt.sip_code
        if sip is None or not 100 <= sip < 700:
            return None
        return plus_family if sip == 603 and attempt.is_603_plus else sip_family[sip]

    return read


def classify_all(attempts: Iterable[Attempt], kb: KnowledgeBase | None = None) -> list[Attempt]:
    """Copies with `.outcome` set; an attempt that already carries a non-UNKNOWN outcome is kept as is."""
    base = kb if kb is not None else knowledge()
    out: list[Attempt] = []
    for attempt in attempts:
        if attempt.outcome is not _U:
            out.append(attempt)
            continue
        outcome = classify(attempt, base)
        out.append(attempt if outcome is _U else attempt.model_copy(update={"outcome": outcome}))
    return out


def error_entry(attempt: Attempt, kb: KnowledgeBase | None = None) -> KnowledgeEntry | None:
    """The entry of the attempt's provider error code, in its provider's error vocabulary (the provider catalog)."""
    code = attempt.provider_error_code
    if not code or attempt.provider not in provider_names():
        return None
    base = kb if kb is not None else knowledge()
    vocab = provider_info(attempt.provider).error_vocabulary
    entry = base.provider(vocab, code) if vocab else None
    if entry is None and vocab == "plivo-hangup-cause":
        entry = base.find(f"plivo:{code}")  # with or without the product: normalize_ref reads both
    return entry


def explain_attempt(attempt: Attempt, kb: KnowledgeBase | None = None) -> list[KnowledgeEntry]:
    """The entries that explain an attempt: provider error, SIP code, Q.850 cause, status, answered_by."""
    base = kb if kb is not None else knowledge()
    provider = attempt.provider
    found: list[KnowledgeEntry | None] = [error_entry(attempt, base)]
    known = provider in provider_names()
    if attempt.sip_code is not None:
        found.append(base.sip(attempt.sip_code, attempt.sip_reason))
    if attempt.q850_cause is not None:
        found.append(base.q850(attempt.q850_cause))
    if provider == "vonage" and attempt.raw and isinstance(attempt.raw.get("detail"), str):
        found.append(base.provider("vonage-detail", attempt.raw["detail"]))
    if attempt.provider_status:
        for vocab in provider_info(provider).status_vocabularies if known else [_DEFAULT_STATUS]:
            entry = base.provider(vocab, _key(attempt.provider_status))
            if entry is None and vocab == "plivo-hangup-cause":
                entry = base.find(f"plivo:voice:{_key(attempt.provider_status)}")
            if entry is not None:
                found.append(entry)
                break
    if attempt.answered_by:
        found.append(base.provider("twilio-answered-by", attempt.answered_by))
    if attempt.disconnected_by and provider == "twilio":
        found.append(base.provider("insights-disconnected-by", attempt.disconnected_by))
    out: dict[str, KnowledgeEntry] = {}
    for entry in found:
        if entry is not None:
            out.setdefault(entry.ref, entry)
    return list(out.values())
