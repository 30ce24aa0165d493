"""Text as the panel shows it: a phone number is never broken over two lines.

Qt wraps a label at spaces and after hyphens, so "+1 303-555-0199" could end one line at "+1 303-" and start the
next with "555-0199". `keep_numbers_whole` joins a number's parts with no-break spaces (U+00A0) and no-break
hyphens (U+2011), so it wraps as one word; masked numbers ("+1 303 •••-••99") too. Only what is shown is
changed: what is copied (replies, notes, CSV) keeps the plain characters.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"
# A phone number as SIPSight and people write it: an optional +, digits or mask bullets, with spaces, dots,
# hyphens and brackets between them, at least 7 digits or bullets in all.
_NUMBER = re.compile(r"(?<![\w•])\+?\(?[\d•](?:[\d•]|[ .\-()]{1,2}(?=[\d•(])){6,}(?![\w•])")


def keep_numbers_whole(text: str) -> str:
    """`text` with each phone number's spaces and hyphens made non-breaking."""
    return _NUMBER.sub(lambda m: m.group(0).replace(" ", NBSP).replace("-", NB_HYPHEN), text)
