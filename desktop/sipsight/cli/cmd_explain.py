"""`sipsight explain CODE`: what a SIP code, Q.850 cause or provider code means, for agent and customer.

Offline and instant: it reads only the packaged knowledge base (no Qt, no network).
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path
from typing import Any

from sipsight.core.errors import InputError
from sipsight.core.knowledge import (
    PREFIXES,
    VOCABULARIES,
    KnowledgeBase,
    KnowledgeEntry,
    KnowledgeError,
    knowledge,
    load_knowledge,
)

EXAMPLES = """examples:
  sipsight explain 608
  sipsight explain 603+
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
    parser.add_argument("code", nargs="*", help="the code, e.g. 608, 603+, q850:21, twilio:21215 (words are joined)")
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
    entry = kb.get(text)
    if args.json:
        print(json.dumps(to_json(entry, kb), indent=2, ensure_ascii=False))
    else:
        print(render(entry, kb))
    return 0


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
    if len(kb) == 0:  # an "OK" for the wrong folder would hide the mistake
        raise InputError(f"No knowledge entries in {folder}.", "Give the folder that holds the knowledge YAML files.")
    if as_json:
        print(json.dumps({"ok": True, "entries": len(kb), "vocabularies": kb.vocabularies()}, indent=2))
    else:
        print(f"OK: {len(kb)} entries in {folder}")
    return 0
