"""Who may do what with an entry of the document store (kho dữ liệu): the one table the store's pages, its API
and the reuse of a stored paper in a dossier read.

A store is private: only its owner sees, downloads, edits, removes or reuses its entries; to anybody else
an entry does not exist (the pages and the API answer 404, never 403). An entry the owner removed is gone for
every action. The issuer of a document the portal issued is the agency that signed it: the owner may name
the issuer of the papers they uploaded only.
"""

from django.db import models


class StoreAction(models.TextChoices):
    VIEW = "view"
    DOWNLOAD = "download"
    EDIT = "edit"  # title and validity
    NAME_ISSUER = "name_issuer"
    REMOVE = "remove"
    REUSE = "reuse"  # attach it to one of the owner's dossiers


def _owner(entry, user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and entry.owner_id == user.pk


def _uploaded_by_owner(entry, user) -> bool:
    return _owner(entry, user) and not entry.is_issued


RULES = {
    StoreAction.VIEW: _owner,
    StoreAction.DOWNLOAD: _owner,
    StoreAction.EDIT: _owner,
    StoreAction.NAME_ISSUER: _uploaded_by_owner,
    StoreAction.REMOVE: _owner,
    StoreAction.REUSE: _owner,
}


def allowed(action: str, entry, user) -> bool:
    """May ``user`` do ``action`` with the store entry ``entry``? Never once the entry is removed."""
    return entry.removed_at is None and RULES[StoreAction(action)](entry, user)
