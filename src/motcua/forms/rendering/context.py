"""What the parts of a form's rendering share: the names of posted inputs, field ids, and the context of one
rendering (the form, its errors, what is attached, the anchors of the error summary)."""

from dataclasses import dataclass, field

from ..models import OnlineForm

FILE_PREFIX = "file."
FILES_PRESENT = "_files"
# The radio list that takes a paper from the applicant's document store instead of an upload.
STORED_PREFIX = "stored."


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


@dataclass
class Context:
    """One rendering of a form: what every field's HTML reads, and what the fields leave for the page."""

    form: OnlineForm
    errors: dict
    profile: dict
    present_orders: set
    components: dict
    action: str = ""
    lists: set = field(default_factory=set)  # suggestion lists used: one <datalist> each
    stored: dict = field(default_factory=dict)  # component order -> [(stored id, label)] offered for reuse
    anchors: dict = field(default_factory=dict)  # path -> (element id, label) for the error summary
