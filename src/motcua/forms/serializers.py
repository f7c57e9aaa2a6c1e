"""JSON shapes of online forms in the public API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.catalog.serializers import CopiesSerializer  # the same shape as in the procedure record

from .models import FormKind


class FormComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="component.id", help_text="Send this id with the file of this paper."
    )
    order = serializers.IntegerField(
        source="component.order", help_text="What file fields name in x-component."
    )
    name = serializers.CharField(source="component.name")
    required = serializers.BooleanField(source="component.is_required")
    copies = serializers.SerializerMethodField()
    field = serializers.CharField(allow_null=True, help_text="The form's file field for this paper, if any.")

    @extend_schema_field(CopiesSerializer)
    def get_copies(self, item) -> dict:
        c = item["component"]
        return {
            "originals": c.originals,
            "certified_copies": c.certified_copies,
            "photocopies": c.photocopies,
        }


class OnlineFormSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=FormKind.choices,
        help_text="bespoke: written for the procedure; generic: built from its dossier components.",
    )
    schema = serializers.JSONField(help_text="JSON Schema 2020-12 of the data, with x- annotations.")
    ui = serializers.JSONField(help_text="Field order, labels (vi, en), help texts, widgets, steps.")
    components = FormComponentSerializer(many=True)


class ValidateRequestSerializer(serializers.Serializer):
    data = serializers.JSONField(help_text="The form data, shaped as the schema says.")
    files = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Ids of the components that have a file; when given, missing required files are errors.",
    )


class ValidResponseSerializer(serializers.Serializer):
    valid = serializers.BooleanField()


class CommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ProvinceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    communes = CommuneSerializer(
        many=True, help_text="Listed for the demo province only; elsewhere typed in."
    )
