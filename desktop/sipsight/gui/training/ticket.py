"""Step 1's text: what the customer wrote, not what else arrived with it.

A pasted conversation often opens with the company's own auto-reply ("This is an Auto Reply ... out of the
office"), and may hold agents' notes, a bot's menu or an article. Step 1 shows the customer's own messages, read by
intake's authorship (`Case.parts`, `MessagePart.by_customer`), and says in one line what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass

LEFT_OUT_WORDS = {
    "auto_reply": ("the company's auto-reply", "auto-replies"),
    "agent": ("an agent's message", "agents' messages"),
    "bot": ("a bot's message", "bot messages"),
    "article": ("a pasted article", "pasted articles"),
}


@dataclass(frozen=True)
class Ticket:
    messages: list[str]  # the customer's messages, in order
    left_out: str  # "Left out: the company's auto-reply." or ""


def customer_ticket(conversation: str, region: str = "US") -> Ticket:
    """The customer's messages of `conversation` (all of it when intake finds no one else's)."""
    from sipsight.core.intake import parse

    text = conversation.strip()
    case = parse(text, region=region)
    if not case.parts or case.text_length != len(text):  # no authorship read, or offsets into a repaired text
        return Ticket([text], "")
    mine = [text[p.start : p.end].strip() for p in case.parts if p.by_customer]
    mine = [m for m in mine if m]
    if not mine:
        return Ticket([text], "")
    counts: dict[str, int] = {}
    for part in case.parts:
        kind = str(part.written_by if part.author in ("quoted", "signature") else part.author)
        if not part.by_customer and kind in LEFT_OUT_WORDS:
            counts[kind] = counts.get(kind, 0) + 1
    words = [LEFT_OUT_WORDS[k][0] if n == 1 else f"{n} {LEFT_OUT_WORDS[k][1]}" for k, n in counts.items()]
    return Ticket(mine, f"Left out: {', '.join(words)}." if words else "")
