"""Settings + one reader -> the headers mail providers require of bulk mail: List-Id (RFC 2919),
List-Unsubscribe (RFC 2369) and one-click unsubscribe, List-Unsubscribe-Post (RFC 8058).

RFC 8058 wants an https URI that identifies the reader by itself, since the provider's POST carries
nothing else: the URL may hold `{email}` (the reader's address, percent-encoded) and `{token}` (an
HMAC-SHA256 of the list id and the address under the desk's secret, so the unsubscribe page can tell
a real request from a forged one). Every value is checked when the settings are read, so a header
can never carry a line break, a space or a stray '>'.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from urllib.parse import quote, urlsplit

MAX_URI = 900  # a header line may hold 998 characters (RFC 5322); the URI is never folded
_URI_CHARS = re.compile(r"^[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~{}]+$")
_LIST_LABEL = re.compile(r"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)+$")
PLACEHOLDERS = ("{email}", "{token}")


def _check_uri(value: str) -> str:
    if not _URI_CHARS.match(value) or len(value) > MAX_URI:
        raise ValueError(f"{value[:80]!r} is not a URI usable in a header (spaces, '<', '>', "
                         f"quotes and line breaks are not allowed; at most {MAX_URI} characters)")
    return value


def check_url(value: str) -> str:
    """An https URL, optionally with {email} and {token}; ValueError if not."""
    _check_uri(value)
    parts = urlsplit(value.replace("{", "").replace("}", ""))
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError(f"{value[:80]!r} must be an https:// URL (RFC 8058 one-click unsubscribe)")
    unknown = set(re.findall(r"\{[^}]*\}", value)) - set(PLACEHOLDERS)
    if unknown or value.count("{") != value.count("}"):
        raise ValueError(f"{value[:80]!r}: the only placeholders are {' and '.join(PLACEHOLDERS)}")
    return value


def check_mailto(value: str) -> str:
    """'unsubscribe@desk.example' or a full 'mailto:' URI -> the mailto URI; ValueError if not."""
    from report.delivery.message import HeaderValueError, parse_address

    uri = value if value.lower().startswith("mailto:") else f"mailto:{value}?subject=unsubscribe"
    address = uri[len("mailto:"):].partition("?")[0]
    try:
        parse_address(address)
    except HeaderValueError as exc:
        raise ValueError(str(exc)) from None
    return _check_uri(uri)


def check_list_id(value: str) -> str:
    """'list.label.domain' or 'Description <list.label.domain>' (RFC 2919); ValueError if not."""
    from report.delivery.message import check_header

    check_header(value, "the list id")
    if not value.isascii():
        raise ValueError(f"{value!r}: write the list id in ASCII")
    label = value[value.rindex("<") + 1:-1] if value.endswith(">") and "<" in value else value
    if not _LIST_LABEL.match(label) or len(label) > 255:
        raise ValueError(f"{value!r} is not a list id: it looks like 'Description "
                         "<updates.desk.example>' (a label, a dot, the desk's domain)")
    return value if "<" in value else f"<{value}>"


def default_list_id(brand: str, sender_domain: str) -> str:
    """'"Meridian Research" <meridian-research.meridian.example>' from the brand and sender."""
    from email.utils import formataddr

    plain = unicodedata.normalize("NFKD", brand).encode("ascii", "ignore").decode().lower()
    label = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "report"
    return formataddr((brand, f"{label}.{sender_domain.lower()}"))  # encodes a non-ASCII name


def token(secret: str, list_id: str, address: str) -> str:
    message = f"{list_id}\n{address.lower()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def list_headers(settings, address: str, list_id: str) -> tuple[tuple[str, str], ...]:
    """The bulk headers for the reader at `address`, as (name, value) ready to be written."""
    out = [("List-Id", list_id)]
    uris = []
    if settings.unsubscribe_url:
        url = settings.unsubscribe_url.replace("{email}", quote(address, safe="@"))
        if "{token}" in url:
            url = url.replace("{token}", token(settings.unsubscribe_secret, list_id, address))
        uris.append(f"<{url}>")
    if settings.unsubscribe_mailto:
        uris.append(f"<{settings.unsubscribe_mailto}>")
    if uris:
        out.append(("List-Unsubscribe", ",\n ".join(uris)))
    if settings.unsubscribe_url:
        out.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return tuple(out)
