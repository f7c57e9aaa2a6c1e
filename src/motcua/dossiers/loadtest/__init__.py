"""Load tests: realistic fictional dossiers in bulk (``manage.py seed_load``), for the benchmarks.

``seed`` writes them; ``life`` decides what happened to each, through the same clock, workflow and
numbering as live dossiers; ``catalogue`` and ``people`` are what they are made of; ``writing`` puts them
in the database fast. Nothing in the portal imports this package: it stays out of the domain code's way.
"""

from .catalogue import SeedRefused
from .people import SEED_DOMAIN
from .seed import SeedResult, seed, seeded_dossiers

__all__ = ["SEED_DOMAIN", "SeedRefused", "SeedResult", "seed", "seeded_dossiers"]
