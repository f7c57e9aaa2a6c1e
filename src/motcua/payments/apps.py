from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from . import listeners, loadtest, mail, registry  # noqa: F401  (mail: the receipt's attachment maker)
        from .contrib.vietqr.plugin import VietQRGateway
        from .contrib.vnpay.plugin import VNPayGateway
        from .contrib.vnpay.sandbox import SandboxGateway

        registry.register(VNPayGateway())
        registry.register(SandboxGateway())
        registry.register(VietQRGateway())
        listeners.connect()
        loadtest.connect()  # charges and payments of the dossiers ``seed_load`` writes
