"""Diagnosis -> the customer reply and the internal note, from the team lead's templates.

The templates live in resources/replies/ (customer.yaml, internal.yaml, summary.yaml). A team
lead may override any of them by dropping a file of the same name in `<config dir>/replies/`
(docs/replies.md). Every file is validated at load: a missing diagnosis kind, an unknown key or an
unknown placeholder is a load error naming the file and the key, so a typo never reaches a customer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sipsight.core import resources
from sipsight.core.errors import InputError
from sipsight.core.models import Alternative, Attempt, Diagnosis, DiagnosisKind, LookupResult, OutcomeClass
from sipsight.core.phone import pretty
from sipsight.core.replies._templating import Template, TemplateSyntaxError
from sipsight.core.timezones import zone as zone_of

# --------------------------------------------------------------------------- placeholders

CUSTOMER_PLACEHOLDERS: dict[str, str] = {
    "number": "the number the customer called, formatted (+1 303-555-0199)",
    "caller_id": "the customer's caller ID, formatted, or 'your number'",
    "dates": "'on Nov 23' or 'between Nov 21 and Nov 23' (display time zone)",
    "first_date": "date of the first attempt ('Nov 21')",
    "last_date": "date of the last attempt ('Nov 23')",
    "calls": "'6 calls' / '1 call'",
    "other_numbers": "'12 other numbers' the caller ID called in the same period, or empty",
    "healthy_others": "like other_numbers, but only when most of those calls connected; else empty",
    "failing_others": "like other_numbers, but only when those calls are failing too; else empty",
    "redress": "the dispute contact a carrier returned (608 jCard / 603+ Reason), or empty",
    "carrier": "the terminating carrier's name, or empty",
    "since_change": "'since Nov 22' when the diagnosis found when things changed, or empty",
}

INTERNAL_PLACEHOLDERS: dict[str, str] = {
    "headline": "the diagnosis headline",
    "kind": "the diagnosis kind id (recipient_blocked ...)",
    "interpretation": "the per-kind technical reading (internal.yaml `kinds`)",
    "confidence": "confidence in percent ('72%')",
    "band": "confidence band: high | medium | low",
    "provider": "provider name (twilio, signalwire, file ...)",
    "source": "where the data came from: profile, demo scenario or file",
    "destination": "destination in E.164",
    "caller_id": "caller ID in E.164, or 'unknown'",
    "window": "first to last attempt, with the time zone",
    "tz": "the display time zone",
    "attempt_count": "number of attempts to the destination",
    "by_outcome": "'voicemail 4, network_blocked 2'",
    "codes": "codes seen, with reason phrases and counts",
    "attempt_lines": "one line per attempt (newest 20): call id, time, codes, outcome",
    "other_calls": "summary of the caller ID's calls to other numbers, or empty",
    "change": "what changed and when, or empty",
    "redress": "redress contacts, or empty",
    "carriers": "terminating carriers, or empty",
    "line_type": "line type of the destination, or empty",
    "data_profile": "what the data could show (SIP codes, answered_by, caller history)",
    "evidence": "evidence lines",
    "next_steps": "next steps, one per line",
    "caveats": "caveats, one per line, or empty",
    "alternatives": "alternatives with how to tell them apart, or empty",
}

SUMMARY_PLACEHOLDERS: dict[str, str] = dict(CUSTOMER_PLACEHOLDERS)

# Placeholders that are often empty: a template must use them inside [[ ]] so an empty value drops the
# whole phrase instead of leaving "your calls to  are ..." in front of a customer.
MAY_BE_EMPTY: frozenset[str] = frozenset(
    {
        "other_numbers",
        "healthy_others",
        "failing_others",
        "redress",
        "carrier",
        "since_change",
        "source",
        "other_calls",
        "change",
        "carriers",
        "line_type",
        "caveats",
        "alternatives",
    }
)

TEMPLATE_FILES = ("customer.yaml", "internal.yaml", "summary.yaml")


class ReplyTemplateError(InputError):
    """A reply template file that does not load; the message names the file and the key."""


# --------------------------------------------------------------------------- template files


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Bands(_Strict):
    high: float = Field(0.75, gt=0, le=1)
    medium: float = Field(0.45, gt=0, le=1)


class BandTemplates(_Strict):
    high: str
    medium: str
    low: str | None = None  # falls back to medium: low-confidence wording is at least as hedged


class CustomerFile(_Strict):
    source: str
    bands: Bands = Field(default_factory=Bands)
    kinds: dict[str, BandTemplates]


class InternalFile(_Strict):
    source: str
    layout: str
    kinds: dict[str, str]


class SummaryKind(_Strict):
    problem: str
    causes: list[str] = Field(default_factory=list)
    identify: list[str] = Field(min_length=1)
    tip: str


class SummaryFile(_Strict):
    source: str
    general_identify: list[str] = Field(default_factory=list)
    kinds: dict[str, SummaryKind]

    @field_validator("general_identify")
    @classmethod
    def _strip(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value]


class ReplyTemplates:
    """All three files, parsed: `customer[kind][band]`, `internal_layout`, `internal[kind]`, `summary[kind]`."""

    def __init__(self, customer: CustomerFile, internal: InternalFile, summary: SummaryFile, origin: dict[str, str]):
        self.bands = customer.bands
        self.origin = origin  # file name -> where it was read from (for error messages and docs)
        self.customer: dict[DiagnosisKind, dict[str, Template]] = {}
        for kind in DiagnosisKind:
            bt = customer.kinds[kind.value]
            self.customer[kind] = {
                "high": Template(bt.high),
                "medium": Template(bt.medium),
                "low": Template(bt.low if bt.low is not None else bt.medium),
            }
        self.internal_layout = Template(internal.layout)
        self.internal = {kind: Template(internal.kinds[kind.value]) for kind in DiagnosisKind}
        self.summary: dict[DiagnosisKind, dict[str, Any]] = {}
        for kind in DiagnosisKind:
            sk = summary.kinds[kind.value]
            self.summary[kind] = {
                "problem": Template(sk.problem),
                "causes": [Template(c) for c in sk.causes],
                "identify": [Template(c) for c in sk.identify],
                "tip": Template(sk.tip),
            }
        self.general_identify = [Template(t) for t in summary.general_identify]

    def band(self, confidence: float) -> str:
        if confidence >= self.bands.high:
            return "high"
        if confidence >= self.bands.medium:
            return "medium"
        return "low"


def _fail(origin: str, key: str, message: str) -> ReplyTemplateError:
    return ReplyTemplateError(
        f"Reply template {origin}: {key}: {message}",
        "Fix that entry (docs/replies.md lists the keys and placeholders), or remove the override file.",
    )


def _check_template(origin: str, key: str, text: str, allowed: Iterable[str]) -> None:
    try:
        template = Template(text)
    except TemplateSyntaxError as err:
        raise _fail(origin, key, str(err)) from None
    unknown = template.check(allowed)
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        known = ", ".join("{" + n + "}" for n in sorted(allowed))
        raise _fail(origin, key, f"unknown placeholder {names} (known: {known})")
    bare = sorted(template.unguarded & MAY_BE_EMPTY)
    if bare:
        names = ", ".join("{" + n + "}" for n in bare)
        raise _fail(origin, key, f"{names} can be empty: put it inside an optional part [[ ... ]]")


def _check_kinds(origin: str, kinds: dict[str, Any]) -> None:
    wanted = [k.value for k in DiagnosisKind]
    missing = [k for k in wanted if k not in kinds]
    if missing:
        raise _fail(
            origin,
            "kinds." + missing[0],
            f"missing (every diagnosis kind needs an entry; missing: {', '.join(missing)})",
        )
    extra = sorted(set(kinds) - set(wanted))
    if extra:
        raise _fail(origin, "kinds." + extra[0], f"not a diagnosis kind (known: {', '.join(wanted)})")


def _validate(model: type[BaseModel], data: Any, origin: str) -> Any:
    if not isinstance(data, dict):
        raise _fail(origin, "(top level)", "expected a mapping of keys (source, kinds, ...)")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        raise _fail(origin, key, message) from None


def parse_customer(data: Any, origin: str = "customer.yaml") -> CustomerFile:
    model: CustomerFile = _validate(CustomerFile, data, origin)
    _check_kinds(origin, model.kinds)
    if model.bands.medium >= model.bands.high:
        raise _fail(origin, "bands", "medium must be below high")
    for kind, bt in model.kinds.items():
        for band in ("high", "medium", "low"):
            text = getattr(bt, band)
            if text is not None:
                _check_template(origin, f"kinds.{kind}.{band}", text, CUSTOMER_PLACEHOLDERS)
    return model


def parse_internal(data: Any, origin: str = "internal.yaml") -> InternalFile:
    model: InternalFile = _validate(InternalFile, data, origin)
    _check_kinds(origin, model.kinds)
    _check_template(origin, "layout", model.layout, INTERNAL_PLACEHOLDERS)
    for kind, text in model.kinds.items():
        _check_template(origin, f"kinds.{kind}", text, INTERNAL_PLACEHOLDERS)
    return model


def parse_summary(data: Any, origin: str = "summary.yaml") -> SummaryFile:
    model: SummaryFile = _validate(SummaryFile, data, origin)
    _check_kinds(origin, model.kinds)
    for i, text in enumerate(model.general_identify):
        _check_template(origin, f"general_identify.{i}", text, SUMMARY_PLACEHOLDERS)
    for kind, sk in model.kinds.items():
        _check_template(origin, f"kinds.{kind}.problem", sk.problem, SUMMARY_PLACEHOLDERS)
        _check_template(origin, f"kinds.{kind}.tip", sk.tip, SUMMARY_PLACEHOLDERS)
        for field in ("causes", "identify"):
            for i, text in enumerate(getattr(sk, field)):
                _check_template(origin, f"kinds.{kind}.{field}.{i}", text, SUMMARY_PLACEHOLDERS)
    return model


_PARSERS = {"customer.yaml": parse_customer, "internal.yaml": parse_internal, "summary.yaml": parse_summary}


def override_dir() -> Path:
    from sipsight.core.paths import config_dir

    return config_dir() / "replies"


def _yaml_problem(err: Exception) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    if mark is None:
        return problem
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"


def _read(name: str, folder: Path | None) -> tuple[Any, str]:
    if folder is not None and (folder / name).is_file():
        path = folder / name
        try:
            return resources.load_yaml_text(path.read_text(encoding="utf-8")), str(path)
        except OSError as err:
            raise _fail(str(path), "(file)", f"cannot be read ({err.strerror})") from None
        except Exception as err:  # yaml.YAMLError
            raise _fail(str(path), "(file)", f"is not valid YAML: {_yaml_problem(err)}") from None
    return resources.load_yaml("replies", name), f"resources/replies/{name}"


def load_templates(folder: Path | None = None) -> ReplyTemplates:
    """Load and validate the three template files; files in `folder` replace the packaged ones."""
    loaded: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for name in TEMPLATE_FILES:
        data, where = _read(name, folder)
        loaded[name] = _PARSERS[name](data, where)
        origin[name] = where
    return ReplyTemplates(loaded["customer.yaml"], loaded["internal.yaml"], loaded["summary.yaml"], origin)


@cache
def _cached(folder: str | None, stamp: tuple[float, ...]) -> ReplyTemplates:
    return load_templates(Path(folder) if folder else None)


def templates() -> ReplyTemplates:
    """The templates in use: the team lead's overrides when present, else the packaged ones (cached)."""
    folder = override_dir()
    stamps = tuple((folder / n).stat().st_mtime if (folder / n).is_file() else 0.0 for n in TEMPLATE_FILES)
    if not any(stamps):
        return _cached(None, ())
    return _cached(str(folder), stamps)


