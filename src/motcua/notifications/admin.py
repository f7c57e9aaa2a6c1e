"""The outbox in the admin: read-only (it is a record of what was said to whom), with "retry now"."""

from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Delivery, DeliveryAttempt, Notification


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RetryMixin:
    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.change_delivery")

    def _retried(self, request, count):
        self.message_user(
            request,
            ngettext("%d delivery queued to be sent again.", "%d deliveries queued to be sent again.", count)
            % count,
            messages.SUCCESS,
        )


class DeliveryInline(ReadOnlyMixin, admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "attachments", "attempt_history"]
    readonly_fields = fields

    @admin.display(description=_("attempts (time, result)"))
    def attempt_history(self, delivery):
        return format_html_join(
            "",
            "<div>{} · {}</div>",
            (
                (f"{attempt.at:%Y-%m-%d %H:%M:%S}", _("success") if attempt.success else attempt.error)
                for attempt in delivery.attempt_log.all()
            ),
        )


@admin.register(Notification)
class NotificationAdmin(RetryMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "topic", "title_vi", "recipient", "email", "phone", "delivery_status"]
    list_filter = ["topic", "deliveries__status", "deliveries__channel"]
    search_fields = [
        "title_vi",
        "email",
        "phone",
        "subject_id",
        "recipient__username",
        "recipient__full_name",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    inlines = [DeliveryInline]
    actions = ["retry_now"]
    fieldsets = [
        (None, {"fields": ["topic", "recipient", "email", "phone", "subject_type", "subject_id", "link"]}),
        (_("Vietnamese"), {"fields": ["title_vi", "body_vi", "sms_text"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
        (_("Dates"), {"fields": ["created_at", "read_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("deliveries")

    @admin.display(description=_("deliveries"))
    def delivery_status(self, notification):
        return ", ".join(
            f"{delivery.get_channel_display()}: {delivery.get_status_display()}"
            for delivery in notification.deliveries.all()
        )

    @admin.action(description=_("Retry the unsent deliveries now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        deliveries = Delivery.objects.filter(notification__in=queryset).values_list("pk", flat=True)
        self._retried(request, services.retry_now(deliveries))


class DeliveryAttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ["at", "success", "error"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(RetryMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at", "sent_at", "error"]
    list_filter = ["status", "channel", "notification__topic"]
    search_fields = ["notification__email", "notification__phone", "notification__subject_id"]
    list_select_related = ["notification"]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]

    @admin.display(description=_("last error"))
    def error(self, delivery):
        return Truncator(delivery.last_error).chars(80)

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        self._retried(request, services.retry_now(queryset.values_list("pk", flat=True)))
