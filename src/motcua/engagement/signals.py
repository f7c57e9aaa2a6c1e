"""What the rest of Motcua may listen to about engagement, without engagement knowing who listens.

``dossier_rated`` is sent by ``services.rate_dossier`` inside the transaction that writes the rating, after
the row and before the audit entry: a receiver that keeps figures (the statistics' facts) writes in the same
transaction, so the rating and its count commit or roll back together. Argument: ``rating`` (a saved
``DossierRating``, with its dossier, agency and procedure loaded).
"""

from django.dispatch import Signal

dossier_rated = Signal()
