"""Writes of dossiers: the only code that changes a dossier, one module per subject.

- ``drafts``: a draft before it is sent (create, change, delete);
- ``attachments``: the papers' files, checked by their content (and the sweep of files left without a row);
- ``numbering``: dossier codes and result numbers, without gaps or duplicates;
- ``delivery_choice``: how the applicant receives the result (online, desk, post) and the address;
- ``submission``: sending a draft online;
- ``counter``: registering a dossier handed in at the desk or by post;
- ``lifecycle``: what every change shares (the row locked, the rules checked, the steps opened and closed
  on the dossier's clock, the new status with its history, audit row and notification, and ``finish``, the
  one way a dossier ends);
- ``reception``, ``processing``, ``results``, ``endings``: the transitions, one function each, and
  ``transitions``, the table that runs them by name (``act``);
- ``comments``, ``apologies``, ``disclosure`` (reading an applicant's data leaves a trace).

Every transition runs in one transaction that also writes the history row (process control sheet), the
audit row and the notification, so that either all of it happens or none. Web pages, the API, the admin and
commands call these functions; nothing else assigns ``status``. Errors are in ``errors``: ValidationError
for bad input, ``ActionRefused`` for the wrong moment (409), PermissionDenied for the wrong person.
"""

from .apologies import draft_apology, send_apology
from .attachments import (
    accepted_kinds,
    add_attachment,
    delete_orphan_files,
    keep_sent_papers,
    remove_attachment,
    reuse_stored_paper,
)
from .comments import comment
from .counter import register_at_counter
from .delivery_choice import check_address, check_delivery, offers_post
from .delivery_choice import choices as delivery_choices
from .disclosure import record_reading
from .drafts import MAX_DATA_BYTES, create_draft, delete_draft, update_draft
from .endings import stop, withdraw
from .errors import ActionRefused
from .lifecycle import REASONS
from .numbering import allocate_code, allocate_result_number
from .processing import assign, forward, payment_received, propose, request_payment, send_back
from .reception import receive, refuse, request_supplement, supplement
from .results import (
    RETURN_METHODS,
    approve,
    collect_online,
    default_return_method,
    number_result,
    reject,
    return_result,
    revoke_result,
)
from .submission import submit
from .transitions import TRANSITIONS, act

__all__ = [
    "MAX_DATA_BYTES",
    "REASONS",
    "RETURN_METHODS",
    "TRANSITIONS",
    "ActionRefused",
    "accepted_kinds",
    "act",
    "add_attachment",
    "allocate_code",
    "allocate_result_number",
    "approve",
    "assign",
    "check_address",
    "check_delivery",
    "collect_online",
    "comment",
    "create_draft",
    "default_return_method",
    "delete_draft",
    "delete_orphan_files",
    "delivery_choices",
    "draft_apology",
    "forward",
    "keep_sent_papers",
    "number_result",
    "offers_post",
    "payment_received",
    "propose",
    "receive",
    "record_reading",
    "refuse",
    "register_at_counter",
    "reject",
    "remove_attachment",
    "request_payment",
    "request_supplement",
    "return_result",
    "reuse_stored_paper",
    "revoke_result",
    "send_apology",
    "send_back",
    "stop",
    "submit",
    "supplement",
    "update_draft",
    "withdraw",
]
