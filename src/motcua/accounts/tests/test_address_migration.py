"""Migration 0003 (issue 9): each profile's one-line address becomes its parts, and nothing typed is lost."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_apitoken_expiry_and_password_fingerprint")]
AFTER = [("accounts", "0003_profile_address_parts")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_each_address_into_its_parts():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User")
    profile = old.get_model("accounts", "CitizenProfile")
    lines = {
        "030090012345": "Số 12 đường Lê Lợi, phường Hải An, tỉnh Hải Đông",
        "030301004567": "Thôn 3, Xã Tân Phong",
        "001190012345": "Nhà 5 ngõ 2, somewhere abroad",
    }
    for i, (number, line) in enumerate(lines.items()):
        account = user.objects.create(username=number, password="!")
        profile.objects.create(
            user=account, personal_id=number, birth_date=date(1990, 1, 1 + i), address=line
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("accounts", "CitizenProfile")
        parts = {
            p.personal_id: (p.address_province, p.address_commune, p.address_detail)
            for p in new.objects.all()
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert parts == {
        "030090012345": ("99", "001.00.30.H99", "Số 12 đường Lê Lợi"),
        "030301004567": ("99", "004.00.30.H99", "Thôn 3"),
        "001190012345": ("", "", "Nhà 5 ngõ 2, somewhere abroad"),
    }
