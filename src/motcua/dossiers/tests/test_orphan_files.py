"""The sweep of papers' files left without their row (a process killed between storing an upload and
committing its row: see test_fault_submission_killed for the real thing): a file no attachment names goes
once it is older than the grace period; a file with its row, or a young one, stays."""

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from motcua.dossiers import services, tasks

from .fixtures import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def attached(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    return services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)


def left_behind(attached, name: str, *, hours_ago: float) -> str:
    """A file stored beside the draft's own, as a killed upload leaves it, written ``hours_ago``."""
    storage = storages["private"]
    stored = storage.save(f"dossiers/{attached.dossier.uuid}/{name}", ContentFile(pdf_bytes()))
    age(stored, hours_ago)
    return stored


def age(name: str, hours_ago: float) -> None:
    moment = time.time() - hours_ago * 3600
    os.utime(storages["private"].path(name), (moment, moment))


def test_a_file_without_its_row_is_deleted_after_the_grace_period_and_a_file_with_its_row_is_kept(attached):
    storage = storages["private"]
    age(attached.file.name, 2)  # as old as the orphan: only the missing row tells them apart
    orphan = left_behind(attached, "killed-upload.pdf", hours_ago=2)
    young = left_behind(attached, "upload-still-running.pdf", hours_ago=0)

    assert services.delete_orphan_files(dry_run=True) == [orphan]
    assert storage.exists(orphan)

    assert services.delete_orphan_files() == [orphan]
    assert not storage.exists(orphan)
    assert storage.exists(attached.file.name) and storage.exists(young)  # the grace period: an hour

    assert services.delete_orphan_files(older_than=timedelta(0)) == [young]
    assert storage.exists(attached.file.name)


def test_the_command_and_the_daily_task_run_the_sweep(attached, settings):
    orphan = left_behind(attached, "a.pdf", hours_ago=3)
    out = io.StringIO()
    call_command("delete_orphan_attachments", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [orphan, "1 orphan files would be deleted."]
    assert tasks.delete_orphan_files() == 1
    assert not storages["private"].exists(orphan)
    beat = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat["motcua.dossiers.delete_orphan_files"] == 86400.0


def test_no_folder_yet_is_nothing_to_sweep(db):
    assert services.delete_orphan_files(older_than=timedelta(0)) == []
