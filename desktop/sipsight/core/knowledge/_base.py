"""The knowledge base: every SIP response, Q.850 cause and provider code SIPSight can explain.

The entries are data (resources/knowledge/*.yaml, see docs/knowledge-base.md); this module loads
them once, validates every entry with pydantic (file + entry named in every error), and builds the
plain dicts that `classify` and the CLI read without further validation.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from sipsight.core import resources
from sipsight.core.errors import InputError, SipsightError
from sipsight.core.models import Family, OutcomeClass

# vocabulary -> ref prefix. The prefix is what people type ("telnyx:call_rejected").
VOCABULARIES: dict[str, str] = {
    "sip": "sip",
    "q850": "q850",
    "twilio-error": "twilio",
    "twilio-status": "twilio-status",
    "twilio-answered-by": "twilio-answered-by",
    "insights-call-state": "insights-call-state",
    "insights-disconnected-by": "insights-disconnected-by",
    "signalwire-sip": "signalwire",
    "telnyx-hangup-cause": "telnyx",
    "telnyx-sip-hangup-cause": "telnyx-sip",
    "plivo-hangup-cause": "plivo",
    "vonage-status": "vonage",
    "vonage-detail": "vonage-detail",
    "bandwidth-disconnect-cause": "bandwidth",
}
PREFIXES: dict[str, str] = {prefix: vocab for vocab, prefix in VOCABULARIES.items()}
SENDERS = ("callee", "term_carrier", "intermediary", "platform", "caller", "network", "unknown")
CONFIDENCES = ("H", "M", "L")
PLIVO_PRODUCTS = ("voice", "zentrunk")


class KnowledgeError(SipsightError):
    """A knowledge file failed validation; the message names the file and the entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"Knowledge base is invalid: {problems[0]}{more}",
            "Fix the entry and check again with 'sipsight explain --check FOLDER' (see docs/knowledge-base.md).",
        )


