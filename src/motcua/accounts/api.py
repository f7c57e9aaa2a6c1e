"""API authentication: obtain a Bearer token with a username and password, revoke the token in use; list
and revoke one's own tokens."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import AuthenticationFailed, NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.rest.errors import ErrorSerializer

from . import selectors, services
from .authentication import BearerTokenAuthentication
from .models import ApiToken

TAGS = ["authentication"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150, help_text=gettext_lazy("Personal ID, tax code or username.")
    )
    password = serializers.CharField(max_length=256, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "The 6-digit code of the authenticator app, for accounts with two-step verification."
        ),
    )
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=gettext_lazy("A label for the token.")
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`. Shown only once.")
    expires_at = serializers.DateTimeField(help_text="After this moment the token no longer works.")


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenInfoSerializer(serializers.Serializer):
    username = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    token_prefix = serializers.CharField(help_text="The first characters of the token in use.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="Whether this is the token of the request.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "current"]

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


class TokenView(APIView):
    # Obtaining a token needs no credentials but the body's; revoking needs the token itself.
    authentication_classes = [BearerTokenAuthentication]
    throttle_scope = "create"  # minting a token (its POST only), per client address

    def get_permissions(self):
        return [] if self.request.method == "POST" else [IsAuthenticated()]

    def _token_in_use(self, request) -> ApiToken:
        if not isinstance(request.auth, ApiToken):
            raise AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        return request.auth

    @extend_schema(
        tags=TAGS,
        summary="Who the token in use belongs to",
        responses={
            200: TokenInfoSerializer,
            401: OpenApiResponse(DetailSerializer, description="No valid token."),
        },
    )
    def get(self, request):
        token = self._token_in_use(request)
        user = token.user
        return Response(
            {
                "username": user.get_username(),
                "kind": user.kind,
                "name": user.get_full_name(),
                "token_prefix": token.prefix,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "expires_at": token.expires_at,
            }
        )

    @extend_schema(
        tags=TAGS,
        summary="Obtain an API token",
        description=(
            "Exchanges a username and password (and the one-time code, for accounts with two-step "
            "verification) for a token. Repeated failures lock the account like the login page does (429)."
        ),
        request=TokenRequestSerializer,
        auth=[],
        responses={
            201: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Wrong username or password, a missing or wrong one-time code, or the account holds "
                    "the most valid tokens allowed (`MOTCUA_API_TOKEN_LIMIT`)."
                ),
                examples=[
                    OpenApiExample(
                        "Wrong password",
                        value={
                            "detail": "The request has invalid values.",
                            "errors": {"non_field_errors": ["The username or password is not right."]},
                        },
                    )
                ],
            ),
            429: OpenApiResponse(DetailSerializer, description="The account is locked for a while."),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The HttpRequest, so that django-axes counts the failure and locks like on the login page.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if getattr(request._request, "axes_locked_out", False):
            return Response(status=status.HTTP_429_TOO_MANY_REQUESTS)  # AxesMiddleware writes the body
        if user is None:
            raise ValidationError({"non_field_errors": [_("The username or password is not right.")]})
        if selectors.second_factor_required(user):
            if selectors.confirmed_totp_device(user) is None:
                raise ValidationError(
                    {"otp": [_("Set up two-step verification on the website first, then ask for a token.")]}
                )
            if not data.get("otp"):
                raise ValidationError({"otp": [_("Enter the 6-digit code of your authenticator app.")]})
            if services.check_second_factor(user, data["otp"], request=request._request) is None:
                raise ValidationError({"otp": [_("The code is not right.")]})
        try:
            token, raw = services.create_api_token(user, name=data.get("name", ""), request=request._request)
        except services.TokenLimitReached as exc:
            raise ValidationError({"non_field_errors": exc.messages}) from None
        return Response({"token": raw, "expires_at": token.expires_at}, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="Revoke the token in use",
        request=None,
        responses={204: None, 401: OpenApiResponse(DetailSerializer, description="No valid token.")},
    )
    def delete(self, request):
        token = self._token_in_use(request)
        services.revoke_api_token(token, by=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(generics.ListAPIView):
    """The signed-in account's valid tokens (by Bearer token or by the website's session)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None  # at most MOTCUA_API_TOKEN_LIMIT

    def get_queryset(self):
        return selectors.live_tokens(self.request.user)

    @extend_schema(
        tags=TAGS,
        summary="My valid API tokens",
        responses={200: ApiTokenSerializer(many=True), 401: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TokenRevokeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="Revoke one of my API tokens",
        request=None,
        responses={
            204: None,
            401: OpenApiResponse(DetailSerializer, description="Not signed in."),
            404: OpenApiResponse(DetailSerializer, description="No valid token of this account has this id."),
        },
    )
    def delete(self, request, pk: int):
        token = selectors.live_tokens(request.user).filter(pk=pk).first()
        if token is None:
            raise NotFound(_("You have no valid token with this id."))
        services.revoke_api_token(token, by=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
