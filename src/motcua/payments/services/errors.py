"""The errors of the payment services, beside Django's ValidationError (400) and PermissionDenied (403)."""

from motcua.dossiers.services import ActionRefused


class PaymentRefused(ActionRefused):
    """The dossier or payment is not in a state that allows this (409); ``str(exc)`` says why."""
