from django.urls import path

from . import (
    consultation_views,
    finance_views,
    payment_views,
    petition_views,
    rating_views,
    shipment_views,
    stats_views,
    views,
)

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:agency>/tiep-nhan/", views.choose_procedure, name="choose_procedure"),
    path("<slug:agency>/tiep-nhan/<str:code>/", views.register, name="register"),
    path("ho-so/<str:reference>/", views.dossier, name="dossier"),
    path("ho-so/<str:reference>/thao-tac/", views.act, name="act"),
    path("ho-so/<str:reference>/hoan-tien/<str:payment>/", payment_views.refund, name="refund"),
    path("ho-so/<str:reference>/bien-lai/<str:payment>/", payment_views.receipt, name="payment_receipt"),
    path("ho-so/<str:reference>/mien-phi/<int:charge>/", payment_views.waive, name="waive"),
    path("ho-so/<str:reference>/y-kien/", views.add_comment, name="comment"),
    path("ho-so/<str:reference>/phieu/<slug:kind>/", views.slip, name="slip"),
    path("ho-so/<str:reference>/ket-qua/", views.result, name="result"),
    path("ho-so/<str:reference>/phe-duyet/", views.approval, name="approval"),
    path("ho-so/<str:reference>/phe-duyet/du-thao.pdf", views.result_draft, name="result_draft"),
    path("so-theo-doi/", views.register_book, name="register_book"),
    path("danh-gia/", rating_views.ratings, name="ratings"),
    path("phan-anh/", petition_views.petitions, name="petitions"),
    path("phan-anh/<str:code>/", petition_views.petition, name="petition"),
    path("phan-anh/<str:code>/thao-tac/", petition_views.act, name="petition_act"),
    path("phan-anh/<str:code>/tep/<int:number>/", petition_views.attachment, name="petition_attachment"),
    # Consultations on drafts (góp ý dự thảo).
    path("gop-y/", consultation_views.consultations, name="consultations"),
    path("gop-y/moi/", consultation_views.create, name="consultation_create"),
    path("gop-y/<int:pk>/", consultation_views.consultation, name="consultation"),
    path("gop-y/<int:pk>/sua/", consultation_views.edit, name="consultation_edit"),
    path("gop-y/<int:pk>/cong-bo/", consultation_views.publish, name="consultation_publish"),
    path("gop-y/<int:pk>/y-kien/<int:comment>/", consultation_views.act, name="consultation_act"),
    path(
        "gop-y/<int:pk>/cong-khai-giai-trinh/",
        consultation_views.publish_responses,
        name="consultation_publish_responses",
    ),
    path("gop-y/<int:pk>/bao-cao.<str:extension>", consultation_views.report, name="consultation_report"),
    path("thanh-toan/", finance_views.finance, name="finance"),
    path("thong-ke/", stats_views.statistics, name="stats"),
    path("thong-ke/ho-so/", stats_views.dossiers, name="stats_dossiers"),
    path("thong-ke/bao-cao-dinh-ky/", stats_views.periodic_report, name="stats_report"),
    path("thanh-toan/sao-ke/", finance_views.import_statement, name="finance_statement"),
    path("ho-so/<str:reference>/xin-loi/", views.send_apology, name="send_apology"),
    path("ho-so/<str:reference>/giay-tiep-nhan/", views.receipt, name="receipt"),
    path("ho-so/<str:reference>/buu-gui/so-hieu/", shipment_views.tracking, name="shipment_tracking"),
    path("ho-so/<str:reference>/buu-gui/trang-thai/", shipment_views.status, name="shipment_status"),
]
