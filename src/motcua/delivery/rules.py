"""Who may see and handle a dossier's parcel: the one table the pages and the API read.

Anyone who may read the dossier sees its parcel (the applicant theirs, officers their agencies'); the
public tracking page shows its carrier, number and status by code, as it shows the dossier's status. The
desk officers of the dossier's receiving agency book it by hand, enter its number and record its delivery.
"""

from motcua.accounts.models import OfficerRole
from motcua.dossiers import rules as dossier_rules


def may_see(dossier, user) -> bool:
    return dossier_rules.may_read(dossier, user)


def may_handle(dossier, user) -> bool:
    """A desk officer (một cửa) of the agency that received the dossier."""
    return dossier_rules.Roles(user).has(dossier.agency_id, OfficerRole.DESK)
