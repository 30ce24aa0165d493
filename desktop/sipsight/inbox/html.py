"""An Intercom body (HTML: "<p>Okay!</p>", notes "accept some HTML formatting") -> the plain text a person reads:
paragraphs and line breaks kept, entities decoded, links as "label (url)" as Intercom's own plaintext rendering
writes them ([SPEC] retrieveConversation `display_as`), scripts and styles dropped. Never raises."""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_HTML = 1_000_000  # a body larger than this is cut before reading (a conversation part is far smaller)
_BLOCK = frozenset({"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
                    "table", "section", "article", "header", "footer"})
_SKIP = frozenset({"script", "style", "head", "title", "template"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0
        self.links: list[tuple[str, int]] = []  # (href, where its label starts in out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BLOCK:
            self.out.append("\n")
            if tag == "li":
                self.out.append("- ")
            if tag == "pre":
                self.pre += 1
        elif tag == "a":
            href = next((v for k, v in attrs if k == "href" and v), "")
            self.links.append((href.strip(), len(self.out)))
        elif tag == "img":
            alt = next((v for k, v in attrs if k == "alt" and v), "")
            self.out.append(f"[image{': ' + alt if alt else ''}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            if tag != "li":  # list items are one line each, the list a paragraph
                self.out.append("\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.out[start:]).strip()
            if href and not href.lower().startswith(("javascript:", "data:")) and href != label and href not in (
                f"mailto:{label}", f"tel:{label}"):
                self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.out.append(data if self.pre else _SPACES.sub(" ", data.replace("\n", " ")))


def html_to_text(body: str | None) -> str:
    """The text of an HTML body: one line per paragraph or <br>, entities decoded, at most one blank line in a row."""
    if not body:
        return ""
    parser = _Text()
    try:
        parser.feed(body[:MAX_HTML])
        parser.close()
    except Exception:  # html.parser is lenient; anything it still trips on is read as the raw text
        return _tidy(body[:MAX_HTML])
    return _tidy("".join(parser.out))


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
