"""Keeping secrets out of everything kpi-extract writes: the database, messages, logs and exports.

The API key and any credentials in --base-url (https://user:pass@host, ?api-key=...) are needed to
talk to the endpoint and nowhere else; what is stored or printed is the endpoint with them masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
_SECRET_PARAM = re.compile(r"key|token|secret|sig|pass|auth|cred", re.IGNORECASE)
_MIN_SECRET = 4  # shorter 'secrets' (a placeholder key like 'x') would mask ordinary words


def safe_url(url: str | None) -> str | None:
    """The URL with its user, password and secret-looking query values masked, fit to store or print."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a URL we can take apart: print nothing of it that could be a credential
        return MASK
    netloc = f"{MASK}@{host}{port}" if parts.username or parts.password else parts.netloc
    query = urlencode([(name, MASK if _SECRET_PARAM.search(name) else value)
                       for name, value in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def url_secrets(url: str | None) -> list[str]:
    """The credentials a URL carries (password, user, secret query values): what redact() must mask."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password or "", parts.username or ""]
    except ValueError:
        return [url]
    found += [value for name, value in parse_qsl(parts.query) if _SECRET_PARAM.search(name)]
    return [secret for secret in found if secret]


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """text with every occurrence of each secret masked (the longest first, so none leaks in part)."""
    for secret in sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
