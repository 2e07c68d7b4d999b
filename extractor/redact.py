"""Keeping secrets out of everything kpi-extract writes: the database, messages, logs and exports.

The API key and any credentials in --base-url (https://user:pass@host, ?api-key=...) are needed to
talk to the endpoint and nowhere else; what is stored or printed is the endpoint with them masked.
"""

from __future__ import annotations

import logging
import os
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


# What a secret looks like inside any message, whatever raised it: a URL's user:password, a secret-looking
# query value, an Authorization header's token, a provider key.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+(?::[^/\s@]*)?@", re.IGNORECASE)
_SECRET_QUERY = re.compile(r"(?P<name>[?&][^=&\s]*(?:key|token|secret|sig|pass|auth|cred)[^=&\s]*=)[^&\s'\"]+",
                           re.IGNORECASE)
_BEARER = re.compile(r"(?P<name>bearer\s+)[^\s'\"]{8,}", re.IGNORECASE)
_KEY_LIKE = re.compile(r"\bsk-[A-Za-z0-9_-]{8,}")
# The environment variables whose values are secrets wherever they appear.
SECRET_VARIABLES = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "KPI_API_KEY")


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Any message made fit to print, store or log: the given secrets and the environment's keys masked,
    and whatever looks like a credential (URL passwords, secret query values, bearer tokens, provider keys)."""
    text = redact(str(text), [*secrets, *(os.environ.get(name) for name in SECRET_VARIABLES)])
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    text = _SECRET_QUERY.sub(lambda m: f"{m['name']}{MASK}", text)
    text = _BEARER.sub(lambda m: f"{m['name']}{MASK}", text)
    return _KEY_LIKE.sub(MASK, text)


def error_message(exc: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """How a failure is told, from any layer and any exception type: our errors by their message, others with
    their type, always scrubbed."""
    from .errors import ExtractorError

    text = str(exc) if isinstance(exc, ExtractorError) else f"{type(exc).__name__}: {exc}"
    return scrub(text, secrets)


class ScrubbingFilter(logging.Filter):
    """A logging filter that scrubs every record's message (a library's log line may quote a request URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the record's message once, scrubbed; always let it through."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: keep its template only
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        return True


def scrub_logs(names: Iterable[str] = ("", "instructor", "openai", "httpx", "httpcore")) -> None:
    """Install the scrubbing filter on these loggers and their handlers (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, ScrubbingFilter) for f in target.filters):
                target.addFilter(ScrubbingFilter())
