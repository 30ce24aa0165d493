"""The demo inbox's conversations (resources/inbox/conversations/) are what tests/inbox_conversations.py makes from
the scenarios, every built-in scenario has one, the customer's messages are the scenario's own words, and the inbox
reads each back to the scenario's destination and caller ID."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import inbox_conversations
from sipsight.core.intake import parse
from sipsight.core.models import AuthorKind
from sipsight.core.scenarios import load_scenarios
from sipsight.inbox.case import build_case
from sipsight.inbox.html import html_to_text
from sipsight.inbox.transcript import read_conversation
from sipsight.simulator.intercom import shapes
from sipsight.simulator.intercom.workspace import Workspace, conversation_files

SCENARIOS = load_scenarios(include_user=False).scenarios
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_the_files_are_what_the_generator_makes() -> None:
    expected = inbox_conversations.expected_files()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in inbox_conversations.OUT.glob("*.yaml")}
    assert on_disk == expected, "run: python tests/inbox_conversations.py"
    assert set(conversation_files()) == {s.name for s in SCENARIOS}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_each_conversation_reads_back_to_its_scenario(scenario) -> None:
    space = Workspace.load(NOW, include_user=False)
    data = conversation_files()[scenario.name]
    read = read_conversation(shapes.conversation(space, data))
    customer = [m for m in read.messages if m.author is AuthorKind.CUSTOMER]
    flat = " ".join((scenario.conversation or "").split())
    assert customer and all(" ".join(m.text.split()) in flat for m in customer)
    case = build_case(read.messages, now=NOW)
    pasted = parse(scenario.conversation or "", now=NOW)
    if pasted.destination is not None and pasted.destination.e164 == scenario.destination:
        assert case.destination is not None and case.destination.e164 == scenario.destination
    assert data.contact.custom_attributes.get("dialer_caller_id") in (scenario.caller_id, None)
    assert data.contact.phone and data.contact.phone.replace(" ", "") != scenario.caller_id  # a personal cell


def test_the_origin_ticket_is_under_its_own_links_id_with_its_teammates_notes() -> None:
    data = conversation_files()["origin-ticket"]
    assert data.conversation_id == "215469108439785" and data.workspace == "ql8el0gn"
    notes = [m for m in data.messages if m.part_type == "note"]
    assert [m.name for m in notes] == ["Mark Carpenter", "Jon Nolen"]
    assert "blocked you" in html_to_text(notes[1].body)
