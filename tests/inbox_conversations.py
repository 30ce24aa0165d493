"""The Intercom conversations of the built-in scenarios (resources/inbox/conversations/<scenario>.yaml), generated
from each scenario's `conversation` text: who wrote which lines is said here, per scenario, never guessed.

Run `python tests/inbox_conversations.py` to rewrite the files after a scenario's conversation changed;
tests/unit/test_inbox_conversations.py checks the checked-in files are what this makes.

Every customer message is lines of the scenario's own text. What a scenario's text holds that an Intercom
conversation does not is left out (an e-mail's From/Subject/Date lines become the subject; a ticket system's footer
goes). The origin ticket also carries the two teammates' notes of shared/reference/origin-ticket.md."""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

import yaml

import project_paths

OUT = project_paths.ROOT / "resources" / "inbox" / "conversations"
CALLER_ID_ATTRIBUTE = "dialer_caller_id"
SUBACCOUNT_ATTRIBUTE = "twilio_subaccount_sid"
SUBACCOUNT = "AC" + "0" * 31 + "1"  # the simulator's demo sub-account (simulator/served.py SUBACCOUNT_SID)
ORIGIN_ID = "215469108439785"  # the conversation id in the origin ticket's own link
ORIGIN_WORKSPACE = "ql8el0gn"
SUBACCOUNT_CONVERSATION_ID = "215469108490001"  # origin-ticket--subaccount.yaml: the contact names only a sub-account

MARK = (
    "we'll hit this one in the morning. I know it's early, but I want to see where your mind goes on how to "
    "identify/handle this conversation."
)
JON = (
    "This does not seem like a CRM issue to me this seems like a new investor who has not made very many sales calls "
    "lol. I would like to dig into the <!> error because not familiar yet with the error indications. but i would "
    "assume this is more user education on what is a issue and what is not. My response {\n"
    "Hey thanks for reaching out Is this a isolated case are you seeing this error across multiple conversations , or "
    "just the one ? You are probably correct in that the seller may have blocked you or number got turned off or "
    "disconnected.\n}"
)


def body(text: str) -> str:
    """Intercom's HTML: a paragraph per blank-line block, <br> between its lines, entities escaped."""
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line) for line in b.strip().split("\n")) + "</p>" for b in blocks)


def _lines(text: str, first: int, last: int | None = None) -> str:
    return "\n".join(text.strip("\n").split("\n")[first:last]).strip()


def messages_of(name: str, text: str) -> tuple[list[dict[str, Any]], str | None]:
    """(messages oldest first, the e-mail subject) of one scenario, by its own split."""
    if name == "origin-ticket":
        return [
            {"author": "user", "minutes_ago": 980, "text": _lines(text, 4)},
            {"author": "bot", "name": "Operator", "minutes_ago": 979, "text": _lines(text, 1, 2)},
            {"author": "admin", "name": "Mark Carpenter", "minutes_ago": 962, "part_type": "note", "text": MARK},
            {"author": "admin", "name": "Jon Nolen", "minutes_ago": 955, "part_type": "note", "text": JON},
        ], None
    if name == "caller-id-608-redress":  # an e-mail: the header lines are the subject and the source's metadata
        return [{"author": "user", "minutes_ago": 400, "text": _lines(text, 4)}], "Calls failing since yesterday??"
    if name == "disconnected-number":  # a ticket system's name/date header and footer are not the message
        return [{"author": "user", "minutes_ago": 300, "text": _lines(text, 3, 5)}], None
    if name == "carrier-outage-503":
        return [
            {"author": "user", "minutes_ago": 60, "text": _lines(text, 1, 2)},
            {"author": "bot", "name": "Support Bot", "minutes_ago": 59, "text": _lines(text, 4, 5)},
            {"author": "user", "minutes_ago": 12, "text": _lines(text, 7, 8)},
        ], None
    return [{"author": "user", "minutes_ago": 90, "text": text.strip()}], None


def conversation_file(index: int, scenario: Any) -> dict[str, Any]:
    name = scenario.name
    messages, subject = messages_of(name, scenario.conversation or "")
    first, _, last = (scenario.customer_name or "Customer").partition(" ")
    slug = "".join(c for c in f"{first}.{last}".lower() if c.isalnum() or c == ".")
    contact: dict[str, Any] = {
        "id": f"65a0c0ffee0000000000{index:04d}",
        "name": scenario.customer_name,
        "email": f"{slug}@example.com",
        "phone": f"+1 720 555 {170 + index:04d}",  # the customer's own cell: never the dialer's caller ID
        "custom_attributes": {CALLER_ID_ATTRIBUTE: scenario.caller_id, "plan": "Investor Pro"},
    }
    if name == "no-calls-found":  # a contact whose team never filled the caller-ID attribute
        contact["custom_attributes"] = {"plan": "Starter"}
    if name == "caller-id-608-redress":  # the conversation still names the contact that was merged away
        contact["merged_from"] = f"65a0c0ffee00000000001{index:03d}"
    company = {"id": f"65a0c0ffee00000000c0{index:04d}", "name": f"{last or first} Home Buyers",
               "custom_attributes": {SUBACCOUNT_ATTRIBUTE: SUBACCOUNT if name == "spam-label-low-answer" else None}}
    out: dict[str, Any] = {
        "scenario": name,
        "conversation_id": ORIGIN_ID if name == "origin-ticket" else f"2154691084{index:05d}",
        "workspace": ORIGIN_WORKSPACE,
        "subject": subject,
        "contact": contact,
        "company": company,
        "messages": [{**{k: v for k, v in m.items() if k != "text"}, "body": body(m["text"])} for m in messages],
    }
    return out


def subaccount_conversation(index: int, scenario: Any) -> dict[str, Any]:
    """The origin ticket again, from a team that keeps no caller ID on the contact, only the Twilio sub-account its
    dialer calls from (on the company): the lookup reads the sub-account's calls (docs/inbox.md)."""
    out = conversation_file(index, scenario)
    out["conversation_id"] = SUBACCOUNT_CONVERSATION_ID
    out["contact"] = {**out["contact"], "id": "65a0c0ffee00000000000901",
                      "custom_attributes": {"plan": "Investor Pro"}}
    out["company"] = {**out["company"], "id": "65a0c0ffee00000000c00901",
                      "custom_attributes": {SUBACCOUNT_ATTRIBUTE: SUBACCOUNT}}
    return out


HEADER = (
    "# Generated by tests/inbox_conversations.py from resources/scenarios/{file} (do not edit by hand: change\n"
    "# the scenario or the generator, then run it). The Intercom conversation and contact the demo inbox serves.\n"
)


def expected_files() -> dict[str, str]:
    from sipsight.core.scenarios import load_scenarios

    files: dict[str, str] = {}
    scenarios = load_scenarios(include_user=False).scenarios
    for index, scenario in enumerate(scenarios, start=1):
        data = conversation_file(index, scenario)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        files[f"{scenario.name}.yaml"] = HEADER.format(file=f"{scenario.name}.yaml") + text
        if scenario.name == "origin-ticket":  # a second conversation of a scenario: <scenario>--<what>.yaml
            text = yaml.safe_dump(subaccount_conversation(index, scenario), sort_keys=False, allow_unicode=True,
                                  width=100)
            files[f"{scenario.name}--subaccount.yaml"] = HEADER.format(file=f"{scenario.name}.yaml") + text
    return files


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in expected_files().items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(expected_files())} files to {OUT}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
