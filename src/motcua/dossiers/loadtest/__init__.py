"""Load tests: realistic fictional dossiers in bulk (``manage.py seed_load``), for the benchmarks.

``seed`` writes them; ``life`` decides what happened to each, through the same clock, workflow and
numbering as live dossiers; ``catalogue``, ``people``, ``applicants`` (their accounts) and ``papers`` are
what they are made of; ``writing`` puts them in the database fast; ``hooks`` lets other apps add their rows
(payments, ratings) and bring their figures up to date (statistics) without this app knowing them. Nothing
in the portal imports this package: it stays out of the domain code's way.
"""

from .applicants import seeded_accounts
from .catalogue import SeedRefused
from .hooks import SeedRun, batch_seeded, seeding_finished
from .people import SEED_DOMAIN
from .seed import SeedResult, seed, seeded_dossiers

__all__ = [
    "SEED_DOMAIN",
    "SeedRefused",
    "SeedResult",
    "SeedRun",
    "batch_seeded",
    "seed",
    "seeded_accounts",
    "seeded_dossiers",
    "seeding_finished",
]
