"""`sipsight explain CODE`: what a SIP code, Q.850 cause or provider code means, for agent and customer.

Offline and instant: it reads only the packaged knowledge base (no Qt, no network).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from sipsight.core.errors import InputError
from sipsight.core.knowledge import (
    OUTCOME_TABLE_FILE,
    PREFIXES,
    VOCABULARIES,
    KnowledgeBase,
    KnowledgeEntry,
    KnowledgeError,
    OutcomeTableError,
    knowledge,
    load_knowledge,
    parse_outcome_table,
)
from sipsight.core.resources import load_yaml_text

EXAMPLES = """examples:
  sipsight explain 608
  sipsight explain 603+
  sipsight explain "608 607"             (several codes: each one)
  sipsight explain "busy here"           (words: the codes nearest in meaning)
  sipsight explain "Q.850 cause 21"      (also q850:21)
  sipsight explain error 21215           (also twilio:21215)
  sipsight explain telnyx:call_rejected
  sipsight explain bandwidth:rejected --json
  sipsight explain --list                (vocabularies)
  sipsight explain --list telnyx         (every code in one vocabulary)
  sipsight explain --check resources/knowledge
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "explain",
        help="explain a SIP code, Q.850 cause or provider code",
        description="Explain a SIP response code, a Q.850 cause or a provider code: what it means, who sends it, "
        "what to tell the customer and what to do next.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "code",
        nargs="*",
        help="the code, e.g. 608, 603+, q850:21, twilio:21215; several codes ('608 607') are explained one by one",
    )
    parser.add_argument("--json", action="store_true", help="print the entry as JSON")
    parser.add_argument(
        "--list",
        nargs="?",
        const="",
        default=None,
        metavar="VOCABULARY",
        help="list the vocabularies, or every code in one (e.g. sip, q850, twilio, telnyx)",
    )
    parser.add_argument("--check", metavar="FOLDER", help="validate a folder of knowledge YAML files and report")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.check:
        return _check(args.check, as_json=args.json)
    kb = knowledge()
    if args.list is not None:
        return _list(kb, args.list.strip(), as_json=args.json)
    # NFKC: full-width digits typed on a CJK keyboard ("６０８") are the same code
    text = unicodedata.normalize("NFKC", " ".join(args.code)).strip()
    if not text:
        raise InputError("No code given.", "Try 'sipsight explain 608' or 'sipsight explain --list'.")
    entries = [lookup(part, kb) for part in split_codes(text)]
    if args.json:
        data = [to_json(e, kb) for e in entries]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(render(e, kb) for e in entries))
    return 0


# one code as people write it: 608, 603+, q850:21, twilio:21215, telnyx:call_rejected
_CODE_TOKEN = re.compile(r"^(?:\d{3}\+?|[a-z][a-z0-9-]*:[^\s,;/]+)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;/]+|\band\b", re.IGNORECASE)


def split_codes(text: str) -> list[str]:
    """Several codes in one argument ('608 607', '603/607/608', '608, q850:21') -> each one; anything else (a code
    with words: '603 Network Blocked', 'Q.850 cause 21', 'error 21215') stays one code."""
    tokens = [t for t in _SEPARATORS.split(text) if t]
    if len(tokens) > 1 and all(_CODE_TOKEN.match(t) for t in tokens):
        return list(dict.fromkeys(tokens))
    return [text]


def lookup(text: str, kb: KnowledgeBase) -> KnowledgeEntry:
    """The entry of one code; an unknown one is an InputError whose hint suggests codes near in meaning."""
    entry = kb.find(text)
    if entry is not None:
        return entry
    raise InputError(f"Unknown code {text.strip()!r}.", unknown_hint(text, kb))


def unknown_hint(text: str, kb: KnowledgeBase) -> str:
    """What to try instead of an unknown code: for a SIP code its class (RFC 3261 reads an unregistered code as the
    x00 of its class), for words the codes whose names and meanings are closest, never codes that merely share
    digits."""
    key = kb.normalize_ref(text)
    prefix, _, code = key.partition(":")
    if prefix == "sip" and code[:3].isdigit():
        number = int(code[:3])
        if not 100 <= number <= 699:
            return (
                f"{number} is not a SIP response code (100-699), a Q.850 cause (0-127) or a provider code SIPSight "
                "knows. Run 'sipsight explain --list' to see every vocabulary."
            )
        base = kb.sip(number - number % 100)
        same = [e for e in kb.entries("sip") if e.code[:1] == code[:1] and e.code != code]
        listed = ", ".join(f"{e.ref} {e.name}" for e in sorted(same, key=_sort_key)[:8])
        reads = f"; RFC 3261 §8.1.3.2 reads it as {base.code} {base.name}" if base is not None else ""
        return f"{number} is not a registered SIP code{reads}. Codes of its class: {listed}."
    near = meaning_matches(text, kb)
    if not near and code:
        near = [f"{r} {kb.get(r).name}" for r in kb.suggest(text)]
    if near:
        return f"Did you mean {', '.join(near)}?"
    return "Run 'sipsight explain --list' to see every code."


