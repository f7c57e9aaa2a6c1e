"""Writes of statistics: keeping the ledger and daily facts (``facts``), rebuilding them (``rebuild``) and
the score schemes (``schemes``)."""

from .facts import refresh_dossier
from .rebuild import rebuild
from .schemes import save_scheme

__all__ = ["rebuild", "refresh_dossier", "save_scheme"]
