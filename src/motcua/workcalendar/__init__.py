"""Working days and office hours: every deadline of the system is computed here (see ``selectors``)."""
