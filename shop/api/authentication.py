import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions

# knox tokens are hex; anything else cannot match and must not reach the database.
_TOKEN = re.compile(rb"^[0-9a-fA-F]{16,128}$")


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`: revocable per-device tokens (django-rest-knox)."""

    def authenticate_credentials(self, token: bytes):
        if not _TOKEN.match(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "shop.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token from `POST /api/v1/auth/token/`, sent as `Token <key>`.",
        }