def meaning_matches(text: str, kb: KnowledgeBase, n: int = 3) -> list[str]:
    """Codes whose reason phrase or meaning is nearest the words typed ('busy here' -> sip:486 Busy Here)."""
    words = [w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOPWORDS]
    if not words:
        return []
    scored: list[tuple[float, KnowledgeEntry]] = []
    for entry in (e for v in kb.vocabularies() for e in kb.entries(v)):
        vocab = set(re.findall(r"[a-z]{3,}", f"{entry.name} {entry.agent.split('. ')[0]}".lower()))
        if not vocab:
            continue
        score = sum(max(difflib.SequenceMatcher(None, w, v).ratio() for v in vocab) for w in words) / len(words)
        name_words = set(re.findall(r"[a-z]{3,}", entry.name.lower()))
        score += 0.2 * len(name_words & set(words))  # the reason phrase itself says most
        if score >= 0.8:
            scored.append((score, entry))
    # the standards first, and a mirror (signalwire:486 of sip:486) never beside its original
    rank = {v: i for i, v in enumerate(("sip", "q850", "twilio-error", "twilio-status"))}
    scored.sort(key=lambda se: (-se[0], rank.get(se[1].vocabulary, 9), se[1].ref))
    names: dict[str, str] = {}
    for _, entry in scored:
        names.setdefault(entry.name.lower(), f"{entry.ref} {entry.name}")
    return list(names.values())[:n]


_STOPWORDS = frozenset({"the", "and", "for", "code", "sip", "error", "cause", "call", "calls", "with", "not"})


# codes newer than RFC 3398, whose cause-21 mapping comes from the FCC blocking orders
_LATER_MAPPINGS = {"607": "FCC 20-187", "608": "FCC 20-187", "603+": "FCC 25-15"}
_CONFIDENCE = {
    "H": "high (standard or official documentation)",
    "M": "medium (vendor or secondary documentation)",
    "L": "low (inference; do not state it to a customer as fact)",
}


def mapping_line(entry: KnowledgeEntry, kb: KnowledgeBase) -> str:
    """SIP <-> Q.850 per RFC 3398, in the direction(s) that apply to this entry."""
    parts: list[str] = []
    if entry.vocabulary == "q850":
        cause = int(entry.code)
        parts.append(
            f"Q.850 {cause} -> SIP {entry.sip} (RFC 3398 §7.2.4.1)"
            if entry.sip is not None
            else f"Q.850 {cause} -> no SIP response (RFC 3398 §7.2.4.1)"
        )
        back = sorted({e.code for e in kb.entries("sip") if e.q850 == cause}, key=lambda c: (int(c[:3]), c))
        rfc = [c for c in back if c not in _LATER_MAPPINGS]
        later = [c for c in back if c in _LATER_MAPPINGS]
        if rfc:
            parts.append(f"SIP {', '.join(rfc)} -> Q.850 {cause} (RFC 3398 §8.2.6.1)")
        if later:
            sources = ", ".join(sorted({_LATER_MAPPINGS[c] for c in later}))
            parts.append(f"SIP {', '.join(later)} -> Q.850 {cause} ({sources})")
        return "; ".join(parts)
    sip_code = int(entry.code[:3]) if entry.vocabulary == "sip" else entry.sip
    if sip_code is None:
        return ""
    if entry.vocabulary != "sip":
        parts.append(f"implies SIP {sip_code}")
    sip_entry = kb.sip(sip_code, entry.name if entry.code.endswith("+") else None)
    q850 = sip_entry.q850 if sip_entry is not None else kb.sip_to_q850(sip_code)
    if q850 is not None:
        label = entry.code if entry.vocabulary == "sip" else str(sip_code)
        parts.append(f"SIP {label} -> Q.850 {q850} ({_LATER_MAPPINGS.get(label, 'RFC 3398 §8.2.6.1')})")
    causes = kb.isup_causes_for(sip_code)
    if causes:
        parts.append(f"Q.850 {', '.join(map(str, causes))} -> SIP {sip_code} (RFC 3398 §7.2.4.1)")
    return "; ".join(parts)


