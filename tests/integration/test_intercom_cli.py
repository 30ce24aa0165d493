"""`sipsight note` and `sipsight profile intercom` end to end (in-process, the demo inbox over real HTTP)."""

from __future__ import annotations

import io
import json

import pytest

from sipsight.cli.main import main
from sipsight.simulator.intercom import server as sim_server

ORIGIN = "https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/215469108439785?view=List"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[sim_server.IntercomSimulator]:
    """Every demo Intercom simulator the command starts, to read its notes back after it stopped."""
    seen: list[sim_server.IntercomSimulator] = []
    original = sim_server.IntercomSimulator.start

    def start(self: sim_server.IntercomSimulator) -> sim_server.IntercomSimulator:
        seen.append(self)
        return original(self)

    monkeypatch.setattr(sim_server.IntercomSimulator, "start", start)
    return seen


def test_note_demo_json_prints_the_note_part_and_the_simulator_holds_it(started, capsys) -> None:
    assert main(["note", ORIGIN, "--demo", "--json", "--yes"]) == 0
    part = json.loads(capsys.readouterr().out)
    assert part["part_type"] == "note" and part["type"] == "conversation_part"
    [sim] = started
    [received] = sim.notes
    assert received.conversation_id == "215469108439785" and received.part["id"] == part["id"]
    assert received.request["message_type"] == "note"
    assert "SIPSight note sn-" in part["body"]
    # no number in the ticket: the caller-first lookup (the contact's caller ID, ranked) found the seller
    assert "+1 303-555-0199" in part["body"] and "+17205550100" in part["body"]


def test_note_with_a_destination_carries_the_lookups_internal_note(started, capsys) -> None:
    assert main(["note", "215469108400002", "--demo", "--json", "--yes"]) == 0
    body = json.loads(capsys.readouterr().out)["body"]
    assert "Destination +13035550199" in body and "caller ID +17205550100" in body


