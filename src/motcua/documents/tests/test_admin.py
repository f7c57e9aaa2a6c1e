"""Issued documents in the admin: a read-only list for system administrators."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import translation

from motcua.accounts.models import User
from motcua.documents.models import Document, DocumentKind
from motcua.documents.services import store_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(dossier):
    return store_document(dossier, "receipt", b"%PDF-1.7 receipt")


def request_by(user):
    request = RequestFactory().get("/admin/documents/document/")
    request.user = user
    return request


def test_a_superuser_sees_the_list_and_can_change_nothing(receipt):
    admin = site._registry[Document]
    root = User.objects.create_superuser("quantri", "quantri@example.vn", None)
    request = request_by(root)

    changelist = admin.get_changelist_instance(request)
    assert list(changelist.get_queryset(request)) == [receipt]
    assert admin.about(receipt) == receipt.subject.code == str(receipt.subject)
    assert admin.has_view_permission(request, receipt)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, receipt)
    assert not admin.has_delete_permission(request, receipt)


def test_staff_who_are_not_superusers_do_not_see_documents(receipt):
    admin = site._registry[Document]
    staff = User.objects.create_user("nhanvien", is_staff=True)
    assert not admin.has_module_permission(request_by(staff))
    assert not admin.has_view_permission(request_by(staff), receipt)


def test_the_list_page_opens_for_a_superuser(client, receipt):
    root = User.objects.create_superuser("quantri", "quantri@example.vn", None)
    client.force_login(root)
    response = client.get("/admin/documents/document/")
    assert response.status_code == 200
    assert receipt.subject.code in response.content.decode()


def test_the_admin_names_documents_in_vietnamese():
    with translation.override("vi"):
        assert str(Document._meta.verbose_name_plural) == "tài liệu"
        assert str(DocumentKind.RECEIPT.label) == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


# --- signing certificates ---------------------------------------------------------------------------------


def test_an_administrator_registers_a_pkcs12_file_and_its_facts_are_read_from_it(
    client, demo_pki, tmp_path, monkeypatch
):
    from motcua.catalog.tests.factories import make_agency
    from motcua.documents import pki
    from motcua.documents.models import SigningCertificate

    from .test_pki import production_pkcs12

    agency = make_agency(code="000.00.70.H99", name="Ủy ban nhân dân xã Đông Sơn")
    demo = pki.ensure_demo_certificate(agency)
    path, certificate = production_pkcs12(tmp_path, agency)
    monkeypatch.setenv("DONGSON_P12_PASS", "mat-khau-that")
    client.force_login(User.objects.create_superuser("quantri", "quantri@example.vn", None))
    url = "/admin/documents/signingcertificate/add/"
    assert client.get(url).status_code == 200

    form = {"agency": agency.pk, "source": "file", "path": str(path), "secret_env": "WRONG_VARIABLE"}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "Cannot read the PKCS#12 file" in refused.content.decode()

    response = client.post(url, {**form, "secret_env": "DONGSON_P12_PASS"})
    assert response.status_code == 302
    registered = SigningCertificate.objects.get(is_active=True, agency=agency)
    assert registered.fingerprint == pki.fingerprint(certificate)
    assert registered.subject == "CN=Ủy ban nhân dân xã Đông Sơn"
    assert registered.secret_env == "DONGSON_P12_PASS"  # the name of the variable, never its value
    demo.refresh_from_db()
    assert not demo.is_active
