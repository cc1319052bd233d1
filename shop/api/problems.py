"""Every API error as `application/problem+json` (RFC 9457): one map, one place.

Body: {type, title, status, detail, code} plus `errors` (field messages) or extra fields
such as `available_stock` where they apply.
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from shop.exceptions import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Domain error codes whose answer is not a plain 400.
STATUS_BY_CODE = {
    "not_found": 404,
    "variant_not_found": 404,
    "line_not_found": 404,
    "cart_not_found": 404,
    "product_not_found": 404,
    "order_not_found": 404,
    "insufficient_stock": 409,
    "out_of_stock": 409,
    "unavailable": 409,
    "cart_full": 409,
    "cart_version_mismatch": 412,
    "cart_invalid": 409,
    "total_changed": 409,
    "order_state": 409,
    "checkout_expired": 409,
    "payment_unavailable": 503,
}
# Domain error codes that are about one input field.
FIELD_BY_CODE = {
    "invalid_quantity": "quantity",
    "quantity_above_maximum": "quantity",
    "email_taken": "email",
    "invalid_password": "password",
    "sku_taken": "sku",
    "category_not_found": "category",
    "duplicate_variant_name": "variants",
    "product_needs_variant": "variants",
    "invalid_shipping_method": "shipping_method",
    "invalid_promo_code": "promo_code",
}
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


def _domain_problem(exc: DomainError) -> tuple[int, dict]:
    status_code = STATUS_BY_CODE.get(exc.code, 400)
    extra = {key: exc.details.get(key) for key in PUBLIC_DETAILS}
    field = FIELD_BY_CODE.get(exc.code)
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
