"""Files an e-mail carries, made when it is sent (a PDF is rendered by the sending task, not the request).

Each kind of file is a function registered under a name by the app that knows how to make it (the dossiers
app registers ``dossier.receipt`` and ``dossier.slip`` when it starts); a delivery keeps only the name and
the JSON arguments, e.g. ``["dossier.receipt", [42]]``. A maker returns ``(filename, content, mimetype)``, or
None when there is nothing to attach (the e-mail then goes without it); an error is a failed attempt,
retried like an SMTP error.
"""

from collections.abc import Callable

Made = tuple[str, bytes, str]
_MAKERS: dict[str, Callable[..., Made | None]] = {}


def register(name: str):
    """Decorator: ``@register("dossier.receipt")`` makes the function the maker of that kind of file."""

    def decorate(maker: Callable[..., Made | None]):
        known = _MAKERS.get(name)
        if known is not None and known is not maker:
            raise ValueError(f"An attachment maker is already registered as {name!r}.")
        _MAKERS[name] = maker
        return maker

    return decorate


def is_registered(name: str) -> bool:
    return name in _MAKERS


def make(name: str, args: list) -> Made | None:
    """The file of the kind ``name`` made with ``args``; KeyError for a kind nobody registered."""
    return _MAKERS[name](*args)
