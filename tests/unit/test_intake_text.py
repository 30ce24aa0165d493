"""Decoding pasted bytes: a UTF-16 paste is text, not binary data."""

from __future__ import annotations

import codecs

from sipsight.core.intake import parse


def test_utf16_paste_is_text_not_binary() -> None:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        case = parse(bom + "Calling (303) 555-0199 goes straight to voicemail".encode(codec))
        assert [n.e164 for n in case.numbers] == ["+13035550199"]
        assert not any("binary" in m for m in case.messages)


def test_real_binary_still_says_so() -> None:
    case = parse(bytes(range(256)) * 20)
    assert any("binary" in m for m in case.messages)
