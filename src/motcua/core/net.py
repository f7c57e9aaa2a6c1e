"""The client's address: one rule for the rate limits, django-axes, the security log and the audit.

Behind a reverse proxy (``deploy/nginx.conf``) every request comes from the proxy's address; the client's is
in ``X-Forwarded-For``, a header the client can write too. So the header is believed exactly as far as the
proxies named in ``MOTCUA_TRUSTED_PROXIES`` (addresses or networks, comma-separated) vouch for it: walking
from the right (the TCP peer, then the header's entries from last to first), each hop is passed over while
it is a trusted proxy, and the first one that is not is the client. Nobody is trusted by default: without
the setting the address is the TCP peer's, and a forged header changes nothing.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for item in spec:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"MOTCUA_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                "(e.g. 127.0.0.1 or 10.0.0.0/8)."
            ) from None
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ``MOTCUA_TRUSTED_PROXIES`` (a list, or a comma-separated string)."""
    value = getattr(settings, "MOTCUA_TRUSTED_PROXIES", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return _networks(tuple(item.strip() for item in value if item.strip()))


def parse_address(value: str | None) -> Address | None:
    """An address as a proxy may write it (``203.0.113.5``, ``203.0.113.5:4431``, ``[2001:db8::1]:443``,
    ``2001:db8::1``), IPv4-mapped IPv6 as IPv4; None for anything else (``unknown``, garbage)."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def resolve(peer: str | None, forwarded_for: str | None) -> str | None:
    """The client's address from the TCP peer and the ``X-Forwarded-For`` value (see the module's rule);
    None when the peer is not an IP address (e.g. a Unix socket)."""
    address = parse_address(peer)
    if address is None:
        return None
    networks = trusted_proxies()
    if not networks:
        return str(address)

    def trusted(candidate: Address) -> bool:
        return any(candidate in network for network in networks)

    if not trusted(address):
        return str(address)
    for hop in reversed((forwarded_for or "").split(",")):
        hop_address = parse_address(hop)
        if hop_address is None:
            # Written by someone no trusted proxy vouches for: the last trusted hop is all that is known.
            break
        address = hop_address
        if not trusted(address):
            return str(address)
    return str(address)


def client_ip(request) -> str | None:
    """The address of the client of ``request`` (a Django HttpRequest or a DRF Request)."""
    if request is None:
        return None
    meta = request.META
    return resolve(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"))


def environ_client_ip(environ) -> str | None:
    """The same, from a WSGI environ."""
    return resolve(environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"))


def scope_client_ip(scope) -> str | None:
    """The same, from an ASGI scope (``client`` is ``(host, port)``; header names are lower-case bytes)."""
    peer = (scope.get("client") or [None])[0]
    forwarded = [
        value.decode("latin-1") for name, value in scope.get("headers") or [] if name == b"x-forwarded-for"
    ]
    return resolve(peer, ",".join(forwarded))
