"""An online form as accessible HTML that works without JavaScript, one module per part; callers keep
``from motcua.forms import rendering``.

- ``page``: the whole ``<form>`` (``render_form``): step indicator, error summary, hidden inputs, buttons;
- ``fields``: one field's HTML by its kind (inputs, choices, groups, addresses, repeating groups, files);
- ``summary``: the data as a read-only summary (``render_summary``);
- ``context``: what they share (input names, ``field_id``, the context of one rendering).
"""

from .context import FILE_PREFIX, FILES_PRESENT, STORED_PREFIX, field_id
from .fields import upload_limits
from .page import ERROR_SUMMARY_ID, render_form
from .summary import address_text, render_summary

__all__ = [
    "ERROR_SUMMARY_ID",
    "FILES_PRESENT",
    "FILE_PREFIX",
    "STORED_PREFIX",
    "address_text",
    "field_id",
    "render_form",
    "render_summary",
    "upload_limits",
]
