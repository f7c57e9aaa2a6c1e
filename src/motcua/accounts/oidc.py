"""National e-ID login (VNeID style) behind an interface: ``IdentityProvider``.

``OIDCProvider`` speaks OpenID Connect: discovery at ``{issuer}/.well-known/openid-configuration``, the
authorization code flow with ``state`` (one use, in the session), ``nonce`` and PKCE (S256), and an ID token
whose RS256 signature is checked against the provider's JWKS and whose ``iss``, ``aud``, ``exp`` and
``nonce`` are checked. Another kind of provider (SAML, a test double of the national platform) implements
the same three members.
"""

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

SESSION_KEY = "accounts_oidc_pending"
# A login not finished within this many seconds is forgotten (its state can no longer be used).
PENDING_SECONDS = 600
HTTP_TIMEOUT = 10
MAX_PENDING = 5


class IdentityError(Exception):
    """The provider's answer cannot be trusted or used; the message is safe to show."""


@dataclass(frozen=True)
class VerifiedIdentity:
    provider: str
    subject: str
    claims: dict


class IdentityProvider(Protocol):
    name: str

    def authorization_url(self, request, redirect_uri: str) -> str:
        """Where to send the browser to log in; remembers what ``complete`` will need in the session."""

    def complete(self, request, redirect_uri: str) -> VerifiedIdentity:
        """Check the provider's answer to ``redirect_uri`` (query string of ``request``); raise
        ``IdentityError`` when anything does not match."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class OIDCProvider:
    def __init__(self, *, issuer: str, client_id: str, client_secret: str, scopes: str = "openid"):
        self.issuer = issuer.rstrip("/")
        # A subject is unique only within its issuer, so the issuer names the provider of a link.
        self.name = self.issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = scopes if "openid" in scopes.split() else f"openid {scopes}"

    # --- discovery ---

    def metadata(self) -> dict:
        key = "accounts:oidc:metadata:" + hashlib.sha256(self.issuer.encode()).hexdigest()
        data = cache.get(key)
        if data is None:
            data = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            # OIDC Discovery 4.3: the document must name exactly the issuer it was fetched for.
            if str(data.get("issuer", "")).rstrip("/") != self.issuer:
                raise IdentityError(_("The identity provider's configuration names another issuer."))
            for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not data.get(field):
                    raise IdentityError(_("The identity provider's configuration is incomplete."))
            cache.set(key, data, 3600)
        return data

    def _get_json(self, url: str) -> dict:
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            raise IdentityError(_("The identity provider cannot be reached. Try again later.")) from exc

    # --- the flow ---

    def authorization_url(self, request, redirect_uri: str) -> str:
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        pending = [p for p in request.session.get(SESSION_KEY, []) if p["expires"] > time.time()]
        # A few logins may be under way in several tabs; each state is good for one callback only.
        pending = [*pending[-(MAX_PENDING - 1) :], {
            "state": state, "nonce": nonce, "verifier": verifier, "expires": time.time() + PENDING_SECONDS,
        }]  # fmt: skip
        request.session[SESSION_KEY] = pending
        challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": self.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.metadata()['authorization_endpoint']}?{query}"

    def _take_pending(self, request, state: str) -> dict:
        pending = request.session.get(SESSION_KEY, [])
        match = next((p for p in pending if secrets.compare_digest(p["state"], state)), None)
        if match is not None:
            # Removed before anything else: a replayed state finds nothing, even if this attempt fails.
            request.session[SESSION_KEY] = [p for p in pending if p is not match]
        if match is None or match["expires"] <= time.time():
            raise IdentityError(_("This login has expired or was already used. Start again."))
        return match

    def complete(self, request, redirect_uri: str) -> VerifiedIdentity:
        params = request.GET
        if params.get("error"):
            raise IdentityError(_("The login at the identity provider was cancelled or refused."))
        state, code = params.get("state", ""), params.get("code", "")
        if not state or not code:
            raise IdentityError(_("The identity provider's answer is incomplete. Start again."))
        pending = self._take_pending(request, state)
        metadata = self.metadata()
        try:
            response = requests.post(
                metadata["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "code_verifier": pending["verifier"],
                },
                auth=(self.client_id, self.client_secret),
                timeout=HTTP_TIMEOUT,
            )
            tokens = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise IdentityError(_("The identity provider cannot be reached. Try again later.")) from exc
        if response.status_code != 200 or not isinstance(tokens, dict) or not tokens.get("id_token"):
            raise IdentityError(_("The identity provider refused the login. Start again."))
        claims = self.verify_id_token(tokens["id_token"], nonce=pending["nonce"])
        return VerifiedIdentity(provider=self.name, subject=str(claims["sub"]), claims=claims)

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise IdentityError(_("The identity provider's token is not valid.")) from exc
        if header.get("alg") != "RS256":
            raise IdentityError(_("The identity provider's token is not valid."))
        key = self._signing_key(header.get("kid"))
        try:
            claims = jwt.decode(
                id_token,
                key=key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise IdentityError(_("The identity provider's token is not valid.")) from exc
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise IdentityError(_("The identity provider's token was not issued for this login."))
        # With several audiences, the token must have been issued to us (OIDC Core 3.1.3.7).
        if (
            isinstance(claims.get("aud"), list)
            and len(claims["aud"]) > 1
            and claims.get("azp") != self.client_id
        ):
            raise IdentityError(_("The identity provider's token is not valid."))
        return claims

    def _signing_key(self, kid: str | None):
        jwks = self._get_json(self.metadata()["jwks_uri"])
        try:
            keys = [k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_type == "RSA"]
        except jwt.PyJWTError as exc:
            raise IdentityError(_("The identity provider's keys cannot be read.")) from exc
        for candidate in keys:
            if kid is None or candidate.key_id == kid:
                return candidate.key
        raise IdentityError(_("The identity provider's token is not valid."))


def configured_provider() -> OIDCProvider | None:
    """The national e-ID provider from settings, or None when it is not configured."""
    if not settings.MOTCUA_OIDC_ISSUER or not settings.MOTCUA_OIDC_CLIENT_ID:
        return None
    return OIDCProvider(
        issuer=settings.MOTCUA_OIDC_ISSUER,
        client_id=settings.MOTCUA_OIDC_CLIENT_ID,
        client_secret=settings.MOTCUA_OIDC_CLIENT_SECRET,
        scopes=settings.MOTCUA_OIDC_SCOPES,
    )
