"""The payments tests' builders, for the finance page's tests: a dossier owing a payment, the agency's
staff (a finance officer included), its merchant and VietQR accounts, a pending transfer; the statistics
tests' ``world`` (two communes, their staff, dossiers taken through the real services) for the statistics
pages' tests; the petitions tests' agency tree, officers and petitions for the petition pages' tests."""

from motcua.engagement.tests.consultation_fixtures import consultation, draft_consultation  # noqa: F401
from motcua.engagement.tests.dialogue_fixtures import (  # noqa: F401 - fixtures
    answered,
    approved,
    dialogue_people,
    live_session,
    upcoming_session,
)
from motcua.engagement.tests.petition_fixtures import people, petition, routed, tree  # noqa: F401 - fixtures
from motcua.payments.tests.conftest import (  # noqa: F401 - fixtures
    account,
    clock,
    owed,
    processing,
    sent,
    staff,
    transfer,
    vietqr_account,
)
from motcua.stats.tests.conftest import world  # noqa: F401 - fixture
