"""Rendering a notification once in Vietnamese and once in English, and putting the two into an e-mail.

A notification template is a folder ``notifications/<name>/`` with ``subject.txt`` and ``body.txt`` (and
optionally ``body.html`` and ``sms.txt``) whose strings are English in ``{% translate %}`` tags: the same
files render in each language under ``translation.override``. Every template also gets ``site_name``,
``site_url``, ``link`` and ``link_url`` (the link as an absolute URL, for e-mails read outside the portal).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# Vietnamese first: the official language, and the default of the site.
LANGUAGES = ("vi", "en")
TITLE_LENGTH = 255
SMS_LENGTH = 480
EMAIL_SEPARATOR = "-" * 60


@dataclass(frozen=True)
class Rendered:
    title_vi: str
    title_en: str
    body_vi: str
    body_en: str
    body_html: str
    sms_text: str


def site_url() -> str:
    """The portal's public address, without a trailing slash (``MOTCUA_PUBLIC_URL``)."""
    return settings.MOTCUA_PUBLIC_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``/ho-so/ABC/`` as ``https://<portal>/ho-so/ABC/``; a full URL or an empty value stays as it is."""
    path = str(path or "")
    return f"{site_url()}{path}" if path.startswith("/") else path


def render(template: str, context: dict, *, link: str = "", sms: bool = False) -> Rendered:
    """Render ``notifications/<template>/`` in both languages (and the Vietnamese SMS when ``sms``)."""
    context = {
        "site_name": settings.MOTCUA_SITE_NAME,
        "site_url": site_url(),
        "link": link,
        "link_url": absolute_url(link),
        **context,
    }
    folder = f"notifications/{template}"
    titles, bodies, htmls = {}, {}, {}
    for language in LANGUAGES:
        with translation.override(language):
            title = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
            titles[language] = Truncator(title).chars(TITLE_LENGTH)
            bodies[language] = _tidy(render_to_string(f"{folder}/body.txt", context))
            html = _render_optional(f"{folder}/body.html", context)
            if html:
                html += render_to_string("notifications/email_footer.html", context)
            htmls[language] = html
    body_html = ""
    if htmls["vi"]:
        body_html = render_to_string(
            "notifications/email.html",
            {
                "title": titles["vi"],
                # Each part was rendered by a template with autoescaping on.
                "parts": [(language, mark_safe(htmls[language])) for language in LANGUAGES],
            },
        )
    sms_text = ""
    if sms:
        with translation.override("vi"):
            sms_text = _render_optional(f"{folder}/sms.txt", context)
        sms_text = sms_text or f"{titles['vi']} {context['link_url']}"
        sms_text = Truncator(" ".join(sms_text.split())).chars(SMS_LENGTH)
    return Rendered(
        title_vi=titles["vi"],
        title_en=titles["en"],
        body_vi=bodies["vi"],
        body_en=bodies["en"],
        body_html=body_html,
        sms_text=sms_text,
    )


def email_subject(notification) -> str:
    if notification.title_vi == notification.title_en:
        return notification.title_vi
    return f"{notification.title_vi} / {notification.title_en}"


def email_text(notification, *, attached=()) -> str:
    """The plain-text e-mail: the Vietnamese text, a separator line, the English text, each signed.

    The signature ("sent automatically, do not reply") and the names of the files ``attached`` belong to
    the e-mail only: the inbox shows the same texts without them.
    """
    parts = []
    for language, body in (("vi", notification.body_vi), ("en", notification.body_en)):
        with translation.override(language):
            footer = render_to_string(
                "notifications/email_footer.txt", {"site_name": settings.MOTCUA_SITE_NAME}
            )
            files = (
                "\n\n" + _("Attached to this e-mail: %(files)s.") % {"files": ", ".join(attached)}
                if attached
                else ""
            )
        parts.append(f"{body}{files}\n\n{footer.strip()}")
    return f"\n\n{EMAIL_SEPARATOR}\n\n".join(parts) + "\n"


def _render_optional(name: str, context: dict) -> str:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return ""
    return template.render(context).strip()


def _tidy(text: str) -> str:
    # Optional lines of a template ({% if %}) leave blank runs and trailing spaces behind.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
