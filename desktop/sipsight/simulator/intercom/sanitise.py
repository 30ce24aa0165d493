"""What Intercom does to a note's HTML, as the demo inbox does it: the allowed formatting stays, every other tag,
comment, script and attribute goes (an `href` stays on links), the text stays. So a test sees what survives: SIPSight's
marker is words, because an HTML comment would be gone."""

from __future__ import annotations

import html
from html.parser import HTMLParser

ALLOWED = frozenset({"p", "br", "b", "strong", "i", "em", "a", "ul", "ol", "li", "code", "pre", "h2", "h3"})
_DROP = frozenset({"script", "style", "template", "iframe", "object"})


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += 1
        elif tag in ALLOWED and not self.dropping:
            href = next((v for k, v in attrs if k == "href" and v and v.startswith(("https://", "http://"))), None)
            self.out.append(f'<a href="{html.escape(href)}">' if tag == "a" and href else f"<{tag}>")
            if tag in ("p", "br", "li"):
                self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in ALLOWED and tag != "br" and not self.dropping:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        pass  # comments never survive


def sanitise(body: str) -> str:
    """The note's HTML as the workspace keeps it."""
    parser = _Sanitiser()
    parser.feed(body)
    parser.close()
    return "".join(parser.out)


def text_of(body: str) -> str:
    """The body in plain text (`display_as=plaintext`)."""
    parser = _Sanitiser()
    parser.feed(body)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.text).strip().split("\n"))
