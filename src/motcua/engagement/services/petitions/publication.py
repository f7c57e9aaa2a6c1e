"""Công khai trả lời: with its sender's consent, an answered petition is published: its subject, question and
answer as the public will read them, which a moderator or leader may rewrite, and which must hold no personal
data (``privacy``: the sender's ID number, phone, e-mail and name, and anything shaped like an ID number, a
phone number or an e-mail address). Unpublishing takes it off the public pages, with the reason recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.text import fold

from ... import privacy
from ...models import Petition, PetitionAction
from .common import ANSWER_LENGTH, NOTE_LENGTH, check, clean_text, locked, step

A = PetitionAction


def publish(
    petition: Petition, *, by, subject: str | None = None, question: str | None = None,
    answer: str | None = None, request=None,
) -> Petition:  # fmt: skip
    """Công khai: publish the answered petition (its sender agreed), with the texts given, by default its
    own. Refused (ValidationError by field, each finding named) while a text holds personal data."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.PUBLISH, by)
        errors: dict[str, list] = {}
        texts = {
            "subject": clean_text(row.subject if subject is None else subject, field="subject", low=5,
                                  high=200, errors=errors),
            "question": clean_text(row.content if question is None else question, field="question", low=20,
                                   high=ANSWER_LENGTH, errors=errors),
            "answer": clean_text(row.answer if answer is None else answer, field="answer", low=20,
                                 high=ANSWER_LENGTH, errors=errors),
        }  # fmt: skip
        for field, text in texts.items():
            found = privacy.personal_data(
                text, name=row.sender_name, email=row.sender_email, phone=row.sender_phone,
                personal_id=row.sender_personal_id,
            )  # fmt: skip
            if found:
                errors.setdefault(field, []).append(
                    _("Remove the personal data before publishing: %(found)s.")
                    % {"found": "; ".join(f"{f.label} ({_masked(f.text)})" for f in found)}
                )
        if errors:
            raise ValidationError(errors)
        row.published_subject, row.published_question = texts["subject"], texts["question"]
        row.published_answer, row.published_at = texts["answer"], timezone.now()
        row.published_search = fold(" ".join(texts.values()))
        return step(row, A.PUBLISH, by=by, from_status=row.status, request=request)


def unpublish(petition: Petition, *, by, note: str, request=None) -> Petition:
    """Gỡ công khai: off the public pages; why (required) stays on the record."""
    with transaction.atomic():
        row = locked(petition)
        check(row, A.UNPUBLISH, by)
        note = clean_text(note, field="note", low=5, high=NOTE_LENGTH)
        row.published_at = None
        return step(row, A.UNPUBLISH, by=by, from_status=row.status, note=note, request=request)


def _masked(text: str) -> str:
    """Enough of what was found for the moderator to find it, not all of it (the error is logged too)."""
    return text if len(text) <= 4 else f"{text[:3]}…{text[-2:]}"
