"""The desk's own booking (gửi tại quầy bưu điện): a desk officer takes the parcel to the post-office
counter and types the tracking number it was given; delivery is confirmed by the desk as well."""

from django.utils.translation import gettext_lazy as _

from ...registry import PostalService, register


@register.register
class ManualPostalService(PostalService):
    key = "manual"
    label = _("Booked at the post-office counter by the desk")
    books_itself = False

    def book(self, shipment) -> str:
        return ""  # nothing to call: the desk enters the number (services.enter_tracking)
