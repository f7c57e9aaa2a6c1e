"""The payment gateways Motcua knows, by key: plug-ins register here when the app starts (``apps.py``)."""

from .base import Gateway

_gateways: dict[str, Gateway] = {}


def register(gateway: Gateway) -> Gateway:
    if not gateway.key or gateway.key in _gateways:
        raise ValueError(f"A payment gateway needs a new key, not {gateway.key!r}.")
    _gateways[gateway.key] = gateway
    return gateway


def get(key: str) -> Gateway:
    """The gateway registered as ``key``; KeyError when there is none."""
    return _gateways[key]


def known(key: str) -> bool:
    return key in _gateways


def choices() -> list[tuple[str, str]]:
    return [(key, str(gateway.label)) for key, gateway in sorted(_gateways.items())]
