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
    assert admin.dossier_code(receipt) == receipt.dossier.code
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
    assert receipt.dossier.code in response.content.decode()


def test_the_admin_names_documents_in_vietnamese():
    with translation.override("vi"):
        assert str(Document._meta.verbose_name_plural) == "tài liệu"
        assert str(DocumentKind.RECEIPT.label) == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
