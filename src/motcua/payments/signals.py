"""What the rest of Motcua may listen to about payments, without payments knowing who listens.

``payment_paid`` is sent inside the transaction that marks a payment paid and settles its charges (the
e-receipt is made from it). Argument: ``payment`` (locked, saved, state ``paid``).

``charge_added`` is sent inside the transaction that records what a dossier owes (the fee at submission,
the postage, an officer's request). Argument: ``charge`` (saved).
"""

from django.dispatch import Signal

payment_paid = Signal()
charge_added = Signal()
