from django.urls import path

from motcua.catalog.selectors import catalogue_revision
from motcua.core.pagecache import cache_public_page
from motcua.engagement.selectors import dialogues as dialogue_selectors

from . import (
    consultation_views,
    dialogue_views,
    dossier_views,
    form_views,
    payment_views,
    petition_views,
    stats_views,
    store_views,
    views,
)

app_name = "portal"

# Catalogue pages are the same for every anonymous visitor; cached until the catalogue changes.
cached = cache_public_page(catalogue_revision)
# The home page shows the year's live figures too: kept a minute at most.
live = cache_public_page(catalogue_revision, seconds=stats_views.LIVE_SECONDS)
dialogues_listed = cache_public_page(dialogue_selectors.listing_revision)

urlpatterns = [
    path("", live(views.home), name="home"),
    path("thu-tuc/", cached(views.search), name="search"),
    path("thu-tuc/<str:code>/", cached(views.procedure_detail), name="procedure_detail"),
    path("co-quan/", cached(views.agency_list), name="agency_list"),
    path("co-quan/<slug:slug>/", cached(views.agency_detail), name="agency_detail"),
    path("linh-vuc/", cached(views.sector_list), name="sector_list"),
    path("linh-vuc/<slug:slug>/", cached(views.sector_detail), name="sector_detail"),
    path("thu-tuc/<str:code>/nop-ho-so/", form_views.start, name="dossier_start"),
    path("ho-so/", dossier_views.my_dossiers, name="my_dossiers"),
    path("ho-so/<str:reference>/", dossier_views.detail, name="dossier_detail"),
    path("ho-so/<str:reference>/soan/", form_views.edit, name="dossier_edit"),
    path("ho-so/<str:reference>/xem-lai/", form_views.review, name="dossier_review"),
    path("ho-so/<str:reference>/xoa/", dossier_views.delete, name="dossier_delete"),
    path("ho-so/<str:reference>/giay-tiep-nhan/", dossier_views.receipt, name="dossier_receipt"),
    path("ho-so/<str:reference>/tep/<uuid:attachment>/", dossier_views.attachment_file, name="dossier_file"),
    path("ho-so/<str:reference>/bo-sung/", dossier_views.supplement, name="dossier_supplement"),
    path("ho-so/<str:reference>/rut/", dossier_views.withdraw, name="dossier_withdraw"),
    path("ho-so/<str:reference>/danh-gia/", dossier_views.rate, name="dossier_rate"),
    path("ho-so/<str:reference>/thanh-toan/", payment_views.checkout, name="dossier_checkout"),
    path("ho-so/<str:reference>/bien-lai/<str:payment>/", payment_views.receipt, name="payment_receipt"),
    path("ho-so/<str:reference>/ket-qua/", dossier_views.result_file, name="dossier_result"),
    path("ho-so/<str:reference>/phieu/<slug:kind>/", dossier_views.slip_file, name="dossier_slip"),
    path("kho-du-lieu/", store_views.document_store, name="document_store"),
    path("kho-du-lieu/<int:entry>/sua/", store_views.update_entry, name="document_store_update"),
    path("kho-du-lieu/<int:entry>/xoa/", store_views.remove_entry, name="document_store_remove"),
    path("kho-du-lieu/<int:entry>/tep/", store_views.entry_file, name="document_store_file"),
    path("tra-cuu/", dossier_views.tracking, name="tracking"),
    # Statistics cache their pages themselves (a minute: live figures), never their downloads.
    path("thong-ke/", stats_views.overview, name="stats"),
    path("thong-ke/co-quan/<slug:slug>/", stats_views.agency, name="stats_agency"),
    path("thong-ke/linh-vuc/<slug:slug>/", stats_views.sector, name="stats_sector"),
    path("thong-ke/thu-tuc/<str:code>/", stats_views.procedure, name="stats_procedure"),
    # Petitions and feedback (phản ánh, kiến nghị). Published answers are not catalogue data: their list is
    # kept a minute at most. The fixed addresses come before the code; tra-cuu/?ma= is the e-mails' link.
    path("phan-anh-kien-nghi/", live(petition_views.answers), name="petitions"),
    path("phan-anh-kien-nghi/gui/", petition_views.send, name="petition_send"),
    path("phan-anh-kien-nghi/da-gui/<str:code>/", petition_views.receipt, name="petition_receipt"),
    path("phan-anh-kien-nghi/tra-cuu/", petition_views.tracking, name="petition_tracking"),
    path("phan-anh-kien-nghi/tra-cuu/<str:code>/danh-gia/", petition_views.rate, name="petition_rate"),
    path("phan-anh-kien-nghi/cua-toi/", petition_views.mine, name="my_petitions"),
    path("phan-anh-kien-nghi/<str:code>/", petition_views.answer, name="petition_answer"),
    # Online dialogue sessions (đối thoại trực tuyến). Their list is cached under a token that changes with
    # every announcement, answer, start and end; a session's own page is never cached (live answers).
    path("doi-thoai/", dialogues_listed(dialogue_views.sessions), name="dialogues"),
    path("doi-thoai/<int:pk>/", dialogue_views.session, name="dialogue"),
    path("doi-thoai/<int:pk>/hoi/", dialogue_views.ask, name="dialogue_ask"),
    path("doi-thoai/<int:pk>/da-gui/", dialogue_views.sent, name="dialogue_sent"),
    # Consultations on drafts (góp ý dự thảo): their pages change with every approved comment; not cached.
    path("gop-y-du-thao/", consultation_views.consultations, name="consultations"),
    path("gop-y-du-thao/<int:pk>/", consultation_views.consultation, name="consultation"),
    path("ngon-ngu/<str:code>/", views.switch_language, name="switch_language"),
]
