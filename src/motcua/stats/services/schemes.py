"""Score schemes: the points of each indicator from a date on (admin, API and commands share this)."""

from django.db import transaction

from ..models import ScoreScheme
from ..scoring import validate_weights


def save_scheme(scheme: ScoreScheme) -> ScoreScheme:
    """Store ``scheme`` after checking its weights (every indicator, sensible thresholds)."""
    scheme.weights = validate_weights(scheme.weights)
    scheme.full_clean()
    with transaction.atomic():
        scheme.save()
    return scheme
