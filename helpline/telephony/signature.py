"""Verify the ``X-Twilio-Signature`` of incoming webhook requests.

Twilio signs the exact public URL it requested (scheme, host, optional port,
path and query string) plus the POSTed form parameters. Behind a reverse
proxy the application sees another scheme/host/port, so the public URL is
rebuilt from ``X-Forwarded-*`` headers, but only for the number of proxy
hops explicitly trusted (same semantics as werkzeug's ``ProxyFix``):
untrusted forwarded headers are ignored, since anyone can send them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from twilio.request_validator import RequestValidator
from werkzeug.datastructures import ImmutableMultiDict

SIGNATURE_HEADER = "X-Twilio-Signature"
_DEFAULT_PORTS = {"http": "80", "https": "443"}

Params = Mapping[str, Any] | Iterable[tuple[str, str]] | str | None


class InvalidSignatureError(Exception):
    """Raised when a webhook request does not carry a valid Twilio signature."""


@dataclass(frozen=True)
class ProxyTrust:
    """Number of reverse-proxy hops trusted for each ``X-Forwarded-*`` header (0 = ignore)."""

    x_proto: int = 0
    x_host: int = 0
    x_port: int = 0

    def __post_init__(self) -> None:
        for name in ("x_proto", "x_host", "x_port"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")

    @classmethod
    def hops(cls, count: int) -> ProxyTrust:
        """Trust proto, host and port from the ``count`` nearest proxies."""
        return cls(x_proto=count, x_host=count, x_port=count)


class _MultiParams(dict[str, list[str]]):
    """Hold form parameters as lists, as ``RequestValidator`` expects via ``getlist``."""

    def getlist(self, name: str) -> list[str]:
        """Return every value posted for ``name``."""
        return self[name]


def _normalise_params(params: Params) -> _MultiParams | ImmutableMultiDict | str:
    """Return ``params`` as a multi-valued mapping (a raw JSON body is kept as is)."""
    if isinstance(params, str):
        return params
    result = _MultiParams()
    if params is None:
        return result
    if isinstance(params, ImmutableMultiDict):  # a request's form: text values, read as they are
        return params  # type: ignore[return-value]
    if hasattr(params, "getlist"):  # other MultiDicts and similar
        for key in params.keys():
            result[key] = [str(v) for v in params.getlist(key)]
        return result
    pairs = params.items() if isinstance(params, Mapping) else params
    for key, value in pairs:
        values = value if isinstance(value, (list, tuple)) else [value]
        result.setdefault(key, []).extend(str(v) for v in values)
    return result


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Return header ``name`` from ``headers``, ignoring case."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def _forwarded(headers: Mapping[str, str], name: str, trusted_hops: int) -> str | None:
    """Return the value the ``trusted_hops``-th proxy from the right wrote in header ``name``."""
    if trusted_hops <= 0:
        return None
    raw = _header(headers, name)
    if not raw:
        return None
    values = [part.strip() for part in raw.split(",")]
    if len(values) < trusted_hops or not values[-trusted_hops]:
        return None
    return values[-trusted_hops]


def _split_host(host: str) -> tuple[str, str | None]:
    """Split ``host[:port]`` (IPv6 literals in brackets) into host and port."""
    if host.startswith("["):
        end = host.find("]")
        port = host[end + 2:] if host[end + 1:end + 2] == ":" else None
        return host[: end + 1], port or None
    name, sep, port = host.rpartition(":")
    return (name, port or None) if sep else (host, None)


def public_url(
    *,
    scheme: str,
    host: str,
    path: str,
    query_string: str | bytes = "",
    headers: Mapping[str, str] | None = None,
    trust: ProxyTrust = ProxyTrust(),
) -> str:
    """Rebuild the URL Twilio requested from what the app saw plus trusted proxy headers.

    ``host`` is the Host header as received (it may carry a port) and ``path``
    the request path exactly as sent (still percent-encoded, including any
    script root).
    """
    headers = headers or {}
    scheme = (_forwarded(headers, "X-Forwarded-Proto", trust.x_proto) or scheme).lower()
    host = _forwarded(headers, "X-Forwarded-Host", trust.x_host) or host
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"cannot rebuild a webhook URL from scheme={scheme!r} host={host!r}")
    name, port = _split_host(host)
    port = _forwarded(headers, "X-Forwarded-Port", trust.x_port) or port
    netloc = name if port in (None, _DEFAULT_PORTS[scheme]) else f"{name}:{port}"
    if isinstance(query_string, bytes):
        query_string = query_string.decode("latin-1")
    url = f"{scheme}://{netloc}{path if path.startswith('/') else '/' + path}"
    return f"{url}?{query_string}" if query_string else url


def compute_signature(auth_token: str, url: str, params: Params = None) -> str:
    """Return the ``X-Twilio-Signature`` Twilio would send for ``url`` and ``params``.

    A raw (JSON) body is not signed itself: Twilio signs the URL, whose
    ``bodySHA256`` query parameter carries the body's hash.
    """
    if not auth_token:
        raise ValueError("auth_token must be set to sign a request")
    normalised = _normalise_params(params)
    signed = {} if isinstance(normalised, str) else normalised
    return RequestValidator(auth_token).compute_signature(url, signed)


def is_valid_signature(auth_token: str, url: str, params: Params, signature: str | None) -> bool:
    """Return whether ``signature`` is Twilio's signature of ``url`` and ``params``."""
    if not auth_token:
        raise ValueError("auth_token must be set to validate Twilio requests")
    if not signature:
        return False
    return RequestValidator(auth_token).validate(url, _normalise_params(params), signature)


def verify_request(
    auth_token: str,
    *,
    scheme: str,
    host: str,
    path: str,
    query_string: str | bytes = "",
    headers: Mapping[str, str],
    params: Params,
    trust: ProxyTrust = ProxyTrust(),
) -> str:
    """Check the request's Twilio signature and return the URL it was verified against."""
    signature = _header(headers, SIGNATURE_HEADER)
    if not signature:
        raise InvalidSignatureError(f"missing {SIGNATURE_HEADER} header")
    url = public_url(
        scheme=scheme, host=host, path=path, query_string=query_string,
        headers=headers, trust=trust,
    )
    if not is_valid_signature(auth_token, url, params, signature):
        raise InvalidSignatureError(f"{SIGNATURE_HEADER} does not match the request to {url}")
    return url
