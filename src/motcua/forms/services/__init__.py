"""Online forms' services, one module per subject; callers keep ``from motcua.forms import services``.

- ``validation``: the one server-side validation of data against a form (``validate_submission``), its
  messages and error paths (``NON_FIELD`` for the whole submission);
- ``posted``: posted HTML form data <-> JSON data, and data normalised as it is kept (NFC, address codes);
- ``prefill``: data prefilled from the applicant's profile;
- ``navigation``: a multi-step form, one button press at a time (``advance``), and where an error's field
  stands on the page (``locate``, ``page_order``);
- ``publishing``: writes of form versions (draft, new version, publish);
- ``current``: the form a procedure is filled in with now (``form_for``), bespoke or generic.
"""

from ..schema import check_definition
from .current import form_for, publish_generic_forms
from .navigation import FormState, Place, advance, locate, page_order, step_count, step_of
from .posted import COUNT, data_from_post, normalise_data, post_from_data
from .prefill import fill_from_applicant, initial_data
from .publishing import (
    DefinitionError,
    component_orders,
    definition_problems,
    new_version,
    publish,
    save_draft,
)
from .validation import (
    FORMAT_CHECKER,
    FORMAT_MESSAGES,
    NON_FIELD,
    Errors,
    check_submission,
    parse_date,
    validate_submission,
)

__all__ = [
    "COUNT",
    "FORMAT_CHECKER",
    "FORMAT_MESSAGES",
    "NON_FIELD",
    "DefinitionError",
    "Errors",
    "FormState",
    "Place",
    "advance",
    "check_definition",
    "check_submission",
    "component_orders",
    "data_from_post",
    "definition_problems",
    "fill_from_applicant",
    "form_for",
    "initial_data",
    "locate",
    "new_version",
    "normalise_data",
    "page_order",
    "parse_date",
    "post_from_data",
    "publish",
    "publish_generic_forms",
    "save_draft",
    "step_count",
    "step_of",
    "validate_submission",
]
