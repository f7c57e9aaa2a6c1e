from django.urls import path

from . import api, finance_api

urlpatterns = [
    path("dossiers/<str:reference>/payments/", api.DossierPaymentsView.as_view(), name="dossier-payments"),
    path("dossiers/<str:reference>/charges/", api.ChargeRequestView.as_view(), name="dossier-charges"),
    path("payments/totals/", finance_api.TotalsView.as_view(), name="payment-totals"),
    path("payments/statements/", finance_api.StatementImportView.as_view(), name="payment-statements"),
    path("payments/<str:id>/", api.PaymentDetailView.as_view(), name="payment-detail"),
    path("payments/<str:id>/receipt/", api.PaymentReceiptView.as_view(), name="payment-receipt"),
    path("payments/<str:id>/refund/", api.RefundView.as_view(), name="payment-refund"),
]
