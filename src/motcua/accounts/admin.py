from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import (
    ApiToken,
    BusinessProfile,
    CitizenProfile,
    ExternalIdentity,
    OfficerMembership,
    SecurityEvent,
    User,
)


class MembershipInline(admin.TabularInline):
    model = OfficerMembership
    extra = 0
    autocomplete_fields = ["agency"]


class CitizenProfileInline(admin.StackedInline):
    model = CitizenProfile
    extra = 0
    max_num = 1


class BusinessProfileInline(admin.StackedInline):
    model = BusinessProfile
    extra = 0
    max_num = 1


class ExternalIdentityInline(admin.TabularInline):
    model = ExternalIdentity
    extra = 0
    readonly_fields = ["provider", "subject", "created_at", "last_login_at"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "kind", "email", "phone", "is_active", "is_demo", "last_login"]
    list_filter = ["kind", "is_active", "is_staff", "is_superuser", "is_demo", "otp_exempt"]
    search_fields = ["username", "full_name", "email", "phone", "citizen__personal_id", "business__tax_code"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password", "kind"]}),
        (_("Contact"), {"fields": ["full_name", "email", "email_verified_at", "pending_email", "phone"]}),
        (_("Security"), {"fields": ["is_active", "otp_exempt", "is_demo"]}),
        (
            _("Permissions"),
            {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"], "classes": ["collapse"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "kind", "full_name", "email", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined", "email_verified_at", "is_demo"]
    inlines = [CitizenProfileInline, BusinessProfileInline, MembershipInline, ExternalIdentityInline]
    actions = ["unlock_accounts"]

    @admin.action(description=_("Unlock the selected accounts (failed logins)"))
    def unlock_accounts(self, request, queryset):
        count = sum(services.unlock_account(user.username, by=request.user) > 0 for user in queryset)
        self.message_user(request, ngettext("%d account unlocked.", "%d accounts unlocked.", count) % count)


@admin.register(OfficerMembership)
class OfficerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role", "agency__level", "agency__kind"]
    search_fields = ["user__username", "user__full_name", "agency__name", "agency__slug"]
    autocomplete_fields = ["user", "agency"]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["personal_id", "user", "birth_date"]
    search_fields = ["personal_id", "user__full_name", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(BusinessProfile)
class BusinessProfileAdmin(admin.ModelAdmin):
    list_display = ["tax_code", "business_name", "representative_name", "user"]
    search_fields = ["tax_code", "business_name", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "user__username", "name"]
    readonly_fields = ["user", "prefix", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    exclude = ["key_hash", "password_fingerprint"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token's value is shown only to whoever asks for it through the API

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = sum(services.revoke_api_token(t, by=request.user, request=request) for t in queryset)
        self.message_user(
            request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count, messages.SUCCESS
        )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip"]
    list_filter = ["kind"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
