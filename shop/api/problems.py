"""Every API error as `application/problem+json` (RFC 9457): one map, one place.

Body: {type, title, status, detail, code} plus `errors` (field messages) or extra fields
such as `available_stock` where they apply.
"""

import dataclasses
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from shop.exceptions import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Details a domain error may carry that clients can use.
PUBLIC_DETAILS = ("available_stock", "variant_id", "line_id", "current_version", "total", "issues")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The cart changed since you last read it (If-Match does not match its ETag)."
    )
    default_code = "precondition_failed"


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("That email and password do not match an account.")
    default_code = "invalid_credentials"


def problem_body(status_code: int, code: str, detail: str, **extra) -> dict:
    body = {
        "type": f"urn:storefront:problem:{code}",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": str(detail),
        "code": code,
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    return body


def problem_json_response(status_code: int, code: str, detail: str, **extra) -> JsonResponse:
    """A problem response for code running outside DRF's views (middleware, Django 404s)."""
    return JsonResponse(
        problem_body(status_code, code, detail, **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def _first_message(errors) -> str:
    while isinstance(errors, dict | list) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else "Invalid input."


def _jsonable(value):
    """Details as JSON: a report dataclass (or a list of them) becomes its fields."""
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _domain_problem(exc: DomainError) -> tuple[int, dict]:
    """The error's class says its status and field (shop/exceptions.py)."""
    status_code = exc.http_status
    extra = {key: _jsonable(exc.details.get(key)) for key in PUBLIC_DETAILS}
    field = exc.field
    if field:
        messages = exc.details.get("messages") or [str(exc.message)]
        extra["errors"] = {field: [str(m) for m in messages]}
    return status_code, problem_body(status_code, exc.code, exc.message, **extra)


def exception_handler(exc, context):
    """DRF's exception handler: domain errors and DRF's own, as problem+json."""
    headers = {}
    if isinstance(exc, DomainError):
        status_code, body = _domain_problem(exc)
    else:
        if isinstance(exc, Http404):
            exc = exceptions.NotFound()
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied()
        if not isinstance(exc, exceptions.APIException):
            return None  # a real bug: Django's 500 handler answers
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(max(1, int(exc.wait)))
        status_code = exc.status_code
        if isinstance(exc, exceptions.ValidationError):
            errors = _field_errors(exc.detail)
            code = "invalid"
            body = problem_body(status_code, code, _first_message(errors), errors=errors)
        else:
            code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
            body = problem_body(status_code, code, exc.detail)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
