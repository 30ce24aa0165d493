"""Conversation links: which support inbox a pasted URL belongs to, and the conversation it points to."""

from __future__ import annotations

from urllib.parse import urlsplit

from sipsight.core.intake._vocab import Vocabulary
from sipsight.core.models import ConversationLink

MAX_LINKS = 20
Spans = list[tuple[int, int]]




def parse_link(url: str, vocab: Vocabulary) -> ConversationLink:
    full = url if "://" in url else "https://" + url
    try:
        parts = urlsplit(full)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ConversationLink(url=url, platform="unknown")
    for spec, hosts, path in vocab.links:
        host_match = next((m for m in (h.match(host) for h in hosts) if m), None)
        if host_match is None:
            continue
        id_match = path.search(parts.path)
        api_host = spec.api_hosts.get(host)
        if api_host is None and spec.api_host:
            api_host = spec.api_host.format(**host_match.groupdict())
        return ConversationLink(url=url, platform=spec.platform, api_host=api_host,
                                conversation_id=id_match.group("id") if id_match else None)
    return ConversationLink(url=url, platform="unknown")


def find_links(text: str, url_spans: Spans, vocab: Vocabulary, *, keep_unknown: bool = False) -> list[ConversationLink]:
    """Support-inbox links in the text; other URLs (a pricing page, a screenshot) only when asked."""
    links: dict[str, ConversationLink] = {}
    for start, end in url_spans:
        url = text[start:end]
        if url in links:
            continue
        link = parse_link(url, vocab)
        if link.platform != "unknown" or keep_unknown:
            links[url] = link
        if len(links) >= MAX_LINKS:
            break
    return list(links.values())
