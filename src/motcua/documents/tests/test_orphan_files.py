"""The sweep of documents' files left without their row also covers the papers kept in applicants' stores
(``store/``): a file no entry names goes once older than the grace period; an entry's file stays."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from motcua.documents import services, tasks
from motcua.dossiers.tests.fixtures import pdf_bytes

pytestmark = pytest.mark.django_db


def aged(name: str, hours: float = 2) -> str:
    moment = time.time() - hours * 3600
    os.utime(storages["private"].path(name), (moment, moment))
    return name


def test_a_stored_paper_without_its_entry_is_deleted_and_a_kept_one_stays(citizen, settings):
    entry = services.keep_paper(
        owner=citizen, origin=citizen, content=pdf_bytes(), content_type="application/pdf",
        original_name="to-khai.pdf", title="Tờ khai", paper_kind="",
    )  # fmt: skip
    kept = aged(entry.file.name)
    storage = storages["private"]
    orphan = aged(storage.save(f"store/{citizen.pk}/killed.pdf", ContentFile(pdf_bytes())))

    out = io.StringIO()
    call_command("delete_orphan_documents", stdout=out)
    assert out.getvalue().splitlines() == [orphan, "1 orphan files deleted."]
    assert not storage.exists(orphan) and storage.exists(kept)
    assert tasks.delete_orphan_files() == 0
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "motcua.documents.delete_orphan_files" in beat
