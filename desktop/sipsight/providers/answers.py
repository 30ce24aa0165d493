"""What an HTTP answer from a provider means: its JSON body, read with guards (size, nesting depth, NaN), its error
status as a typed error in the provider's words, and a TLS failure in words an agent can act on. The HTTP layer
(http.py) sends and retries; this reads what came back."""

from __future__ import annotations

import json
import re
import ssl
from typing import Any
from urllib.parse import urlsplit

import httpx

from sipsight.core.knowledge import provider_info, provider_names
from sipsight.core.privacy import mask_text
from sipsight.providers.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    TlsFailed,
)

# Provider bodies nest 4-5 levels deep. A deeper one is refused before parsing: json's recursion would otherwise
# end in a RecursionError (100,000 levels), and a few hundred levels would still reach code that walks the body.
MAX_JSON_DEPTH = 64
MAX_BODY_BYTES = 64 * 1024 * 1024  # a 1000-call page is about 1.5 MB
_JSON_ESCAPE = re.compile(rb"\\.", re.DOTALL)  # a backslash escape inside a JSON string
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')  # deleted in one C-speed pass


def tls_failure(exc: BaseException) -> str | None:
    """The TLS reason ('CERTIFICATE_VERIFY_FAILED', 'WRONG_VERSION_NUMBER', ...) when `exc` is a TLS failure."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            reason = getattr(current, "reason", None) or getattr(current, "verify_message", None)
            return str(reason or type(current).__name__)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    match = re.search(r"\[SSL: ([A-Z_]+)\]", str(exc))
    return match.group(1) if match else None


def tls_error(url: str, reason: str, *, label: str, provider: str, override: str | None) -> TlsFailed:
    """A TLS failure in the agent's words: which of the two it was, and what to check."""
    host = urlsplit(url).netloc
    where = override or host
    if "WRONG_VERSION_NUMBER" in reason or "RECORD_LAYER" in reason or "UNEXPECTED_EOF" in reason.upper():
        return TlsFailed(
            f"Could not make a secure (TLS) connection to {label} ({host}): the server there does not "
            f"answer HTTPS ({reason}).",
            f"Check the scheme of the address ({where}): a local simulator or proxy speaks plain http://, "
            "a provider speaks https://. A proxy or antivirus that intercepts HTTPS can also cause this.",
            provider=provider,
        )
    if "CERTIFICATE" in reason.upper():
        return TlsFailed(
            f"Could not make a secure (TLS) connection to {label} ({host}): its certificate is not trusted ({reason}).",
            "A proxy, firewall or antivirus on this network is probably intercepting HTTPS: ask IT to exempt "
            f"{urlsplit(url).hostname} from inspection, or to give you its certificate (SSL_CERT_FILE). "
            "SIPSight never turns certificate checks off.",
            provider=provider,
        )
    return TlsFailed(
        f"Could not make a secure (TLS) connection to {label} ({host}): {reason}.",
        f"Check the address's scheme ({where}), and whether a proxy or antivirus intercepts HTTPS on this network.",
        provider=provider,
    )


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than `limit`, checked before parsing: escapes dropped, then
    everything but brackets and quotes (bytes.translate), then the strings; what is left is the nesting."""
    if body.count(b"[") + body.count(b"{") <= limit:  # the common case: too few brackets to be that deep
        return False
    if b"\\" in body:
        body = _JSON_ESCAPE.sub(b"", body)
    # with the escapes gone, every other quote opens a string: the even pieces between quotes are outside strings
    brackets = b"".join(body.translate(None, _NOT_STRUCTURE).split(b'"')[::2])
    depth = 0
    for byte in brackets:
        depth += 1 if byte in (0x5B, 0x7B) else -1
        if depth > limit:
            return True
    return False


def _no_constant(name: str) -> None:
    return None


def read_json(response: httpx.Response, what: str, *, label: str, provider: str) -> Any:
    """The JSON body of a successful answer; BadResponse for an empty, huge, too deep, cut-off or non-JSON one."""
    if not response.content.strip():
        raise BadResponse(f"{label} sent an empty {what} response (HTTP {response.status_code}).", provider=provider)
    if len(response.content) > MAX_BODY_BYTES:
        raise BadResponse(
            f"{label} sent a {what} response of {len(response.content) // (1024 * 1024)} MB, "
            "far more than a page holds.",
            provider=provider,
        )
    if json_too_deep(response.content):
        raise BadResponse(
            f"{label} sent a {what} response nested deeper than {MAX_JSON_DEPTH} levels; it was not read.",
            provider=provider,
        )
    try:
        # NaN and Infinity are not JSON: a field holding one cannot be read (None), like any odd value
        return json.loads(response.content, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated"):  # valid, then it stops
            raise BadResponse(
                f"{label} sent an incomplete {what} response (it was cut off).", provider=provider
            ) from None
        raise BadResponse(f"{label} sent a {what} response that is not valid JSON.", provider=provider) from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadResponse(f"{label} sent a {what} response that is not valid JSON.", provider=provider) from None


def status_error(response: httpx.Response, what: str, *, label: str, provider: str) -> ProviderError:
    """An error status as the typed error of its kind, with the provider's own code and message when it sent them."""
    status = response.status_code
    code: int | None = None
    detail = ""
    body: Any = None
    if len(response.content) <= MAX_BODY_BYTES and not json_too_deep(response.content):
        try:
            body = json.loads(response.content, parse_constant=_no_constant)
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = None
    if isinstance(body, dict):
        raw_code = body.get("code")
        code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
        text = body.get("message") or body.get("detail")
        detail = " ".join(text.split())[:160] if isinstance(text, str) else ""
    tail = f"HTTP {status}" + (f", error {code}" if code else "") + (f": {mask_text(detail)}" if detail else "")
    kind: type[ProviderError] = BadResponse
    hint: str | None = None  # None: the provider's catalog hint for the kind
    if status == 401:
        kind, message = AuthFailed, f"{label} rejected the credentials ({tail})."
    elif status == 403:
        kind, message = AuthFailed, f"{label} refused access to the {what} ({tail})."
        if provider in provider_names():  # a 403 on something the credentials could read
            hint = provider_info(provider).hints["forbidden"]
    elif status == 404:
        kind, message = NotFound, f"{label} found no {what} ({tail})."
    elif status == 429:
        kind, message = RateLimited, f"{label} is rate-limiting requests ({tail})."
    elif status >= 500:
        kind, message = ProviderUnavailable, f"{label} is not available right now ({tail})."
    else:
        message = f"{label} did not accept the {what} request ({tail})."
    return kind(message, hint, provider=provider, status=status, code=code)
