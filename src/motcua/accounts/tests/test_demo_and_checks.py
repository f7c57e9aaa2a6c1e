"""Demo accounts (idempotent, never changing an existing account) and the production check motcua.E001."""

import pytest
from django.contrib.auth import authenticate
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from motcua.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts, processing_agencies
from motcua.accounts.models import OfficerMembership, User
from motcua.catalog.demo import load_demo

from .conftest import login

pytestmark = pytest.mark.django_db

PROCESSING = {
    "tthcc-tinh", "so-noi-vu", "so-tai-chinh", "so-tu-phap", "so-xay-dung", "so-nnmt", "so-y-te", "so-gddt",
    "ubnd-phuong-hai-an", "ca-phuong-hai-an", "ubnd-phuong-dong-thanh", "ca-phuong-dong-thanh",
    "ubnd-phuong-ngoc-lam", "ca-phuong-ngoc-lam", "ubnd-xa-tan-phong", "ca-xa-tan-phong", "ubnd-xa-dong-son",
    "ca-xa-dong-son", "ubnd-xa-binh-minh", "ubnd-xa-hoa-tien", "ubnd-xa-cam-giang", "ubnd-dac-khu-hon-suong",
    "ca-dac-khu-hon-suong", "cong-an-tinh", "pa08-ca-tinh",
}  # fmt: skip


@pytest.fixture
def demo(db):
    load_demo(forms=False)
    return ensure_demo_accounts()


def test_the_demo_accounts(demo):
    assert set(processing_agencies().values_list("slug", flat=True)) == PROCESSING
    expected = (
        {"admin", "congdan", "congdan2", "doanhnghiep"}
        | {
            f"{prefix}.{slug}"
            for slug in PROCESSING
            for prefix in ("motcua", "chuyenvien", "lanhdao", "vanthu", "ketoan", "xuly")
        }
        | {"tiepnhan.ubnd-tinh"}
    )
    assert set(demo.created) == expected and demo.skipped == []
    assert set(User.objects.values_list("username", flat=True)) == expected
    assert not User.objects.filter(is_demo=False).exists()
    citizen = User.objects.get(username="congdan").citizen
    assert citizen.address_value == {
        "province": "99",
        "commune": "001.00.30.H99",
        "detail": "Số 12 đường Lê Lợi",
    }
    assert citizen.address == "Số 12 đường Lê Lợi, Phường Hải An, Tỉnh Hải Đông"
    assert User.objects.get(username="doanhnghiep").business.tax_code == "0109998883"
    desk = OfficerMembership.objects.get(user__username="motcua.tthcc-tinh")
    assert desk.role == "desk" and desk.agency.slug == "tthcc-tinh"
    assert OfficerMembership.objects.get(user__username="lanhdao.ca-xa-tan-phong").role == "leader"
    assert not User.objects.filter(username="motcua.ubnd-tinh").exists()
    assert OfficerMembership.objects.get(user__username="tiepnhan.ubnd-tinh").role == "moderator"


def test_every_demo_account_signs_in_with_the_demo_password_without_a_code(client, demo):
    for username, landing in [
        ("admin", "/tai-khoan/"),
        ("congdan", "/tai-khoan/"),
        ("congdan2", "/tai-khoan/"),
        ("doanhnghiep", "/tai-khoan/"),
        ("motcua.tthcc-tinh", "/mot-cua/"),  # officers land on their queues
        ("chuyenvien.so-tu-phap", "/mot-cua/"),
    ]:
        assert login(client, username, DEMO_PASSWORD)["Location"] == landing, username
        client.post("/tai-khoan/dang-xuat/")


def test_a_second_run_changes_nothing_and_keeps_edits(demo):
    officer = User.objects.get(username="motcua.so-y-te")
    officer.set_password("Another@Secret1")
    officer.full_name = "Bà Hoa"
    officer.save()
    OfficerMembership.objects.filter(user=officer).delete()
    again = ensure_demo_accounts()
    assert again.created == [] and len(again.skipped) == len(demo.created)
    officer.refresh_from_db()
    assert officer.full_name == "Bà Hoa" and not OfficerMembership.objects.filter(user=officer).exists()
    request = RequestFactory().post("/")
    assert authenticate(request, username="motcua.so-y-te", password="Another@Secret1") is not None


def test_load_demo_creates_the_accounts(db, capsys):
    call_command("load_demo", "--no-forms")
    assert User.objects.filter(username="lanhdao.ubnd-xa-binh-minh").exists()
    call_command("load_demo", "--no-forms")
    assert (
        User.objects.filter(is_demo=True).count() == 4 + 6 * len(PROCESSING) + 1
    )  # and the reception of petitions


def e001(errors):
    return [e for e in errors if e.id == "motcua.E001"]


def test_production_refuses_to_run_with_demo_accounts(db, settings):
    ensure_demo_accounts()  # no agencies: admin, citizens and business only
    settings.DEBUG = True  # a demonstration site
    assert e001(run_checks()) == []
    settings.DEBUG = False
    found = e001(run_checks(include_deployment_checks=True))
    assert found and "admin" in found[0].msg
    with pytest.raises(SystemCheckError, match=r"motcua\.E001"):
        call_command("check", "--deploy")
    User.objects.filter(is_demo=True).delete()
    assert e001(run_checks(include_deployment_checks=True)) == []


def test_the_demo_site_may_keep_its_demo_accounts_with_debug_off(db, settings):
    """``make run`` serves the demo as production does (DEBUG=0) and says it is the demo (MOTCUA_DEMO=1)."""
    ensure_demo_accounts()
    settings.DEBUG = False
    settings.MOTCUA_DEMO = True
    assert e001(run_checks(include_deployment_checks=True)) == []
    settings.MOTCUA_DEMO = False
    assert e001(run_checks(include_deployment_checks=True))
