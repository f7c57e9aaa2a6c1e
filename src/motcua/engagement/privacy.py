"""Personal data in a text the public will read (dữ liệu cá nhân): before an answer is published, its
question and answer are searched for the sender's ID number, phone, e-mail and full name, and for anything
shaped like an ID number, a phone number or an e-mail address, whoever's it is. Publication is refused while
anything is found; the moderator rewrites the text (``services.petitions.publish``)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Vietnamese phone numbers, written with spaces, dots or dashes between groups: 0xx… or +84xx….
PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# A personal ID (CCCD, 12 digits) or an old identity card number (CMND, 9 digits), alone.
ID_NUMBER = re.compile(r"(?<![\d])(?:\d{12}|\d{9})(?![\d])")

KINDS = {
    "personal_id": _("an ID number"),
    "phone": _("a phone number"),
    "email": _("an e-mail address"),
    "name": _("the sender's name"),
}


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of KINDS
    text: str  # what was found, as written

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def personal_data(text: str, *, name: str = "", email: str = "", phone: str = "", personal_id: str = ""):
    """What ``text`` holds of the sender's data (given) and of anyone's ID numbers, phones and e-mails."""
    found: list[Finding] = []
    for match in EMAIL.finditer(text or ""):
        found.append(Finding("email", match.group()))
    if email and email.lower() in (text or "").lower() and not any(f.kind == "email" for f in found):
        found.append(Finding("email", email))
    for match in PHONE.finditer(text or ""):
        found.append(Finding("phone", match.group()))
    for match in ID_NUMBER.finditer(text or ""):
        if not any(match.group() in _digits(f.text) for f in found if f.kind == "phone"):
            found.append(Finding("personal_id", match.group()))
    digits = _digits(text)
    for kind, value in (("personal_id", personal_id), ("phone", phone)):
        # Also written with separators ("0912 345 678"), which the patterns above may not catch whole.
        own = _digits(value)
        if len(own) >= 9 and own[-9:] in digits and not any(f.kind == kind for f in found):
            found.append(Finding(kind, value))
    if len(name.split()) >= 2 and f" {fold(name)} " in f" {fold(text)} ":
        found.append(Finding("name", name))
    return found
