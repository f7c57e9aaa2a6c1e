"""The Bearer token security scheme in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")  # noqa: S106 - a scheme name
        scheme["description"] = (
            "A token from `POST /api/v1/auth/token/`, sent as `Authorization: Bearer <token>`."
        )
        return scheme