class KnowledgeEntry(BaseModel):
    """One explained code. Frozen: entries are shared by every lookup."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ref: str
    vocabulary: str
    code: str
    name: str
    outcome: OutcomeClass
    sender: str
    agent: str
    customer: str
    next_step: str
    retry: str | None = None
    confidence: str
    source: str
    sip: int | None = None
    q850: int | None = None
    aliases: tuple[str, ...] = ()
    # what the diagnosis reads: the bucket an attempt with this code falls into (docs/diagnosis.md, "Families"),
    # and the cause as a clause its sentences quote ("the account is not active")
    family: Family | None = None
    meaning: str | None = None

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        if value not in SENDERS:
            raise ValueError(f"{value!r} is not one of {', '.join(SENDERS)}")
        return value

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, value: str) -> str:
        if value not in CONFIDENCES:
            raise ValueError(f"{value!r} is not one of H, M, L")
        return value

    @field_validator("name", "agent", "customer", "next_step", "source", "meaning")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @property
    def label(self) -> str:
        return f"{self.ref} {self.name}"


class _RawEntry(BaseModel):
    """An entry as written in a file: `like` lets a provider code borrow the text of the code it mirrors."""

    model_config = ConfigDict(extra="forbid")

    code: str
    like: str | None = None
    name: str | None = None
    outcome: str | None = None
    sender: str | None = None
    agent: str | None = None
    customer: str | None = None
    next_step: str | None = None
    retry: str | None = None
    confidence: str | None = None
    source: str | None = None
    sip: int | None = None
    q850: int | None = None
    aliases: list[str] = []
    family: str | None = None
    meaning: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, value: object) -> object:
        return str(value).strip().lower() if isinstance(value, (int, str)) else value


class _Mirror(BaseModel):
    """A whole vocabulary that carries SIP codes verbatim (SignalWire sip_result_code, Telnyx sip_hangup_cause)."""

    model_config = ConfigDict(extra="forbid")

    vocabulary: str
    of: str = "sip"
    source: str


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vocabularies: dict[str, list[_RawEntry]] = {}
    mirrors: list[_Mirror] = []

    @model_validator(mode="before")
    @classmethod
    def _drop_anchor_blocks(cls, data: object) -> object:
        # top-level "x-..." keys only hold YAML anchors that entries merge in with "<<:"
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data


def _plain_error(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def _split_ref(ref: str) -> tuple[str, str]:
    prefix, _, code = ref.partition(":")
    return prefix, code


# --------------------------------------------------------------------------- the base


class KnowledgeBase:
    """Validated entries plus the lookup dicts built from them (read-only after construction)."""

    def __init__(self, entries: Iterable[KnowledgeEntry]) -> None:
        self._by_ref: dict[str, KnowledgeEntry] = {}
        self._aliases: dict[str, str] = {}
        self._by_vocab: dict[str, list[KnowledgeEntry]] = {v: [] for v in VOCABULARIES}
        for entry in entries:
            self._by_ref[entry.ref] = entry
            self._by_vocab.setdefault(entry.vocabulary, []).append(entry)
            prefix = VOCABULARIES[entry.vocabulary]
            for alias in entry.aliases:
                self._aliases[f"{prefix}:{alias}"] = entry.ref
        self._sip: dict[int, KnowledgeEntry] = {int(e.code): e for e in self._by_vocab["sip"] if e.code.isdigit()}
        self._sip_plus: dict[tuple[int, str], KnowledgeEntry] = {
            (int(e.code[:-1]), e.name.lower()): e for e in self._by_vocab["sip"] if e.code.endswith("+")
        }
        self._q850: dict[int, KnowledgeEntry] = {int(e.code): e for e in self._by_vocab["q850"]}
        # (vocabulary, value) -> entry, for providers; aliases included so names and codes both resolve
        self._provider: dict[tuple[str, str], KnowledgeEntry] = {}
        for vocab, items in self._by_vocab.items():
            for e in items:
                self._provider[(vocab, e.code)] = e
                for alias in e.aliases:
                    self._provider.setdefault((vocab, alias), e)
        # SIP code -> the Q.850 causes that RFC 3398 turns into it (for "mapping" lines)
        self._isup_to: dict[int, list[int]] = {}
        for cause, e in sorted(self._q850.items()):
            if e.sip is not None:
                self._isup_to.setdefault(e.sip, []).append(cause)

    # ---- lookups

    def __len__(self) -> int:
        return len(self._by_ref)

    def find(self, ref: str) -> KnowledgeEntry | None:
        key = self.normalize_ref(ref)
        entry = self._by_ref.get(key)
        if entry is None and key in self._aliases:
            entry = self._by_ref[self._aliases[key]]
        return entry

    def get(self, ref: str) -> KnowledgeEntry:
        entry = self.find(ref)
        if entry is None:
            near = self.suggest(ref)
            hint = f"Did you mean {', '.join(near)}?" if near else "Run 'sipsight explain --list' to see every code."
            raise InputError(f"Unknown code {ref.strip()!r}.", hint)
        return entry

    def suggest(self, ref: str, n: int = 3) -> list[str]:
        key = self.normalize_ref(ref)
        prefix, code = _split_ref(key)
        pool = [r for r in self._by_ref if r.startswith(prefix + ":")] or list(self._by_ref)
        near = difflib.get_close_matches(key, pool, n=n, cutoff=0.6)
        if not near and code:
            near = [r for r in pool if _split_ref(r)[1].startswith(code[:2])][:n]
        return near

    def sip(self, code: int, reason: str | None = None) -> KnowledgeEntry | None:
        if reason:
            plus = self._sip_plus.get((code, reason.strip().lower()))
            if plus is not None:
                return plus
        return self._sip.get(code)

    def q850(self, cause: int) -> KnowledgeEntry | None:
        return self._q850.get(cause)

    def q850_to_sip(self, cause: int) -> int | None:
        """RFC 3398 §7.2.4.1; causes the table leaves out map to 500."""
        entry = self._q850.get(cause)
        if entry is not None:
            return entry.sip
        return 500 if 1 <= cause <= 127 else None

    def sip_to_q850(self, code: int) -> int | None:
        """RFC 3398 §8.2.6.1; final codes the table leaves out map to 31 (normal, unspecified)."""
        entry = self._sip.get(code)
        if entry is not None:
            return entry.q850
        return 31 if 400 <= code <= 699 else None

    def isup_causes_for(self, code: int) -> list[int]:
        """The Q.850 causes a gateway turns into this SIP code (RFC 3398 §7.2.4.1)."""
        return list(self._isup_to.get(code, ()))

    def provider(self, vocabulary: str, value: str) -> KnowledgeEntry | None:
        return self._provider.get((vocabulary, str(value).strip().lower()))

    def entries(self, vocabulary: str | None = None) -> list[KnowledgeEntry]:
        if vocabulary is None:
            return list(self._by_ref.values())
        vocab = PREFIXES.get(vocabulary, vocabulary)
        return list(self._by_vocab.get(vocab, ()))

    def vocabularies(self) -> dict[str, int]:
        return {v: len(items) for v, items in self._by_vocab.items()}

    # ---- refs

    def normalize_ref(self, text: str) -> str:
        """Any way people write a code -> the canonical ref. Never raises; unparseable text comes back trimmed."""
        return normalize_ref(text)


_SIP_WORDS = re.compile(r"^(?:sip(?:\s+(?:code|response))?|code|response)\s*[:#]?\s*", re.IGNORECASE)
_Q850 = re.compile(r"^(?:q\.?\s?850|isup|isdn)?\s*(?:cause(?:\s+code)?|cause\s+value)?\s*[:#=]?\s*(\d{1,3})$", re.I)
_TWILIO_ERR = re.compile(r"^(?:twilio(?:[\s-]+error)?|error(?:\s+code)?|err)\s*[:#]?\s*(\d{5})$", re.IGNORECASE)
_SIP_CODE = re.compile(r"^(\d{3})(\+)?(?:\s+(.*))?$")


def normalize_ref(text: str) -> str:
    """'608'->'sip:608', 'Q.850 cause 21'->'q850:21', 'error 21215'->'twilio:21215', 'telnyx call_rejected'->..."""
    low = " ".join(str(text).split()).lower()
    if not low:
        return ""
    m = _TWILIO_ERR.match(low)
    if m:
        return f"twilio:{m.group(1)}"
    if re.fullmatch(r"\d{5}", low):
        return f"twilio:{low}"
    if re.fullmatch(r"\d{1,2}", low):  # no SIP code has one or two digits: a bare cause value
        return f"q850:{int(low)}"
    if re.match(r"^(?:q\.?\s?850|isup|isdn|cause)\b", low):
        m = _Q850.match(low)
        if m:
            return f"q850:{int(m.group(1))}"
    stripped = _SIP_WORDS.sub("", low) if not low.startswith("sip:") else low[4:]
    m = _SIP_CODE.match(stripped)
    if m:
        code, plus, rest = m.group(1), m.group(2), (m.group(3) or "").strip()
        if plus or rest == "network blocked":
            return f"sip:{code}+"
        return f"sip:{code}"
    # "<prefix>:<value>", "<prefix> <value>" or "<vocabulary>:<value>"
    head, sep, value = low.partition(":")
    if not sep:
        head, sep, value = low.partition(" ")
    head, value = head.strip(), value.strip()
    if head in VOCABULARIES:
        head = VOCABULARIES[head]
    if head == "twilio" and value.startswith("error"):
        value = value.removeprefix("error").strip(" :#")
    if head == "plivo" and value:
        product, _, cause = value.replace(" ", ":", 1).partition(":")
        if cause and product in PLIVO_PRODUCTS:
            return f"plivo:{product}:{cause.strip().replace(' ', '_')}"
        return f"plivo:voice:{value.replace(' ', '_')}"
    if head in PREFIXES and value:
        if head == "q850":
            digits = re.sub(r"\D", "", value)
            return f"q850:{int(digits)}" if digits else f"q850:{value}"
        return f"{head}:{value.replace(' ', '_') if not value.isdigit() else value}"
    return low


# --------------------------------------------------------------------------- loading


# Files in the knowledge folder that hold no vocabulary: the outcome decision table (knowledge._outcomes reads it)
NOT_VOCABULARIES = frozenset({"outcomes.yaml"})


def _sources(folder: Path | Traversable | None) -> list[tuple[str, object]]:
    """(file name, parsed YAML) for every knowledge file; parse errors become KnowledgeError."""
    out: list[tuple[str, object]] = []
    if folder is None:
        files: list[Traversable] = resources.list_dir("knowledge")
        for f in files:
            if f.name in NOT_VOCABULARIES:
                continue
            try:
                out.append((f.name, resources.load_yaml("knowledge", f.name)))
            except Exception as err:  # yaml.YAMLError and decoding errors: name the file
                raise KnowledgeError([f"{f.name}: not valid YAML ({err})"]) from err
        return out
    path = folder if isinstance(folder, Traversable) else Path(folder)
    if not path.is_dir():
        raise InputError(f"Knowledge folder {str(folder)!r} does not exist.", "Give the folder holding the YAML files.")
    for f in sorted((p for p in path.iterdir() if p.name.endswith((".yaml", ".yml"))), key=lambda p: p.name):
        if f.name in NOT_VOCABULARIES:
            continue
        try:
            out.append((f.name, resources.load_yaml_text(f.read_text(encoding="utf-8"))))
        except Exception as err:
            raise KnowledgeError([f"{f.name}: not valid YAML ({err})"]) from err
    return out


def build(files: list[tuple[str, object]]) -> KnowledgeBase:
    """Validate parsed files and resolve `like` and mirrors; every problem is collected, then raised together."""
    problems: list[str] = []
    raw: dict[str, tuple[str, str, _RawEntry]] = {}  # ref -> (file, vocabulary, raw entry)
    mirrors: list[tuple[str, _Mirror]] = []
    for name, data in files:
        if data is None:
            continue
        try:
            parsed = _File.model_validate(data)
        except ValidationError as err:
            problems.append(f"{name}: {_plain_error(err)}")
            continue
        for vocab, items in parsed.vocabularies.items():
            if vocab not in VOCABULARIES:
                problems.append(f"{name}: unknown vocabulary {vocab!r} (known: {', '.join(VOCABULARIES)})")
                continue
            for item in items:
                ref = f"{VOCABULARIES[vocab]}:{item.code}"
                problem = _code_problem(vocab, item.code)
                if problem:
                    problems.append(f"{name}: entry {ref}: {problem}")
                    continue
                if ref in raw:
                    problems.append(f"{name}: duplicate ref {ref} (first defined in {raw[ref][0]})")
                    continue
                raw[ref] = (name, vocab, item)
        mirrors.extend((name, m) for m in parsed.mirrors)

    entries: dict[str, KnowledgeEntry] = {}

    # Any: the fields of different types that become KnowledgeEntry's keyword arguments, checked there
    def resolve(ref: str, seen: tuple[str, ...] = ()) -> dict[str, Any] | None:
        fname, _vocab, item = raw[ref]
        fields = item.model_dump(exclude={"like"}, exclude_none=True)
        if item.like:
            base_ref = normalize_ref(item.like)
            if base_ref not in raw or base_ref in seen:
                problems.append(f"{fname}: entry {ref}: 'like: {item.like}' names no entry (or a loop)")
                return None
            base = resolve(base_ref, (*seen, ref))
            if base is None:
                return None
            merged = {k: v for k, v in base.items() if k not in ("code", "aliases", "sip", "q850")}
            merged.update(fields)
            if "sip" not in fields and raw[base_ref][1] == "sip" and base_ref[4:].isdigit():
                merged["sip"] = int(base_ref[4:])
            fields = merged
        return fields

    for ref, (fname, vocab, _item) in raw.items():
        fields = resolve(ref)
        if fields is None:
            continue
        try:
            entries[ref] = KnowledgeEntry(ref=ref, vocabulary=vocab, **fields)
        except ValidationError as err:
            problems.append(f"{fname}: entry {ref}: {_plain_error(err)}")
        except TypeError as err:
            problems.append(f"{fname}: entry {ref}: {err}")

    for fname, mirror in mirrors:
        if mirror.vocabulary not in VOCABULARIES or mirror.of not in VOCABULARIES:
            problems.append(f"{fname}: mirror {mirror.vocabulary!r} of {mirror.of!r}: unknown vocabulary")
            continue
        prefix = VOCABULARIES[mirror.vocabulary]
        for base in [e for e in entries.values() if e.vocabulary == mirror.of and e.code.isdigit()]:
            ref = f"{prefix}:{base.code}"
            if ref in entries or ref in raw:
                continue  # an explicit entry in the file wins over the mirror
            entries[ref] = base.model_copy(
                update={
                    "ref": ref,
                    "vocabulary": mirror.vocabulary,
                    "source": f"{mirror.source}; meaning: {base.source}",
                    "sip": int(base.code),
                    "aliases": (),
                }
            )

    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(entries.values())


def _code_problem(vocab: str, code: str) -> str | None:
    if vocab == "sip" and not re.fullmatch(r"\d{3}\+?", code):
        return "a SIP code is three digits, optionally followed by '+'"
    if vocab == "q850" and not (code.isdigit() and 0 <= int(code) <= 127):
        return "a Q.850 cause is a number from 0 to 127"
    if vocab == "plivo-hangup-cause" and code.partition(":")[0] not in PLIVO_PRODUCTS:
        return f"a Plivo code is '<product>:<code>' with product one of {', '.join(PLIVO_PRODUCTS)}"
    return None


def load_knowledge(folder: Path | Traversable | str | None = None) -> KnowledgeBase:
    """Load and validate a knowledge folder (None: the packaged resources/knowledge)."""
    return build(_sources(Path(folder) if isinstance(folder, str) else folder))


@cache
def knowledge() -> KnowledgeBase:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_knowledge()
