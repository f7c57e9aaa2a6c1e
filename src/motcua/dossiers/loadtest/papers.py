"""The papers of seeded dossiers: ``Attachment`` rows (số hóa hồ sơ) and entries of the applicants' document
stores (kho dữ liệu) that later dossiers reuse.

What is stored is one small PDF, written once under the private storage (``loadtest/``), that every seeded
attachment points to, and a second one for every seeded store entry (the store keeps its own copy of a
paper, as ``documents.services.keep_paper`` does, so removing an entry never touches a dossier's paper).
A million dossiers thus cost a million rows, not a million files; an officer who opens a seeded paper gets
that one page.

Who has papers: a dossier sent online has every required paper of its procedure (and some optional ones)
uploaded by its applicant; one registered at the desk has them scanned there for a share (the rest stay on
paper only); by post for a smaller share. An applicant with an account keeps some uploaded papers in their
store, and a later dossier of theirs asking for a paper of the same kind reuses the kept one.
"""

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from motcua.catalog.models import Channel
from motcua.core.storage import private_storage

from ..models import Attachment, AttachmentSource

PAPER_FILE = "loadtest/giay-to-mau.pdf"
STORED_FILE = "loadtest/kho-du-lieu-mau.pdf"
SCANNED_AT_DESK = {Channel.IN_PERSON: 0.6, Channel.POSTAL: 0.45}
OPTIONAL_UPLOADED = 0.4
KEPT_IN_STORE = 0.5  # an uploaded paper of a known kind that its owner keeps in the store
REUSED = 0.7  # a paper asked again that the applicant takes from the store instead of uploading it


@dataclass(frozen=True)
class SharedFile:
    name: str
    size: int
    sha256: str


@dataclass(eq=False)
class StoredPaper:
    """An entry of an applicant's document store, kept from the attachment ``origin`` (a row dict, let go
    once written: an account keeps its entries for the whole run)."""

    kind: str
    title: str
    original_name: str
    at: datetime
    origin: dict | None
    id: int | None = None


def sample_pdf() -> bytes:
    """One A4 page saying what it is (pypdf: no fonts or rendering needed)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Giấy tờ mẫu — dữ liệu thử tải (seed_load)", "/Producer": "Motcua"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def shared_files() -> tuple[SharedFile, SharedFile]:
    """The paper every seeded attachment points to and the store's copy, written once if missing."""
    storage = private_storage()
    content = sample_pdf()
    found = []
    for name in (PAPER_FILE, STORED_FILE):
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
        with storage.open(name, "rb") as stored:
            data = stored.read()
        found.append(SharedFile(name, len(data), hashlib.sha256(data).hexdigest()))
    return found[0], found[1]


class Papers:
    """Plans the attachments of seeded dossiers and the store entries they make or reuse."""

    def __init__(self, rng, paper: SharedFile, stored: SharedFile, desk_officers: dict):
        self.rng = rng
        self.paper = paper
        self.stored = stored
        self.desk_officers = desk_officers  # (agency id, role) -> (user id, name): who scans at the desk
        self.attachment_type = ContentType.objects.get_for_model(Attachment).pk

    def attach(self, row: dict, components, account) -> tuple[list[dict], list[StoredPaper]]:
        """The attachments of the dossier ``row`` and the store entries kept from them (ids, the dossier's
        and the accounts' ones, are set when the batch is written: ``resolve``)."""
        rng = self.rng
        online = row["channel"] == Channel.ONLINE
        if not components or (not online and rng.random() >= SCANNED_AT_DESK.get(row["channel"], 0)):
            return [], []
        if online:
            source = AttachmentSource.APPLICANT
            at = row["created_at"] + (row["submitted_at"] - row["created_at"]) * rng.uniform(0.2, 0.9)
            officer = None
        else:
            source = AttachmentSource.DESK
            at = row["received_at"]
            officer = self.desk_officers.get((row["agency_id"], "desk"))
        chosen = [c for c in components if c.is_required or rng.random() < OPTIONAL_UPLOADED]
        attachments, kept = [], []
        for component in chosen or components[:1]:
            attachment = {
                "uuid": uuid.uuid4(), "component_order": component.order,
                "component_name": component.name[:1000], "file": self.paper.name,
                "original_name": f"thanh-phan-{component.order}.pdf", "content_type": "application/pdf",
                "size": self.paper.size, "sha256": self.paper.sha256, "source": source,
                "uploaded_by_id": officer[0] if officer else None, "uploaded_at": at, "active_content": "",
                "reused_from_id": None, "_account": account if online else None, "_reused": None,
            }  # fmt: skip
            if online and account is not None and component.paper_kind:
                entry = account.papers.get(component.paper_kind)
                if entry is not None and entry.at < at and rng.random() < REUSED:
                    attachment.update(source=AttachmentSource.STORE, _reused=entry)
                    attachment["original_name"] = entry.original_name
                elif entry is None and rng.random() < KEPT_IN_STORE:
                    name, kind = attachment["original_name"], component.paper_kind
                    entry = StoredPaper(kind, component.name[:255], name, at, attachment)
                    account.papers[component.paper_kind] = entry
                    kept.append(entry)
            attachments.append(attachment)
        return attachments, kept

    def resolve(self, attachment: dict) -> None:
        """The account and store ids an attachment names, once they are known."""
        account = attachment["_account"]
        if account is not None:
            attachment["uploaded_by_id"] = account.id
        if attachment["_reused"] is not None:
            attachment["reused_from_id"] = attachment["_reused"].id

    def stored_row(self, entry: StoredPaper) -> dict:
        """The ``StoredDocument`` row of an entry (its ``id``, its origin's and its owner's set); the entry
        lets its origin go."""
        origin, entry.origin = entry.origin, None
        return {
            "id": entry.id, "owner_id": origin["_account"].id, "document_id": None,
            "title": entry.title, "paper_kind": entry.kind, "issuer": "", "valid_until": None,
            "file": self.stored.name, "original_name": entry.original_name,
            "content_type": "application/pdf", "size": self.stored.size, "sha256": self.stored.sha256,
            "origin_type_id": self.attachment_type, "origin_id": origin["id"], "added_at": entry.at,
            "updated_at": entry.at, "removed_at": None,
        }  # fmt: skip
