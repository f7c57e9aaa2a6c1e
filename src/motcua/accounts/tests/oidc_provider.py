"""A small OpenID Connect provider for tests: a real HTTP server on 127.0.0.1 in a thread.

It serves discovery, JWKS, an authorize endpoint that approves at once with the configured claims, and a
token endpoint that checks the client secret, the code, the redirect URI and the PKCE verifier, then signs
an ID token with an RSA key made for the test. ``tamper`` makes it misbehave in one chosen way.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class LoopbackProvider:
    client_id = "motcua-portal"
    client_secret = "provider-shared-secret"

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.subject = "vneid-sub-0001"
        self.claims = {}
        self.tamper = None  # None, "payload", "wrong_key", "nonce", "audience", "expired"
        self.codes = {}
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": self.subject,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        key = self.key
        if self.tamper == "nonce":
            payload["nonce"] = "another-login"
        elif self.tamper == "audience":
            payload["aud"] = "someone-else"
        elif self.tamper == "expired":
            payload["iat"], payload["exp"] = now - 7200, now - 3600
        elif self.tamper == "wrong_key":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = jwt.encode(payload, key, algorithm="RS256", headers={"kid": self.kid})
        if self.tamper == "payload":
            # Another personal ID in the payload, the provider's signature kept: must not verify.
            header, body, signature = token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            claims["personal_id"] = "001090000001"
            token = ".".join([header, _b64url(json.dumps(claims).encode()), signature])
        return token

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlsplit(self.path)
                if url.path == "/.well-known/openid-configuration":
                    return self._json(
                        200,
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": provider.issuer + "/authorize",
                            "token_endpoint": provider.issuer + "/token",
                            "jwks_uri": provider.issuer + "/jwks",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "code_challenge_methods_supported": ["S256"],
                        },
                    )
                if url.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    jwk.update({"kid": provider.kid, "use": "sig", "alg": "RS256"})
                    return self._json(200, {"keys": [jwk]})
                if url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    if (
                        query.get("client_id") != provider.client_id
                        or query.get("response_type") != "code"
                        or query.get("code_challenge_method") != "S256"
                        or "openid" not in query.get("scope", "").split()
                    ):
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    location = (
                        query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", location)
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                if urlsplit(self.path).path != "/token":
                    return self._json(404, {"error": "not_found"})
                provider.token_requests += 1
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                expected = (
                    "Basic "
                    + base64.b64encode(f"{provider.client_id}:{provider.client_secret}".encode()).decode()
                )
                if self.headers.get("Authorization") != expected:
                    return self._json(401, {"error": "invalid_client"})
                request = provider.codes.pop(form.get("code", ""), None)
                if request is None or form.get("grant_type") != "authorization_code":
                    return self._json(400, {"error": "invalid_grant"})
                if form.get("redirect_uri") != request["redirect_uri"]:
                    return self._json(400, {"error": "invalid_grant"})
                challenge = _b64url(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
                if challenge != request["code_challenge"]:
                    return self._json(400, {"error": "invalid_grant"})
                return self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(16),
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(request["nonce"]),
                    },
                )

        return Handler
