"""The Vonage Voice API's credential: a JWT signed with the application's private key (RS256).

Vonage gives each application an RSA key pair; the dashboard keeps the public key and the customer downloads the
private one (PEM text, PKCS#8 "BEGIN PRIVATE KEY"). Every Voice API request carries `Authorization: Bearer <JWT>`
whose claims are the application id, `iat`, `exp` and a unique `jti` (Vonage's own SDKs sign the same four claims).
SIPSight signs a fresh token for each request, valid a few minutes, so a token that leaks from a log or a proxy is
soon worthless and a long lookup never runs into an expired one.

The JWT is built here with `cryptography` (RSASSA-PKCS1-v1_5 over SHA-256), no JWT library: three base64url parts
and one signature are all Vonage asks for.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from sipsight.providers.errors import NotConfigured

TOKEN_TTL_S = 300  # how long one signed token is valid; each request gets a new one
_APP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")  # Vonage application ids are UUIDs
_HINT = (
    "Paste the private key of the Vonage application (the private.key file the dashboard downloaded, from "
    "-----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----) and its application ID into the profile."
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _segment(value: Mapping[str, object]) -> str:
    return _b64url(json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    """The application's RSA private key from its PEM text; NotConfigured (naming no part of the key) otherwise.

    Keys pasted through an environment variable or a one-line field often arrive with literal "\\n" instead of
    line breaks; those are read as line breaks."""
    text = (pem or "").strip()
    if "\n" not in text and "\\n" in text:
        text = text.replace("\\n", "\n")
    if "-----BEGIN" not in text:
        raise NotConfigured("The Vonage private key is missing or is not PEM text.", _HINT)
    try:
        key = serialization.load_pem_private_key(text.encode("utf-8"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # TypeError: the key is encrypted with a passphrase; ValueError: damaged or not a key at all
        raise NotConfigured(
            "The Vonage private key could not be read (damaged, incomplete, or protected by a passphrase).", _HINT
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise NotConfigured("The Vonage private key is not an RSA key; Vonage applications use RSA keys.", _HINT)
    return key


def check_application_id(application_id: str) -> str:
    value = (application_id or "").strip()
    if not _APP_ID.match(value):
        raise NotConfigured("The Vonage application ID is missing or malformed.", _HINT)
    return value


def application_jwt(
    application_id: str,
    key: rsa.RSAPrivateKey,
    *,
    now: float,
    ttl_s: int = TOKEN_TTL_S,
    jti: str | None = None,
) -> str:
    """An RS256 JWT for `application_id`: claims application_id, iat, exp (iat + ttl_s) and jti."""
    iat = int(now)
    header = {"alg": "RS256", "typ": "JWT"}
    claims = {"application_id": application_id, "iat": iat, "exp": iat + ttl_s, "jti": jti or str(uuid.uuid4())}
    signing_input = f"{_segment(header)}.{_segment(claims)}"
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64url(signature)}"


class ApplicationKey:
    """A Vonage application's id and private key, checked once; `token()` signs a fresh JWT each time it is called
    (it is the callable of `BearerAuth`). Never prints the key: its repr names the application only."""

    def __init__(
        self, application_id: str, private_key_pem: str, *, wall_clock: Callable[[], float] = time.time
    ) -> None:
        self.application_id = check_application_id(application_id)
        self._key = load_private_key(private_key_pem)
        self._wall_clock = wall_clock  # tokens carry real (wall) time: Vonage checks iat and exp against its own

    def token(self) -> str:
        return application_jwt(self.application_id, self._key, now=self._wall_clock())

    def __repr__(self) -> str:
        return f"ApplicationKey(application_id={self.application_id!r})"
