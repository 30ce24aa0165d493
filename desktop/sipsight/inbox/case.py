"""An Intercom conversation's messages -> the intake `Case`, with authorship exact: the parts are the API's messages
with the API's authors, never read back from text.

Intake reads the customer's own messages (joined, in order), so every number, symptom, code, time hint and prior
contact it finds is the customer's own; each mention then points at the message it is written in. A teammate's, a
bot's or an auto-reply's words are read on their own, and what they name (a symptom, a code) is kept as mentioned by
them (`by_customer` False: "the seller may have blocked you" in an agent's note is no symptom the customer reported).
The transcript (`transcript_text`) is the conversation as text, one header line per message; the parts' offsets
point into it."""

from __future__ import annotations

from datetime import UTC, datetime

from sipsight.core.intake import parse
from sipsight.core.models import AuthorKind, Case, InputKind, MessagePart
from sipsight.inbox.models import InboxMessage

MAX_CUSTOMER_CHARS = 100_000  # below intake's repeated-line pass: the text intake reads is the text given
_LABELS = {
    AuthorKind.CUSTOMER: "customer",
    AuthorKind.AGENT: "teammate",
    AuthorKind.BOT: "bot",
    AuthorKind.AUTO_REPLY: "auto-reply",
}
# intake's own words for a paste without the number: an Intercom conversation says it otherwise
_REWORDED = {
    "No phone number found": "The customer's messages name no phone number: the number they were calling comes "
    "from the call data (a caller-first lookup) or from the agent.",
    "None of the numbers found is the one": "None of the numbers in the customer's messages is the one they were "
    "calling.",
}


def header(message: InboxMessage) -> str:
    """The line that opens a message in the transcript: name, role and time."""
    who = message.name or _LABELS.get(message.author, "someone")
    role = "internal note" if message.note else _LABELS.get(message.author, str(message.author))
    when = f" · {message.created_at:%Y-%m-%d %H:%M} UTC" if message.created_at else ""
    return f"{who} ({role}){when}"


def transcript_text(messages: list[InboxMessage]) -> tuple[str, list[MessagePart]]:
    """The conversation as text and one MessagePart per message, its offsets on the message's own words."""
    chunks: list[str] = []
    parts: list[MessagePart] = []
    at = 0
    for index, message in enumerate(messages):
        head = header(message) + "\n"
        start = at + len(head)
        end = start + len(message.text)
        parts.append(MessagePart(index=index, author=message.author, written_by=message.author, name=message.name,
                                 start=start, end=end, note=message.note))
        chunk = head + message.text + "\n\n"
        chunks.append(chunk)
        at += len(chunk)
    return "".join(chunks), parts


def _locate(raw: str, customer: list[int], messages: list[InboxMessage]) -> int | None:
    """The index of the first customer message that holds `raw` (a mention as written)."""
    for index in customer:
        if raw and raw in messages[index].text:
            return index
    return customer[0] if customer else None


def build_case(messages: list[InboxMessage], *, region: str = "US", now: datetime | None = None,
               customer_name: str | None = None) -> Case:
    """The Case of a conversation: intake on the customer's own messages, the others' mentions kept apart."""
    now = now or datetime.now(UTC)
    text, parts = transcript_text(messages)
    customer = [i for i, m in enumerate(messages) if m.author is AuthorKind.CUSTOMER]
    said = "\n\n".join(messages[i].text for i in customer)[:MAX_CUSTOMER_CHARS]
    # a time hint ("since yesterday") counts from when the customer wrote it, then from now
    times = [t for t in (messages[i].created_at for i in customer) if t is not None]
    written = max(times) if times else None
    own = parse(said, region=region, now=written or now) if said.strip() else Case(kind=InputKind.EMPTY)
    for number in own.numbers:
        number.message = _locate(number.raw, customer, messages)
        number.author = AuthorKind.CUSTOMER if number.message is not None else number.author
        for evidence in number.role_evidence:
            evidence.message = number.message if evidence.message is not None else None
            evidence.author = AuthorKind.CUSTOMER if evidence.message is not None else evidence.author
    for symptom in own.symptoms:
        symptom.message = _locate(symptom.raw, customer, messages)
    for code in own.codes:
        code.message = _locate(code.raw, customer, messages)
    if written is not None:
        shift = max(0.0, (now - written).total_seconds() / 3600)
        for hint in own.time_hints:
            hint.hours_ago = None if hint.hours_ago is None else round(hint.hours_ago + shift, 2)
    symptoms, codes = list(own.symptoms), list(own.codes)
    for index, message in enumerate(messages):
        if message.author is AuthorKind.CUSTOMER or not message.text.strip():
            continue
        theirs = parse(message.text[:MAX_CUSTOMER_CHARS], region=region, now=message.created_at or now)
        for symptom in theirs.symptoms:
            symptoms.append(symptom.model_copy(update={"message": index, "author": message.author,
                                                       "by_customer": False}))
        for code in theirs.codes:
            codes.append(code.model_copy(update={"message": index, "author": message.author, "by_customer": False}))
    notes = [_reworded(m) for m in own.messages] if said.strip() else [
        "The customer has written nothing in this conversation yet."]
    return own.model_copy(update={
        "kind": InputKind.CONVERSATION,
        "text_length": len(text),
        "parts": parts,
        "customer": customer_name or next((messages[i].name for i in customer if messages[i].name), None),
        "symptoms": symptoms,
        "codes": codes,
        "messages": list(dict.fromkeys(notes)),
    })


def _reworded(message: str) -> str:
    return next((new for start, new in _REWORDED.items() if message.startswith(start)), message)
