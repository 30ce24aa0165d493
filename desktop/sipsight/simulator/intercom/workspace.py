"""The demo Intercom workspace: the conversations and contacts of every built-in scenario
(resources/inbox/conversations/), anchored to the simulator's `now`, and the notes it receives.

A scenario of the trainer's own folder has no conversation file: it is served as one customer message holding the
scenario's conversation text. The shapes are built to the official Intercom OpenAPI 2.16 schemas (shapes.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sipsight.core import resources
from sipsight.core.errors import SipsightError
from sipsight.core.scenarios import load_scenarios
from sipsight.core.yaml_models import validate_model

FOLDER = ("inbox", "conversations")
WORKSPACE = "ql8el0gn"  # the workspace segment of the origin ticket's link
DEMO_ADMIN = {"id": "991267459", "name": "SIPSight Demo", "email": "sipsight.demo@example.com"}
TEAMMATES = {  # the teammates and bots who wrote in the conversations, by name
    "Mark Carpenter": "991267401",
    "Jon Nolen": "991267402",
    "Operator": "991267400",
    "Support Bot": "991267403",
}


class ConversationDataError(SipsightError):
    """A conversation file failed validation."""


class _Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[0-9a-f]{24}$")
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    custom_attributes: dict[str, Any] = Field(default_factory=dict)
    merged_from: str | None = None  # an older id the conversation still names: 410 Gone, Link to this one


class _Company(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    custom_attributes: dict[str, Any] = Field(default_factory=dict)


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    author: str  # user, admin, bot
    name: str | None = None
    minutes_ago: int = Field(ge=0)
    part_type: str = "comment"
    body: str


class ConversationFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str
    conversation_id: str = Field(pattern=r"^\d{1,30}$")
    workspace: str = WORKSPACE
    subject: str | None = None
    contact: _Contact
    company: _Company | None = None
    messages: list[_Message] = Field(min_length=1)


def conversation_files(*, more: bool = False) -> dict[str, ConversationFile]:
    """scenario name -> its conversation file (<scenario>.yaml), validated; `more`: file name -> a scenario's other
    conversations (<scenario>--<what>.yaml, e.g. the origin ticket's contact that names only a sub-account)."""
    files: dict[str, ConversationFile] = {}
    for entry in resources.list_dir(*FOLDER):
        if ("--" in entry.name) != more:
            continue
        where = f"resources/{'/'.join(FOLDER)}/{entry.name}"
        data = validate_model(ConversationFile, resources.load_yaml(*FOLDER, entry.name), where,
                              ConversationDataError, "Regenerate it: python tests/inbox_conversations.py")
        files[entry.name if more else data.scenario] = data
    return files


def _fallback(index: int, name: str, text: str, customer: str | None, caller_id: str) -> ConversationFile:
    import html

    return ConversationFile(
        scenario=name,
        conversation_id=f"9{index:014d}",
        contact=_Contact(id=f"65a0c0ffee0000000009{index:04d}", name=customer,
                         custom_attributes={"dialer_caller_id": caller_id}),
        messages=[_Message(author="user", minutes_ago=60,
                           body="<p>" + "<br>".join(html.escape(x) for x in text.strip().split("\n")) + "</p>")],
    )


@dataclass
class ReceivedNote:
    """A note (or any reply) the simulator was sent: what a test reads back."""

    conversation_id: str
    part: dict[str, Any]
    request: dict[str, Any]


@dataclass
class Workspace:
    """Every conversation, contact and company of the demo workspace at `now`, and the parts posted since."""

    now: datetime
    conversations: dict[str, ConversationFile] = field(default_factory=dict)
    scenario_of: dict[str, str] = field(default_factory=dict)  # conversation id -> scenario name
    received: list[ReceivedNote] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next_part: int = 1

    @classmethod
    def load(cls, now: datetime | None = None, include_user: bool = True) -> Workspace:
        space = cls(now=(now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0))
        files = conversation_files()
        library = load_scenarios(include_user=include_user)
        for index, scenario in enumerate(library.scenarios, start=1):
            data = files.get(scenario.name) or _fallback(index, scenario.name, scenario.conversation or "",
                                                         scenario.customer_name, scenario.caller_id)
            space.conversations[data.conversation_id] = data
            space.scenario_of[data.conversation_id] = scenario.name
        names = {s.name for s in library.scenarios}
        for data in conversation_files(more=True).values():  # after each scenario's own: `link(scenario)` finds that
            if data.scenario in names:
                space.conversations[data.conversation_id] = data
                space.scenario_of[data.conversation_id] = data.scenario
        return space

    def at(self, minutes_ago: int) -> int:
        return int((self.now - timedelta(minutes=minutes_ago)).timestamp())

    def contact(self, contact_id: str) -> tuple[ConversationFile | None, str | None]:
        """(the conversation file holding the contact, the id it was merged into when `contact_id` is an old one)."""
        for data in self.conversations.values():
            if data.contact.id == contact_id:
                return data, None
            if data.contact.merged_from == contact_id:
                return data, data.contact.id
        return None, None

    def posted(self, conversation_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [n.part for n in self.received if n.conversation_id == conversation_id]

    def receive(self, conversation_id: str, part: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            part["id"] = str(900000000 + self._next_part)
            self._next_part += 1
            self.received.append(ReceivedNote(conversation_id, part, request))
        return part
