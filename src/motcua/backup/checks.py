"""The checks a restore ends with: the audit log's hash chain holds, and every file a model refers to is
in its storage with the size the backup recorded."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from motcua.audit.selectors import verify_chain

from .files import layout, place
from .manifest import Manifest


@dataclass
class Findings:
    audit_ok: bool = False
    audit_message: str = ""
    referenced: int = 0
    fields: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.audit_ok and not self.problems


def file_fields():
    """``(model, field)`` for every FileField (ImageField included) of every installed model."""
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                yield model, model_field


def _sizes_by_place(manifest: Manifest) -> dict[str, dict[str, int]]:
    """The sizes the backup recorded, by the place (folder or bucket) of each storage."""
    from django.core.files.storage import storages

    result = {}
    for alias, plan in layout().items():
        source = plan.get("same_as", alias)
        result[place(storages[alias])] = {name: e.size for name, e in manifest.storage_files(source).items()}
    return result


def run(manifest: Manifest) -> Findings:
    findings = Findings()
    chain = verify_chain()
    findings.audit_ok, findings.audit_message = chain.ok, chain.message
    sizes = _sizes_by_place(manifest)
    for model, model_field in file_fields():
        findings.fields += 1
        storage, label = model_field.storage, f"{model._meta.label}.{model_field.name}"
        recorded = sizes.get(place(storage), {})
        stored = model._base_manager.exclude(**{model_field.attname: ""}).exclude(
            **{f"{model_field.attname}__isnull": True}
        )
        for pk, name in stored.values_list("pk", model_field.attname).iterator():
            findings.referenced += 1
            if not storage.exists(name):
                findings.problems.append(f"{label} of #{pk}: {name} is missing")
            elif name in recorded and storage.size(name) != recorded[name]:
                findings.problems.append(
                    f"{label} of #{pk}: {name} is {storage.size(name)} bytes, the backup had {recorded[name]}"
                )
    return findings
