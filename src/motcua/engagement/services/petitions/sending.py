"""Gửi phản ánh, kiến nghị: a person sends feedback (anyone, anonymous allowed) or a petition (a signed-in
citizen or business); it is checked whole, given its code and due time, and received by the province's
reception at once, with a receipt to the sender. Nothing is written unless all of it is right: a refused
attachment or field leaves no petition and no file behind."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.catalog.models import Agency, Procedure
from motcua.core import ratelimit, sequences, storage
from motcua.core.filetypes import RejectedFile, named_as
from motcua.core.identity import validate_phone
from motcua.core.uploads import checked_upload
from motcua.workcalendar import selectors as working_calendar

from ... import deadlines, rules
from ...models import Petition, PetitionAction, PetitionAttachment, PetitionCategory, PetitionKind
from ...selectors.petitions import reception_agency
from .common import clean_text, record, tell_sender

SUBJECT_LENGTH = (5, 200)
CONTENT_LENGTH = (20, 5000)
MAX_ATTACHMENTS = 5
ATTACHMENT_KINDS = ("pdf", "jpeg", "png")
RATE_WINDOW = 3600  # MOTCUA_PETITION_RATE counts per hour


class TooManyPetitions(Exception):
    """The sender (address or account) sent the most this hour allows (429); ``retry_after`` in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(_("You have sent many petitions in a short time; please try again later."))
        self.retry_after = retry_after


def send_petition(
    *,
    kind: str,
    category: str,
    subject: str,
    content: str,
    by=None,
    sender_name: str = "",
    sender_email: str = "",
    sender_phone: str = "",
    procedure: str | Procedure | None = None,
    dossier_code: str = "",
    about_agency: str | Agency | None = None,
    regulation: str = "",
    consent_to_publish: bool = False,
    attachments=(),
    client_ip: str = "",
    request=None,
) -> Petition:
    """Gửi phản ánh, kiến nghị. ``by``: the signed-in account sending it (its name, e-mail, phone and ID
    number are copied from it), or None for anonymous feedback (name, e-mail and phone optional; without one
    of the last two no answer can reach the sender). ``procedure`` (code or instance), ``dossier_code``,
    ``about_agency`` (slug, code or instance) and ``regulation`` name what it is about, as ``category`` asks.
    ``attachments``: uploaded files (PDF, JPEG, PNG), checked by their content.

    Checks first (a ValidationError naming every wrong field; ``TooManyPetitions`` past the hourly limit per
    address and account), then one transaction: the code, the row at the reception with its due time, the
    files, the first step, the audit entry and the receipt. Each call sends a new petition.
    """
    signed_in = rules.may_send_petition(by)
    _limit(client_ip, by if signed_in else None)
    values = _clean(
        kind=kind, category=category, subject=subject, content=content, signed_in=signed_in,
        sender_name=sender_name, sender_email=sender_email, sender_phone=sender_phone, procedure=procedure,
        dossier_code=dossier_code, about_agency=about_agency, regulation=regulation,
    )  # fmt: skip
    files = _checked_files(attachments)
    if signed_in:
        values.update(
            sender=by,
            sender_name=(getattr(by, "full_name", "") or by.get_username())[:150],
            sender_email=by.email or "",
            sender_phone=getattr(by, "phone", "") or "",
            sender_personal_id=_personal_id(by),
        )
    reception = reception_agency()
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            petition = Petition.objects.create(
                code=allocate_code(reception, now), agency=reception, received_at=now,
                due_at=deadlines.due_at(values["kind"], now), consent_to_publish=bool(consent_to_publish),
                **values,
            )  # fmt: skip
            for upload, checked in files:
                stored.append(_store(petition, upload, checked))
            record(petition, PetitionAction.SEND, by=by if signed_in else None, from_status="", note="")
            audit.record(
                "petition.send", actor=by if signed_in else None, request=request, target=petition,
                target_label=petition.code, kind=petition.kind, files=len(files),
            )  # fmt: skip
            tell_sender(petition, "petition_received")
    except Exception:
        delete_stored(stored)
        raise
    return petition


def delete_stored(names) -> None:
    """Remove files stored for a petition whose transaction did not commit (nothing is left half-way)."""
    storage.delete_stored(PetitionAttachment._meta.get_field("file").storage, names)


def delete_orphan_files(*, older_than=datetime.timedelta(hours=1), dry_run: bool = False) -> list[str]:
    """Delete the petitions' files (``petitions/`` of the private storage) that no attachment row names: left
    when the process sending one died between writing its files and committing. Files younger than
    ``older_than`` are kept (their sending may still be running). Run by ``manage.py
    delete_orphan_petition_files`` and, daily, by Celery beat; returns the names deleted (or, with
    ``dry_run``, that would be)."""
    return storage.delete_unnamed_files(
        PetitionAttachment._meta.get_field("file").storage, "petitions",
        lambda names: PetitionAttachment.objects.filter(file__in=names).values_list("file", flat=True),
        older_than=older_than, dry_run=dry_run,
    )  # fmt: skip


def _limit(client_ip: str, account) -> None:
    wait = ratelimit.per_client(
        "petition", client_ip, account, settings.MOTCUA_PETITION_RATE, window=RATE_WINDOW
    )
    if wait is not None:
        raise TooManyPetitions(wait)


