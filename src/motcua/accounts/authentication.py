"""``Authorization: Bearer <token>`` for the API; tokens come from ``POST /api/v1/auth/token/``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import selectors, services


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # not ours: session authentication may still apply
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Bearer <token>."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = selectors.active_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has been revoked."))
        services.mark_token_used(token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to a request without credentials.
        return f'{self.keyword} realm="api"'
