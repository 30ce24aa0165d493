"""Intercom inbox links -> the conversation they point to: every shape of shared/reference/intercom.md §1, and
hostile or broken input refused with a clear message (never a traceback, never a request to a look-alike host)."""

from __future__ import annotations

import pytest

from sipsight.core.errors import InputError
from sipsight.core.intake import parse
from sipsight.inbox.links import api_base, parse_link

US, EU, AU = "https://api.intercom.io", "https://api.eu.intercom.io", "https://api.au.intercom.io"

SHAPES = [
    # (link, conversation id, region, workspace, part)
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/shared/all/conversation/215469108439785?view=List",
     "215469108439785", "us", "ql8el0gn", None),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/admin/991267459/conversation/215469108439785",
     "215469108439785", "us", "ql8el0gn", None),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/search/conversation/42?query=voicemail", "42", "us", "ql8el0gn",
     None),
    ("https://app.intercom.com/a/inbox/ql8el0gn/inbox/conversation/7", "7", "us", "ql8el0gn", None),
    ("https://app.intercom.io/a/apps/abc123/inbox/inbox/conversation/4242", "4242", "us", "abc123", None),
    ("https://app.intercom.io/a/apps/abc123/inbox/inbox/991267459/conversations/4242", "4242", "us", "abc123", None),
    ("https://app.intercom.io/a/apps/abc123/inbox/inbox/conversation/4242#part_id=user-message-4242-118",
     "4242", "us", "abc123", "118"),
    ("https://app.intercom.io/a/apps/abc123/inbox/inbox/conversation/4242#part_id=comment-4242-9", "4242", "us",
     "abc123", "9"),
    ("https://app.intercom.io/a/apps/abc123/inbox/inbox/conversation/4242#part_id=user-message-999-1",  # not ours
     "4242", "us", "abc123", None),
    ("https://app.eu.intercom.com/a/inbox/euws/inbox/shared/all/conversation/123456789012345", "123456789012345",
     "eu", "euws", None),
    ("https://app.au.intercom.com/a/inbox/auws/inbox/conversation/99", "99", "au", "auws", None),
    ("app.intercom.com/a/inbox/ql8el0gn/inbox/conversation/5", "5", "us", "ql8el0gn", None),  # no scheme
    ("  <https://app.intercom.com/a/inbox/x/inbox/conversation/5>.  ", "5", "us", "x", None),  # pasted in a sentence
    ("(https://APP.INTERCOM.COM/a/inbox/x/inbox/conversation/5)", "5", "us", "x", None),  # upper-case host
    ("https://app.intercom.com./a/inbox/x/inbox/conversation/5", "5", "us", "x", None),  # trailing dot on the host
    ("http://app.intercom.com/a/inbox/x/inbox/conversation/5", "5", "us", "x", None),  # an old http link
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/5/", "5", "us", "x", None),
    ("215469108439785", "215469108439785", "us", None, None),  # a bare conversation id
    ("123456789012345678901234567890", "123456789012345678901234567890", "us", None, None),  # > 2**64, still text
]


@pytest.mark.parametrize(("link", "conversation", "region", "workspace", "part"), SHAPES)
def test_every_link_shape(link: str, conversation: str, region: str, workspace: str | None, part: str | None) -> None:
    got = parse_link(link)
    assert (got.conversation_id, got.region, got.workspace_id, got.part_id) == (conversation, region, workspace, part)
    assert got.api_base == {"us": US, "eu": EU, "au": AU}[region]
    assert isinstance(got.conversation_id, str)


def test_a_bare_id_is_read_in_the_configured_region() -> None:
    assert parse_link("42", default_region="eu").api_base == EU


HOSTILE = [
    ("", "No Intercom link"),
    ("   ", "No Intercom link"),
    ("https://app.intercom.com.evil.example/a/inbox/x/inbox/conversation/5", "not an Intercom inbox link"),
    ("https://evil.example/a/inbox/x/inbox/conversation/5?next=app.intercom.com", "not an Intercom inbox link"),
    ("https://intercom.com/a/inbox/x/inbox/conversation/5", "not an Intercom inbox link"),
    ("https://api.intercom.io/conversations/5", "not an Intercom inbox link"),
    ("https://app.intercom.com@evil.example/a/inbox/x/conversation/5", "not an Intercom inbox link"),
    ("https://user:pw@app.intercom.com/a/inbox/x/inbox/conversation/5", "user name or a port"),
    ("https://app.intercom.com:8443/a/inbox/x/inbox/conversation/5", "user name or a port"),
    ("https://app.intercom.com:99999/a/inbox/x/inbox/conversation/5", "not a valid link"),
    ("javascript:alert(1)//app.intercom.com/conversation/5", "not a web link"),
    ("ftp://app.intercom.com/a/inbox/x/inbox/conversation/5", "not a web link"),
    ("https://app.intercom.com/a/inbox/x/inbox/shared/all", "not to a conversation"),
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/abc", "not to a conversation"),
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/12abc", "not to a conversation"),
    ("https://app.intercom.com/a/inbox/x/inbox/?c=conversation/5", "not to a conversation"),  # query only
    ("https://app.intercom.com/a/inbox/x/inbox/#conversation/5", "not to a conversation"),  # fragment only
    ("https://app.intercom.com/a/inbox/x/conversation/1/conversation/2", "more than one conversation"),
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/" + "9" * 31, "not to a conversation"),
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/5 https://app.intercom.com/a/inbox/x/inbox/conversation/6",
     "not one link"),
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/5\x00", "not one link"),
    ("https://app.intercom.com/a/inbox/x/inbox/conversation/5\\..\\6", "not one link"),
    ("https://app.intercom.com/" + "a" * 5000, "far shorter"),
    ("https://[::1/a/inbox/x/conversation/5", "not a valid link"),
]


@pytest.mark.parametrize(("text", "words"), HOSTILE)
def test_hostile_and_broken_links_are_refused_clearly(text: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        parse_link(text)
    assert words in info.value.message
    assert "app.intercom.com" in info.value.hint  # what a good link looks like


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(InputError):
        api_base("mars")


# intake finds links that start with a scheme, and does not take a host with a trailing dot
INTAKE_SHAPES = [row[0] for row in SHAPES if row[0].strip().startswith("http") and ".com./" not in row[0]]


@pytest.mark.parametrize("link", INTAKE_SHAPES)
def test_intake_reads_the_same_conversation_from_a_link(link: str) -> None:
    """Intake's own link reading (resources/intake/links.yaml) and the inbox's agree on the id and the API host."""
    ours = parse_link(link)
    theirs = parse(link).links
    assert theirs and theirs[0].conversation_id == ours.conversation_id
    assert f"https://{theirs[0].api_host}" == ours.api_base
