"""The sweep of petitions' files left without their row (a process killed while sending a petition, after
storing its files): a file no attachment names goes once older than the grace period; one with its row
stays."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from motcua.dossiers.tests.fixtures import pdf_bytes, upload
from motcua.engagement import tasks
from motcua.engagement.services import petitions

from .petition_fixtures import send_feedback

pytestmark = pytest.mark.django_db


def aged(name: str, hours: float) -> str:
    moment = time.time() - hours * 3600
    os.utime(storages["private"].path(name), (moment, moment))
    return name


def test_a_petition_file_without_its_row_is_deleted_and_one_with_its_row_is_kept(tree, settings):
    [attachment] = send_feedback(attachments=[upload(pdf_bytes(), name="bien-ban.pdf")]).attachments.all()
    kept = aged(attachment.file.name, 2)
    storage = storages["private"]
    orphan = aged(storage.save("petitions/2026/03/killed.pdf", ContentFile(pdf_bytes())), 2)
    young = storage.save("petitions/2026/03/still-sending.pdf", ContentFile(pdf_bytes()))

    out = io.StringIO()
    call_command("delete_orphan_petition_files", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [orphan, "1 orphan files would be deleted."]
    assert petitions.delete_orphan_files() == [orphan]
    assert not storage.exists(orphan) and storage.exists(kept) and storage.exists(young)
    assert tasks.delete_orphan_files() == 0
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "motcua.engagement.delete_orphan_files" in beat
