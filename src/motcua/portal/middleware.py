"""Language selection for the portal: Vietnamese unless the visitor chose English with the switch."""

from contextlib import suppress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language header is not consulted.

    Many phones in Vietnam run an English user interface while their owners read Vietnamese; the portal
    speaks the official language until the visitor picks another one with the language switch (cookie).
    API clients are programs that ask for a language on purpose, so under /api/ the header still counts.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            with suppress(LookupError):  # a stale or forged cookie keeps the default
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
