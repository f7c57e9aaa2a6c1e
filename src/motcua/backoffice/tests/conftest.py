"""The payments tests' builders, for the finance page's tests: a dossier owing a payment, the agency's
staff (a finance officer included), its merchant and VietQR accounts, a pending transfer."""

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
