"""What the live hub reads: the revisions of the sessions the public may watch, and, for a page at some
revision, the event that brings it up to date, rendered with the session page's own fragments (escaped by
the templates, as on the page) in the viewer's language."""

import json

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from motcua.engagement.selectors import dialogues as selectors

from .hub import Source

END = b"event: end\ndata: {}\n\n"


class DialogueSource(Source):
    def revisions(self, session_ids: list[int]) -> dict[int, int]:
        return selectors.public_revisions(session_ids)

    def message(self, session_id: int, after: int, language: str) -> bytes:
        session = selectors.public_session(session_id)
        if session is None:  # withdrawn from the public meanwhile: the page stops listening
            return END
        with translation.override(language):
            changes = selectors.updates_after(session, after)
            payload = {
                "revision": changes["revision"],
                "items": items(changes),
                "announce": announcement(changes),
            }
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return f"id: {changes['revision']}\nevent: update\ndata: {data}\n\n".encode()


def items(changes: dict) -> list[dict]:
    """Each answered question that changed (its commitments within it), then each commitment that changed,
    as the page renders them; the page puts each in place of the element with its id, or adds it."""
    today = timezone.localdate()
    rendered = [
        {
            "id": f"cau-hoi-{question.pk}",
            "html": render_to_string("portal/dialogues/_question.html", {"q": question}).strip(),
        }
        for question in changes["questions"]
    ]
    rendered += [
        {
            "id": f"cam-ket-{commitment.pk}",
            "list": "cam-ket-danh-sach",
            "html": render_to_string(
                "portal/dialogues/_commitment.html", {"c": commitment, "today": today}
            ).strip(),
        }
        for commitment in changes["commitments"]
    ]
    return rendered


def announcement(changes: dict) -> str:
    """What a screen reader says (the page's polite live region)."""
    answered = len(changes["questions"])
    if not answered:
        return ""
    return ngettext(
        "%(count)d answer has just been published.", "%(count)d answers have just been published.", answered
    ) % {"count": answered}
