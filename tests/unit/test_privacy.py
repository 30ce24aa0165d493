"""Masking (core/privacy.py), property-tested both ways: phone numbers in any usual notation are masked; dates,
times, API paths, SIDs, UUIDs and IP addresses around them are left as they are, so a log line or an error message
still says which request failed and when."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sipsight.core.privacy import mask_text

AREA = st.sampled_from(["303", "720", "212", "415", "876", "604"])
LINE = st.integers(100, 199).map(lambda n: f"{n:04d}")


@st.composite
def nanp(draw: st.DrawFn) -> tuple[str, str]:
    """(written form, its 10 national digits) in the notations agents and logs use."""
    area, line = draw(AREA), draw(LINE)
    digits = f"{area}555{line}"
    form = draw(
        st.sampled_from(
            [
                f"+1{digits}", f"+1 {area} 555 {line}", f"({area}) 555-{line}", f"{area}-555-{line}",
                f"{area}.555.{line}", f"1-{area}-555-{line}", f"tel:+1{digits}", f"%2B1{digits}", digits,
                f"+1 ({area}) 555-{line}",
            ]
        )
    )  # fmt: skip
    return form, digits


@st.composite
def international(draw: st.DrawFn) -> tuple[str, str]:
    cc = draw(st.sampled_from(["44", "49", "33", "61", "91"]))
    rest = draw(st.text(alphabet="0123456789", min_size=8, max_size=10))
    form = draw(st.sampled_from([f"+{cc}{rest}", f"+{cc} {rest[:4]} {rest[4:]}", f"00{cc} {rest}"]))
    return form, cc + rest


WORDS = st.sampled_from(["call to", "From=", "number", "(", "/v2/PhoneNumbers/", "To=", ":", "and", "\n", "- "])


@given(st.one_of(nanp(), international()), WORDS, WORDS)
def test_phone_numbers_are_masked_in_any_notation(number: tuple[str, str], before: str, after: str) -> None:
    written, digits = number
    masked = mask_text(f"{before} {written} {after}")
    only_digits = re.sub(r"\D", "", masked)
    assert digits not in only_digits, masked
    assert digits[-4:] in masked  # the last four digits stay, so an agent can tell numbers apart


INSTANT = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC))
SID = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)


@st.composite
def not_numbers(draw: st.DrawFn) -> str:
    when = draw(INSTANT)
    sid = draw(SID)
    octets = draw(st.lists(st.integers(0, 255), min_size=4, max_size=4))
    return draw(
        st.sampled_from(
            [
                f"/2010-04-01/Accounts/AC{sid}/Calls/CA{sid}.json",
                when.strftime("%Y-%m-%d"),
                when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                when.strftime("%Y-%m-%d %H:%M:%S"),
                when.isoformat(),
                when.strftime("%H:%M:%S"),
                f"StartTime>={when:%Y-%m-%d}",
                f"{'.'.join(map(str, octets))}:{draw(st.integers(1, 65535))}",
                "-".join([sid[:8], sid[8:12], sid[12:16], sid[16:20], sid[20:32]]),
                f"SK{sid}",
                f"/v1/Voice/CA{sid}/Summary",
            ]
        )
    )


@given(not_numbers(), WORDS)
def test_paths_dates_times_sids_and_addresses_are_not_masked(text: str, before: str) -> None:
    line = f"{before} {text} in 120 ms"
    assert mask_text(line) == line


def test_an_error_message_keeps_its_path_and_masks_its_number() -> None:
    message = (
        "GET api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Calls.json?To=%2B13035550199"
        "&StartTime>=2026-11-20 failed at 2026-11-24 06:00:00 from 127.0.0.1:8099"
    )
    masked = mask_text(message)
    assert "/2010-04-01/" in masked and "2026-11-20" in masked and "2026-11-24 06:00:00" in masked
    assert "127.0.0.1:8099" in masked and "13035550199" not in masked and "0199" in masked


def test_secrets_are_redacted() -> None:
    assert "hunter2" not in mask_text("auth_token=hunter2 and Authorization: Basic dXNlcjpodW50ZXIy")
    assert "dXNlcjpodW50ZXIy" not in mask_text("Authorization: Basic dXNlcjpodW50ZXIy")
    assert mask_text(str(timedelta(seconds=5))) == "0:00:05"