def to_json(entry: KnowledgeEntry, kb: KnowledgeBase) -> dict[str, Any]:
    data = entry.model_dump(mode="json")
    data["aliases"] = list(entry.aliases)
    data["mapping"] = mapping_line(entry, kb)
    return data


def render(entry: KnowledgeEntry, kb: KnowledgeBase) -> str:
    rows = [
        ("Code", f"{entry.ref}  {entry.name}"),
        ("Outcome", entry.outcome.value),
        ("Sent by", entry.sender.replace("_", " ")),
        ("For the agent", entry.agent),
        ("For the customer", entry.customer),
        ("Next step", entry.next_step),
        ("Retry", entry.retry or "n/a"),
        ("Mapping", mapping_line(entry, kb) or "none"),
        ("Confidence", _CONFIDENCE[entry.confidence]),
        ("Source", entry.source),
    ]
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join(f"{label + ':':<{width}}{value}" for label, value in rows)


def _list(kb: KnowledgeBase, which: str, *, as_json: bool) -> int:
    if not which:
        counts = kb.vocabularies()
        if as_json:
            rows = [{"vocabulary": v, "prefix": VOCABULARIES[v], "entries": n} for v, n in counts.items()]
            print(json.dumps(rows, indent=2))
            return 0
        print(f"{'VOCABULARY':<28}{'REF PREFIX':<26}ENTRIES")
        for vocab, n in counts.items():
            print(f"{vocab:<28}{VOCABULARIES[vocab] + ':':<26}{n}")
        print("\n'sipsight explain --list VOCABULARY' lists the codes of one vocabulary.")
        return 0
    vocab = PREFIXES.get(which.lower(), which.lower())
    if vocab not in VOCABULARIES:
        names = ", ".join(sorted({*VOCABULARIES, *PREFIXES}))
        raise InputError(f"Unknown vocabulary {which!r}.", f"Known: {names}.")
    entries = sorted(kb.entries(vocab), key=_sort_key)
    if as_json:
        print(json.dumps([{"ref": e.ref, "name": e.name, "outcome": e.outcome.value} for e in entries], indent=2))
        return 0
    width = max((len(e.ref) for e in entries), default=10) + 2
    for e in entries:
        print(f"{e.ref:<{width}}{e.outcome.value:<19}{e.name}")
    return 0


def _sort_key(entry: KnowledgeEntry) -> tuple[int, int, str]:
    head = entry.code.split(":")[-1].rstrip("+")
    return (0, int(head), entry.code) if head.isdigit() else (1, 0, entry.code)


def _check(folder: str, *, as_json: bool) -> int:
    if Path(folder).is_file():
        raise InputError(f"{folder} is a file, not a folder.", "Give the folder that holds the knowledge YAML files.")
    try:
        kb = load_knowledge(Path(folder))
    except KnowledgeError as err:
        if as_json:
            print(json.dumps({"ok": False, "problems": err.problems}, indent=2, ensure_ascii=False))
        else:
            print(f"{len(err.problems)} problem(s) in {folder}:")
            for problem in err.problems:
                print(f"  - {problem}")
        return 2
    table = Path(folder) / OUTCOME_TABLE_FILE
    if table.is_file():
        try:
            parse_outcome_table(load_yaml_text(table.read_text(encoding="utf-8")), OUTCOME_TABLE_FILE)
        except (OutcomeTableError, ValueError) as err:
            message = str(err.message) if isinstance(err, OutcomeTableError) else f"not valid YAML ({err})"
            if as_json:
                print(json.dumps({"ok": False, "problems": [message]}, indent=2, ensure_ascii=False))
            else:
                print(f"1 problem(s) in {folder}:\n  - {message}")
            return 2
    if len(kb) == 0:  # an "OK" for the wrong folder would hide the mistake
        raise InputError(f"No knowledge entries in {folder}.", "Give the folder that holds the knowledge YAML files.")
    if as_json:
        print(json.dumps({"ok": True, "entries": len(kb), "vocabularies": kb.vocabularies()}, indent=2))
    else:
        print(f"OK: {len(kb)} entries in {folder}")
    return 0