# --------------------------------------------------------------------------- time display


# English month names, not strftime's %b: the replies are English whatever locale Qt sets for the process
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(when: datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return f"{_MONTHS[local.month - 1]} {local.day}"


def format_datetime(when: datetime, zone: ZoneInfo, seconds: bool = False) -> str:
    local = when.astimezone(zone)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{format_date(when, zone)} {clock} {local.tzname()}"


def date_span(times: Sequence[datetime], zone: ZoneInfo) -> tuple[str, str, str]:
    """(first, last, phrase): phrase is 'on Nov 23' or 'between Nov 21 and Nov 23'."""
    if not times:
        return "", "", ""
    first, last = format_date(min(times), zone), format_date(max(times), zone)
    if first == last:
        return first, last, f"on {first}"
    return first, last, f"between {first} and {last}"


# --------------------------------------------------------------------------- code phrases


def _kb() -> Any:
    """The knowledge base, or None while core/knowledge.py is not installed (the attempt's own phrases are used)."""
    try:
        from sipsight.core.knowledge import knowledge
    except ImportError:
        return None
    return knowledge()


def sip_phrase(attempt: Attempt, kb: Any = None) -> str:
    """'608 Rejected', '603+ Network Blocked'; the reason phrase from the knowledge base when it knows the code."""
    if attempt.sip_code is None:
        return ""
    kb = kb if kb is not None else _kb()
    name = None
    if kb is not None:
        entry = kb.sip(attempt.sip_code, attempt.sip_reason)
        name = entry.name if entry is not None else None
    name = name or attempt.sip_reason or ""
    return f"{attempt.sip_label} {name}".strip()


def q850_phrase(cause: int | None, kb: Any = None) -> str:
    if cause is None:
        return ""
    kb = kb if kb is not None else _kb()
    entry = kb.q850(cause) if kb is not None else None
    return f"Q.850 {cause} {entry.name}" if entry is not None else f"Q.850 {cause}"


def provider_error_phrase(attempt: Attempt, kb: Any = None) -> str:
    code = attempt.provider_error_code
    if not code:
        return ""
    kb = kb if kb is not None else _kb()
    entry = kb.find(f"{attempt.provider}:{code}") if kb is not None else None
    label = f"{attempt.provider} error {code}"
    return f"{label} {entry.name}" if entry is not None else label


def code_counts(attempts: Iterable[Attempt], kb: Any = None) -> list[tuple[str, int]]:
    """Codes seen across attempts with reason phrases, most frequent first."""
    kb = kb if kb is not None else _kb()
    counts: Counter[str] = Counter()
    for a in attempts:
        for phrase in (sip_phrase(a, kb), q850_phrase(a.q850_cause, kb), provider_error_phrase(a, kb)):
            if phrase:
                counts[phrase] += 1
    return counts.most_common()


# --------------------------------------------------------------------------- values


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def effective_diagnosis(result: LookupResult) -> Diagnosis:
    if result.diagnosis is not None:
        return result.diagnosis
    return Diagnosis(kind=DiagnosisKind.NO_DATA, confidence=0.0, headline="No diagnosis was made.")


def _connected(outcome: OutcomeClass) -> bool:
    return outcome in (OutcomeClass.CONNECTED,)


def customer_values(result: LookupResult, tz: str = "UTC") -> dict[str, str]:
    """The placeholder values customer and summary templates see (plain text, no jargon)."""
    zone = zone_of(tz)
    diagnosis = effective_diagnosis(result)
    stats = diagnosis.stats
    times = [a.start_time for a in result.attempts]
    if not times:  # no attempts: name the window that was searched
        times = [t for t in (result.query.since, result.query.until or datetime.now(UTC)) if t is not None]
    first, last, phrase = date_span(times, zone)
    caller = result.caller_id or result.query.caller_id or stats.get("caller_id")
    others = result.caller_attempts
    other_dest = {a.to for a in others if a.to != result.query.destination}
    n_other = len(other_dest) or int(stats.get("other_destinations") or 0)
    other_phrase = _plural(n_other, "other number") if n_other else ""
    rate = stats.get("other_connect_rate")
    if rate is None and others:
        answered = sum(1 for a in others if a.outcome in (OutcomeClass.CONNECTED, OutcomeClass.VOICEMAIL))
        rate = answered / len(others)
    healthy = other_phrase if other_phrase and rate is not None and rate >= 0.3 else ""
    failing = other_phrase if other_phrase and rate is not None and rate < 0.3 else ""
    redress = list(stats.get("redress_contacts") or [])
    redress += [a.redress_contact for a in result.attempts if a.redress_contact and a.redress_contact not in redress]
    carriers = list(stats.get("carriers") or [])
    carriers += [a.carrier for a in result.attempts if a.carrier and a.carrier not in carriers]
    change = stats.get("change_at")
    since_change = ""
    if change:
        try:
            since_change = "since " + format_date(datetime.fromisoformat(str(change).replace("Z", "+00:00")), zone)
        except ValueError:
            since_change = ""
    return {
        "number": pretty(result.query.destination),
        "caller_id": pretty(caller) if caller else "your number",
        "dates": phrase,
        "first_date": first,
        "last_date": last,
        "calls": _plural(len(result.attempts), "call"),
        "other_numbers": other_phrase,
        "healthy_others": healthy,
        "failing_others": failing,
        "redress": "; ".join(redress[:2]),
        "carrier": carriers[0] if carriers else "",
        "since_change": since_change,
    }


def render_customer(result: LookupResult, tz: str = "UTC") -> str:
    """The reply an agent can paste to the customer: plain words, hedged to the diagnosis' confidence."""
    t = templates()
    diagnosis = effective_diagnosis(result)
    band = t.band(diagnosis.confidence)
    return t.customer[diagnosis.kind][band].render(customer_values(result, tz))


def _attempt_line(a: Attempt, zone: ZoneInfo, kb: Any) -> str:
    bits = [a.provider_status or "status ?"]
    for phrase in (sip_phrase(a, kb), q850_phrase(a.q850_cause, kb), provider_error_phrase(a, kb)):
        if phrase:
            bits.append(phrase)
    if a.answered_by:
        bits.append(f"answered_by {a.answered_by}")
    if a.duration_s is not None:
        bits.append(f"{a.duration_s:g}s talk")
    if a.ring_s is not None:
        bits.append(f"{a.ring_s:g}s ring")
    if a.pdd_ms is not None:
        bits.append(f"PDD {a.pdd_ms} ms")
    if a.disconnected_by:
        bits.append(f"hung up by {a.disconnected_by}")
    when = format_datetime(a.start_time, zone, seconds=True)
    return f"- {a.id} {when} {a.from_} -> {a.to}: {', '.join(bits)} => {a.outcome.value}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def alternative_line(alt: Alternative) -> str:
    """'unreachable (20%): Phone off. How to tell: try again tomorrow.'"""
    line = f"{alt.kind.value} ({alt.confidence:.0%}): {_sentence(alt.why)}"
    return line + (f" How to tell: {_sentence(alt.how_to_tell)}" if alt.how_to_tell.strip() else "")


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {i}" for i in items if i)


def internal_values(result: LookupResult, tz: str = "UTC") -> dict[str, str]:
    zone = zone_of(tz)
    kb = _kb()
    diagnosis = effective_diagnosis(result)
    t = templates()
    attempts = sorted(result.attempts, key=lambda a: a.start_time)
    if attempts:
        window = f"{format_datetime(attempts[0].start_time, zone)} to {format_datetime(attempts[-1].start_time, zone)}"
    else:
        until = result.query.until
        window = f"{format_datetime(result.query.since, zone)} to {format_datetime(until, zone) if until else 'now'}"
    newest = attempts[-20:]
    lines = [_attempt_line(a, zone, kb) for a in reversed(newest)]
    if len(attempts) > len(newest):
        lines.append(f"- ... and {len(attempts) - len(newest)} older attempts")
    outcomes = Counter(a.outcome.value for a in attempts)
    others = result.caller_attempts
    other_calls = ""
    if others:
        other_dest = {a.to for a in others}
        other_outcomes = Counter(a.outcome.value for a in others)
        connected = sum(1 for a in others if _connected(a.outcome))
        other_calls = (
            f"{len(others)} calls to {len(other_dest)} other numbers from the same caller ID; "
            f"{connected} connected ({connected * 100 // max(len(others), 1)}%); "
            + "by outcome: "
            + ", ".join(f"{k} {v}" for k, v in other_outcomes.most_common())
        )
    stats = diagnosis.stats
    change = ""
    if stats.get("change_summary"):
        change = str(stats["change_summary"])
        if stats.get("change_at"):
            when = datetime.fromisoformat(str(stats["change_at"]).replace("Z", "+00:00"))
            change += f" (at {format_datetime(when, zone)})"
    redress = sorted(
        {a.redress_contact for a in attempts if a.redress_contact} | set(stats.get("redress_contacts") or [])
    )
    carriers = sorted({a.carrier for a in attempts if a.carrier} | set(stats.get("carriers") or []))
    data = result.data
    profile_bits = [
        "SIP codes: yes" if data.has_sip_codes else "SIP codes: no (status only)",
        "answered_by: yes" if data.has_answered_by else "answered_by: no",
        "caller history: yes" if data.has_caller_history or others else "caller history: no",
    ]
    if data.partial_summaries:
        profile_bits.append(f"{data.partial_summaries} partial summaries")
    source = (result.profile and f"profile {result.profile}") or ""
    if result.demo:
        source = f"demo scenario {result.scenario or 'default'}"
    alternatives = [alternative_line(alt) for alt in diagnosis.alternatives]
    values = {
        "headline": diagnosis.headline,
        "kind": diagnosis.kind.value,
        "confidence": f"{diagnosis.confidence:.0%}",
        "band": t.band(diagnosis.confidence),
        "provider": result.provider,
        "source": source,
        "destination": result.query.destination,
        "caller_id": result.caller_id or result.query.caller_id or "unknown",
        "window": window,
        "tz": zone.key,
        "attempt_count": str(len(attempts)),
        "by_outcome": ", ".join(f"{k} {v}" for k, v in outcomes.most_common()) or "none",
        "codes": "; ".join(f"{label} x{n}" for label, n in code_counts(attempts, kb)) or "none recorded",
        "attempt_lines": "\n".join(lines),
        "other_calls": other_calls,
        "change": change,
        "redress": "; ".join(redress),
        "carriers": ", ".join(carriers),
        "line_type": result.line_type or "",
        "data_profile": ", ".join(profile_bits + list(data.provider_caveats)),
        "evidence": _bullets(e.text for e in diagnosis.evidence),
        "next_steps": _bullets(diagnosis.next_steps),
        "caveats": _bullets(diagnosis.caveats),
        "alternatives": _bullets(alternatives),
    }
    values["interpretation"] = t.internal[diagnosis.kind].render(values)
    return values


def render_internal_note(result: LookupResult, tz: str = "UTC") -> str:
    """The technical note for the ticket: call ids, codes with reason phrases, times with zone, caveats."""
    return templates().internal_layout.render(internal_values(result, tz))


def median_or_none(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return median(known) if known else None