def _clean(*, kind, category, subject, content, signed_in, sender_name, sender_email, sender_phone,
           procedure, dossier_code, about_agency, regulation) -> dict:  # fmt: skip
    errors: dict[str, list] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    if kind not in PetitionKind.values:
        fail("kind", _("Choose feedback or a petition."))
    elif kind == PetitionKind.PETITION and not signed_in:
        fail("kind", _("Sign in to send a petition; feedback can be sent without an account."))
    if category not in PetitionCategory.values:
        fail("category", _("Choose what it is about."))
    values = {"kind": kind, "category": category}
    for field, text, (low, high) in (
        ("subject", subject, SUBJECT_LENGTH),
        ("content", content, CONTENT_LENGTH),
    ):
        cleaned = clean_text(text, field=field, low=low, high=high, errors=errors)
        values[field] = cleaned
    values.update(_about(category, procedure, dossier_code, about_agency, regulation, fail))
    if not signed_in:
        values["sender_name"] = clean_text(sender_name, field="sender_name", low=0, high=150, errors=errors)
        values["sender_email"] = (sender_email or "").strip()
        if values["sender_email"]:
            from django.core.validators import validate_email

            try:
                validate_email(values["sender_email"])
            except ValidationError:
                fail("sender_email", _("Enter a valid e-mail address, e.g. ten@example.com."))
        values["sender_phone"] = ""
        if (sender_phone or "").strip():
            try:
                values["sender_phone"] = validate_phone(sender_phone)
            except ValidationError as exc:
                fail("sender_phone", exc.messages[0])
    if errors:
        raise ValidationError(errors)
    return values


def _about(category, procedure, dossier_code, about_agency, regulation, fail) -> dict:
    """The fields naming what it is about: only the one its category asks for, required."""
    found = {"procedure": None, "dossier_code": "", "about_agency": None, "regulation": ""}
    if category == PetitionCategory.PROCEDURE:
        if isinstance(procedure, Procedure):
            found["procedure"] = procedure
        else:
            found["procedure"] = Procedure.objects.active().filter(code=(procedure or "").strip()).first()
        if found["procedure"] is None:
            fail("procedure", _("Choose the procedure it is about (its code, e.g. 1.001193)."))
    elif category == PetitionCategory.DOSSIER:
        code = (dossier_code or "").strip().upper()
        if not code or len(code) > 40 or not all(c.isalnum() or c in ".-_/" for c in code):
            fail("dossier_code", _("Enter the code of the dossier it is about, as written on its receipt."))
        found["dossier_code"] = code
    elif category == PetitionCategory.AGENCY:
        if isinstance(about_agency, Agency):
            found["about_agency"] = about_agency
        elif about_agency:
            value = str(about_agency).strip()
            found["about_agency"] = Agency.objects.filter(is_active=True, slug=value).first() or (
                Agency.objects.filter(is_active=True, code=value).first()
            )
        if found["about_agency"] is None:
            fail("about_agency", _("Choose the agency it is about."))
    elif category == PetitionCategory.REGULATION:
        found["regulation"] = " ".join((regulation or "").split())[:255]
        if len(found["regulation"]) < 3:
            fail("regulation", _("Name the regulation it is about (its number or title)."))
    return found


def _checked_files(attachments) -> list:
    attachments = [a for a in (attachments or []) if a]
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": [_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}]}
        )
    checked, total = [], 0
    for upload in attachments:
        try:
            found = checked_upload(upload, accept=ATTACHMENT_KINDS)
        except RejectedFile as exc:
            name = getattr(upload, "name", "") or _("the file")
            raise ValidationError({"attachments": [f"{name}: {exc}"]}) from None
        total += len(found.content)
        checked.append((upload, found))
    if total > settings.MOTCUA_MAX_DOSSIER_MB * 1024 * 1024:
        raise ValidationError(
            {
                "attachments": [
                    _("All the files together may not exceed %(mb)s MB.")
                    % {"mb": settings.MOTCUA_MAX_DOSSIER_MB}
                ]
            }
        )
    return checked


def _store(petition: Petition, upload, checked) -> str:
    attachment = PetitionAttachment(
        petition=petition,
        original_name=named_as(getattr(upload, "name", "") or "", checked.kind.mime)[-255:],
        content_type=checked.kind.mime,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
    )
    attachment.file.save(f"attachment.{checked.kind.extension}", ContentFile(checked.content), save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        delete_stored([stored])
        raise
    return stored


def _personal_id(user) -> str:
    profile = getattr(user, "citizen", None)
    return (getattr(profile, "personal_id", "") or "")[:13] if profile is not None else ""


def format_code(day, seq: int) -> str:
    """A petition's code: ``PAKN-`` (phản ánh, kiến nghị), the local day of its reception, its number."""
    return f"PAKN-{day:%y%m%d}-{seq:04d}"


def allocate_code(reception: Agency, moment) -> str:
    """The next code of the day of ``moment`` (local), counted per receiving agency without gaps."""
    day = working_calendar.local(moment).date()
    seq = sequences.take("engagement_petitionsequence", "day", {(reception.pk, day): 1})[(reception.pk, day)]
    return format_code(day, seq)
