"""Reading an applicant's data: whenever anyone but the applicant (or who sent the dossier for them) opens a
dossier, the audit log says who, when and from where. The portal, the desk and the API all call this."""

from motcua.audit import services as audit

from .. import rules
from ..models import Dossier


def record_reading(dossier: Dossier, *, by, request=None) -> bool:
    """Leave a trace of ``by`` reading ``dossier``'s personal data; False (no trace) when it is their own."""
    if rules.is_own(dossier, by):
        return False
    audit.record("dossier.view", actor=by, request=request, target=dossier, target_label=dossier.reference)
    return True
