"""What a restore refuses, before it changes anything: a damaged backup, another database, a newer code's
migrations; and what a backup refuses: overwriting, or leaving half a backup behind."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from motcua.audit import services as audit
from motcua.backup import files, services

from .conftest import state

pytestmark = pytest.mark.django_db(transaction=True)


def restore(folder):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), interactive=False, stdout=io.StringIO())
    assert refused.value.returncode == 1
    return str(refused.value)


def damage_checksum(folder):
    path = folder / "files/private/dossiers/x/giay-to.pdf"
    path.write_bytes(path.read_bytes().replace(b"private", b"PRIVATE"))
    return "files/private/dossiers/x/giay-to.pdf: checksum differs"


def damage_size(folder):
    path = folder / "database" / next((folder / "database").iterdir()).name
    path.write_bytes(path.read_bytes()[:-10])
    return "bytes, the manifest says"


def remove_a_file(folder):
    (folder / "files/default/news/anh.txt").unlink()
    return "files/default/news/anh.txt: missing"


def add_a_file(folder):
    (folder / "files/private/dossiers/x/la.pdf").write_bytes(b"not ours")
    return "files/private/dossiers/x/la.pdf: not listed in the manifest"


@pytest.mark.parametrize("damage", [damage_checksum, damage_size, remove_a_file, add_a_file])
def test_a_damaged_backup_is_refused_before_anything_changes(backup, damage):
    audit.record("backup.test", target_label="sau sao lưu")  # the instance moved on since the backup
    storages["private"].delete("dossiers/x/giay-to.pdf")
    storages["private"].save("dossiers/x/giay-to.pdf", ContentFile(b"%PDF-1.4 newer"))
    before = state()
    expected = damage(backup)
    message = restore(backup)
    assert "is damaged: nothing was restored" in message and expected in message
    assert state() == before
    with pytest.raises(CommandError, match="is damaged"):
        call_command("verify_backup", str(backup))


def test_verify_backup_says_an_intact_backup_is_intact(backup):
    out = io.StringIO()
    call_command("verify_backup", str(backup), stdout=out)
    assert "is intact: 3 file(s) match their checksums" in out.getvalue()


def edit_manifest(folder, change):
    path = folder / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_a_backup_of_another_database_vendor_is_refused(backup):
    edit_manifest(backup, lambda data: data.update(vendor="oracle"))
    before = state()
    assert "holds a oracle database and this instance runs on" in restore(backup)
    assert state() == before


def test_a_backup_with_migrations_the_code_does_not_know_is_refused(backup):
    edit_manifest(backup, lambda data: data["migrations"].append(["dossiers", "9999_from_the_future"]))
    before = state()
    message = restore(backup)
    assert "has migrations this code does not know" in message and "dossiers.9999_from_the_future" in message
    assert state() == before


def test_a_manifest_cannot_make_a_restore_write_outside_the_storages(backup):
    entry = {"path": "files/private/../../../etc/cron.d/x", "size": 1, "sha256": "0" * 64}
    edit_manifest(backup, lambda data: data["files"].append(entry))
    assert "'files/private/../../../etc/cron.d/x': not a path inside the backup" in restore(backup)


def test_what_is_not_a_backup_is_refused(tmp_path):
    assert "is not a Motcua backup: it has no manifest.json" in restore(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": "motcua-backup", "format_version": 7}')
    assert "this Motcua reads format 1 only" in restore(tmp_path)


def test_the_operator_may_change_their_mind(backup, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", str(backup), stdout=io.StringIO())


def test_a_backup_never_overwrites_a_folder(backup):
    with pytest.raises(CommandError, match="already exists: a backup never overwrites anything"):
        call_command("backup", str(backup))


def test_a_failed_backup_leaves_nothing_behind(tmp_path, monkeypatch):
    storages["private"].save("dossiers/x/giay-to.pdf", ContentFile(b"%PDF-1.4 private"))

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "copy_out", disk_full)
    with pytest.raises(OSError, match="No space left"):
        services.create_backup(target=tmp_path / "sao-luu" / "hom-nay")
    assert list((tmp_path / "sao-luu").iterdir()) == []
