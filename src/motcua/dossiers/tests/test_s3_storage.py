"""Dossier papers in an S3-compatible bucket through django-storages, as production stores them.

The bucket lives in a local S3 server (moto's, over real HTTP on loopback) that the test starts and stops;
the storage is configured exactly as ``settings.py`` does when ``MOTCUA_S3_PRIVATE_BUCKET`` is set.
"""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from storages.backends.s3 import S3Storage

from motcua.dossiers import services
from motcua.dossiers.models import Attachment

from .fixtures import pdf_bytes, upload

MOTO = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
KEYS = {"access_key": "motcua-test", "secret_key": "motcua-test-secret", "region_name": "ap-southeast-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)], stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def private_bucket(s3_endpoint):
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region_name"],
    )  # fmt: skip
    client.create_bucket(
        Bucket="motcua-private", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
    )
    storage = S3Storage(
        endpoint_url=s3_endpoint, bucket_name="motcua-private", location="private", default_acl="private",
        querystring_auth=True, file_overwrite=False, **KEYS,
    )  # fmt: skip
    # The field took its storage when the model loaded (settings' "private" alias): point it at the bucket.
    field = Attachment._meta.get_field("file")
    previous, field.storage = field.storage, storage
    yield client
    field.storage = previous
    for item in client.list_objects_v2(Bucket="motcua-private").get("Contents", []):
        client.delete_object(Bucket="motcua-private", Key=item["Key"])
    client.delete_bucket(Bucket="motcua-private")


def test_an_attachment_is_stored_in_the_private_bucket_and_read_back(
    private_bucket, citizen, procedure, online_form, valid_data
):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    content = pdf_bytes()
    attachment = services.add_attachment(draft, component_order=1, upload=upload(content), by=citizen)
    key = f"private/dossiers/{draft.uuid}/{attachment.uuid}.pdf"
    stored = private_bucket.get_object(Bucket="motcua-private", Key=key)
    assert stored["Body"].read() == content
    with attachment.file.open("rb") as fh:
        assert fh.read() == content
    # Nothing public: the object has no grant to everyone.
    grants = private_bucket.get_object_acl(Bucket="motcua-private", Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]


def test_a_refused_file_leaves_nothing_in_the_bucket(private_bucket, citizen, procedure, online_form):
    draft = services.create_draft(procedure=procedure, applicant=citizen)
    with pytest.raises(Exception):  # noqa: B017 - the ValidationError itself is tested elsewhere
        services.add_attachment(draft, component_order=1, upload=upload(b"MZ\x90\x00", "x.pdf"), by=citizen)
    assert private_bucket.list_objects_v2(Bucket="motcua-private").get("KeyCount", 0) == 0


def test_the_settings_wire_the_private_storage_to_the_bucket(private_bucket, s3_endpoint, tmp_path):
    """What an operator sets in the environment is what the process uses (a fresh process reads it)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_S3_PRIVATE_BUCKET": "motcua-private",
        "MOTCUA_S3_ENDPOINT_URL": s3_endpoint,
        "MOTCUA_S3_ACCESS_KEY": KEYS["access_key"],
        "MOTCUA_S3_SECRET_KEY": KEYS["secret_key"],
        "MOTCUA_S3_REGION": KEYS["region_name"],
    }
    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import storages\n"
        "print(storages['private'].save('probe.txt', ContentFile(b'hai dong')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "probe.txt"
    body = private_bucket.get_object(Bucket="motcua-private", Key="private/probe.txt")["Body"].read()
    assert body == b"hai dong"
