"""Stored files in an S3-compatible bucket, as production keeps them: backed up and restored through the
storage API (moto's S3 server on loopback, the one the dossier storage tests use). The private storage is a
prefix of the public bucket (MOTCUA_S3_PRIVATE_BUCKET left unset): each file is copied once, under its own
storage."""

import io

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from motcua.backup import manifest as manifests
from motcua.dossiers.tests.test_s3_storage import KEYS, s3_endpoint  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "motcua-backup-test"


@pytest.fixture
def bucket(s3_endpoint, settings):  # noqa: F811
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region_name"],
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": KEYS["region_name"]})
    options = {"endpoint_url": s3_endpoint, "bucket_name": BUCKET, "file_overwrite": False, **KEYS}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "private", "default_acl": "private", "querystring_auth": True},
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def objects(client) -> dict[str, bytes]:
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    return {key: client.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in keys}


def test_files_in_a_bucket_are_backed_up_once_and_restored(bucket, tmp_path):
    storages["default"].save("news/2026/anh-bia.txt", ContentFile(b"public picture"))
    storages["private"].save("dossiers/a1/giay-to.pdf", ContentFile(b"%PDF-1.4 paper"))
    storages["private"].save("documents/2026/03/result-b2.pdf", ContentFile(b"%PDF-1.4 signed"))
    before = objects(bucket)
    assert set(before) == {
        "news/2026/anh-bia.txt", "private/dossiers/a1/giay-to.pdf", "private/documents/2026/03/result-b2.pdf",
    }  # fmt: skip

    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = manifests.read(tmp_path / "backup")
    assert set(manifest.storage_files("default")) == {"news/2026/anh-bia.txt"}
    private = {"dossiers/a1/giay-to.pdf", "documents/2026/03/result-b2.pdf"}
    assert set(manifest.storage_files("private")) == private

    for key in before:
        bucket.delete_object(Bucket=BUCKET, Key=key)
    bucket.put_object(Bucket=BUCKET, Key="private/dossiers/later/moi.pdf", Body=b"after the backup")
    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), "--noinput", "--prune", stdout=out)
    assert "files (private): 2 written, 0 already there; 1 not in the backup deleted" in out.getvalue()
    assert objects(bucket) == before
