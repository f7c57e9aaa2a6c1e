"""Engagement in the admin. Ratings: read-only, and shown to system administrators only; a rating is the
applicant's word: no officer changes or deletes it, and the agency reads its own on the back-office page.
Petitions: their terms (working days per kind) are edited here; the petitions themselves are read only,
written by their services alone (the back office's petition pages). Dialogue sessions and their questions:
read only, for system administrators (every change bumps the public revision and is recorded: the back
office's dialogue pages make them)."""

from django.contrib import admin

from .models import (
    Consultation,
    ConsultationComment,
    DialogueQuestion,
    DialogueSession,
    DossierRating,
    Petition,
    PetitionEvent,
    PetitionTerm,
)


class SuperuserReadOnly:
    """What a person wrote to the administration: read by system administrators only, written only through
    the services (a rating, a petition), never changed or deleted here."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DossierRating)
class DossierRatingAdmin(SuperuserReadOnly, admin.ModelAdmin):
    list_display = ["dossier", "agency", "overall", "rated_at"]
    list_filter = ["overall"]
    search_fields = ["dossier__code"]
    date_hierarchy = "rated_at"
    list_select_related = ["dossier", "agency"]
    readonly_fields = [f.name for f in DossierRating._meta.fields]


# --- petitions (phản ánh, kiến nghị) -----------------------------------------------------------------------


@admin.register(PetitionTerm)
class PetitionTermAdmin(admin.ModelAdmin):
    """The working days an agency has to answer each kind, with the text that sets them: data the province
    changes when the law does (the model's constraint keeps it between 1 and 90 days)."""

    list_display = ["kind", "working_days", "note"]
    fields = ["kind", "working_days", "note"]


class PetitionEventInline(admin.TabularInline):
    model = PetitionEvent
    fields = ["at", "action", "from_status", "to_status", "agency", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(SuperuserReadOnly, admin.ModelAdmin):
    """Petitions, read only and for system administrators: they hold their senders' personal data, and
    every change is a step of ``services.petitions`` (recorded, audited, the sender told), which the
    back office's pages take; none is made here."""

    list_display = ["code", "kind", "status", "agency", "received_at", "due_at"]
    list_filter = [
        "kind",
        "status",
        "category",
        "consent_to_publish",
        ("agency", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code"]
    date_hierarchy = "received_at"
    list_select_related = ["agency"]
    # Everything but the search column (derived) and the foreign keys' full lists (read-only anyway).
    readonly_fields = [f.name for f in Petition._meta.fields if f.name != "published_search"]
    exclude = ["published_search"]
    inlines = [PetitionEventInline]


# --- dialogue sessions (đối thoại trực tuyến) --------------------------------------------------------------


@admin.register(DialogueSession)
class DialogueSessionAdmin(SuperuserReadOnly, admin.ModelAdmin):
    list_display = ["title", "organiser", "starts_at", "ends_at", "announced_at", "revision"]
    date_hierarchy = "starts_at"
    list_select_related = ["organiser"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in DialogueSession._meta.fields]


@admin.register(DialogueQuestion)
class DialogueQuestionAdmin(SuperuserReadOnly, admin.ModelAdmin):
    """The askers' phones are personal data: read by system administrators only."""

    list_display = ["pk", "session", "asker_name", "status", "submitted_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["session"]
    readonly_fields = [f.name for f in DialogueQuestion._meta.fields if f.name != "search_text"]
    exclude = ["search_text"]


# --- consultations on drafts (góp ý dự thảo): read only, written by their services (the back office) --------


@admin.register(Consultation)
class ConsultationAdmin(SuperuserReadOnly, admin.ModelAdmin):
    list_display = ["title", "agency", "opens_at", "closes_at", "published_at", "responses_published_at"]
    search_fields = ["title"]
    list_select_related = ["agency"]
    readonly_fields = [f.name for f in Consultation._meta.fields]


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(SuperuserReadOnly, admin.ModelAdmin):
    list_display = ["consultation", "article", "author_name", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["consultation", "article"]
    readonly_fields = [f.name for f in ConsultationComment._meta.fields]