def test_note_asks_and_posts_nothing_without_a_yes(started, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    assert main(["note", ORIGIN, "--demo"]) == 1
    err = capsys.readouterr().err
    assert "Post it as an internal note" in err and "nothing was posted" in err
    assert started[0].notes == []


def test_note_without_a_terminal_or_yes_is_a_clear_error(started, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["note", ORIGIN, "--demo"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert started[0].notes == []


def test_note_edited_text_and_a_bad_link(tmp_path, started, capsys) -> None:
    edited = tmp_path / "note.txt"
    edited.write_text("My own words about this case.\n", encoding="utf-8")
    assert main(["note", ORIGIN, "--demo", "--yes", "--text", str(edited)]) == 0
    assert "Posted SIPSight note sn-" in capsys.readouterr().out
    assert started[0].notes[0].part["body"].startswith("<p>My own words about this case.</p>")
    assert main(["note", "https://evil.example/conversation/1", "--demo", "--yes"]) == 2
    assert "not an Intercom inbox link" in capsys.readouterr().err


def test_note_without_a_token_says_how_to_store_one(capsys) -> None:
    assert main(["note", ORIGIN, "--yes"]) == 2
    assert "profile intercom --token-stdin" in capsys.readouterr().err


def test_profile_intercom_saves_shows_and_removes(capsys, monkeypatch) -> None:
    assert main(["profile", "intercom", "--region", "eu", "--caller-id-attribute", "dialer_number",
                 "--company-caller-id-attribute", "office_line", "--subaccount-attribute", "twilio_sid",
                 "--no-contact-phone"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("tok_demo_123\n"))
    assert main(["profile", "intercom", "--token-stdin"]) == 0
    capsys.readouterr()
    assert main(["profile", "intercom", "--show"]) == 0
    shown = capsys.readouterr().out
    assert "region EU, API https://api.eu.intercom.io" in shown and "dialer_number" in shown
    assert "office_line" in shown and "twilio_sid" in shown and "not offered" in shown
    assert "tok_demo_123" not in shown
    from sipsight.settings.store import load_settings

    saved = load_settings().intercom
    assert (saved.region, saved.contact_attributes, saved.offer_contact_phone) == ("eu", ["dialer_number"], False)
    assert main(["profile", "intercom", "--remove"]) == 0
    assert load_settings().intercom.region == "us"
    assert main(["profile", "intercom", "--api-base", "http://203.0.113.5"]) == 2  # clear text off this machine


# ---------------------------------------------------------------------------------------------- lookup LINK


def test_lookup_link_demo_json_ranks_the_contacts_caller_id_to_the_seller(started, capsys) -> None:
    assert main(["lookup", ORIGIN, "--demo", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["query"]["destination"] == "+13035550199" and document["query"]["caller_id"] == "+17205550100"
    assert document["query"]["destination_source"] == "caller_ranking"
    assert document["candidates"][0]["number"] == "+13035550199" and document["diagnosis"]["headline"]
    assert document["inbox"] == {
        "conversation_id": "215469108439785",
        "link": ORIGIN,
        "contact": "Sarah Whitfield",
        "destination_source": "caller_ranking",
        "caller_id_source": "contact attribute dialer_caller_id",
        "notes": [],
    }
    [sim] = started
    assert [r.path for r in sim.requests][:1] == ["/conversations/215469108439785"] and sim.notes == []


def test_lookup_link_is_the_same_lookup_as_lookup_case(started, capsys) -> None:
    """One path: the link's document is the one lookup_case gives for the conversation's case and contact."""
    from sipsight.core.json_document import to_document
    from sipsight.core.lookup import lookup_case
    from sipsight.inbox import open_intercom
    from sipsight.inbox.lookup import diagnosis_context
    from sipsight.providers.factory import open_provider

    assert main(["lookup", ORIGIN, "--demo", "--json"]) == 0
    via_cli = json.loads(capsys.readouterr().out)
    with open_intercom(demo=True) as inbox:
        case = inbox.fetch_case(ORIGIN)
    with open_provider(demo=True, scenario="origin-ticket") as session:
        direct = to_document(lookup_case(session, case.case, contact_caller_id=case.caller_id.e164,
                                         context=diagnosis_context(case)))
    assert via_cli["query"]["destination"] == direct["query"]["destination"]
    # the demo's clock moves between the two lookups: recency (score, signals) and call times may shift a little
    stable = ("number", "attempts", "connected", "last_outcome", "change")
    assert [{k: c[k] for k in stable} for c in via_cli["candidates"]] == [
        {k: c[k] for k in stable} for c in direct["candidates"]
    ]
    assert via_cli["diagnosis"]["kind"] == direct["diagnosis"]["kind"]


def test_lookup_link_with_a_named_number_says_it_came_from_the_conversation(started, capsys) -> None:
    assert main(["lookup", "https://app.intercom.com/a/inbox/x/inbox/conversation/215469108400002", "--demo",
                 "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["query"]["destination_source"] == "given" and document["candidates"] is None
    assert document["inbox"]["destination_source"] == "conversation"
    assert document["inbox"]["caller_id_source"] == "conversation"


def test_lookup_link_text_report_and_errors(started, capsys) -> None:
    assert main(["lookup", ORIGIN, "--demo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Intercom conversation 215469108439785 with Sarah Whitfield")
    assert "Which number did they mean?" in out
    assert main(["lookup", "https://app.intercom.com/a/inbox/x/inbox/conversation/99999", "--demo"]) == 3
    assert "no such conversation" in capsys.readouterr().err
    assert main(["lookup", "https://example.com/conversation/1", "--demo"]) == 2
    assert "not an Intercom inbox link" in capsys.readouterr().err
    assert main(["lookup", ORIGIN, "--scenario", "busy-seller"]) == 2
    assert "--scenario" in capsys.readouterr().err


def test_lookup_link_without_a_token_says_how_to_store_one(capsys) -> None:
    assert main(["lookup", ORIGIN]) == 2
    assert "profile intercom --token-stdin" in capsys.readouterr().err
    # a link that is not one is said as such, not as a missing token
    assert main(["lookup", "https://example.com/a/inbox/x/inbox/conversation/1"]) == 2
    err = capsys.readouterr().err
    assert "not an Intercom inbox link" in err and "token" not in err
