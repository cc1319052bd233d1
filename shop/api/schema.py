"""OpenAPI pieces every API view uses: error responses and the shop's request headers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from shop.api.problems import PROBLEM_CONTENT_TYPE
from shop.api.serializers import ProblemSerializer

_DESCRIPTIONS = {
    400: "Invalid input; `errors` names each field.",
    401: "Not authenticated: send `Authorization: Token <key>`.",
    403: "Authenticated but not allowed (staff only).",
    404: "Not found (or not yours).",
    409: "Conflict: not enough stock (`available_stock`), a full cart, or a duplicate request still running.",
    412: "`If-Match` does not match the cart's current ETag.",
    422: "This `Idempotency-Key` was used with another request body.",
    429: "Too many requests; see `Retry-After`.",
    503: "The payment provider could not be reached; nothing was charged.",
}

_EXAMPLES = {
    409: OpenApiExample(
        "Not enough stock",
        value={
            "type": "urn:storefront:problem:insufficient_stock",
            "title": "Conflict",
            "status": 409,
            "detail": "Only 2 left in stock",
            "code": "insufficient_stock",
            "available_stock": 2,
        },
        response_only=True,
        status_codes=["409"],
    ),
    400: OpenApiExample(
        "Invalid field",
        value={
            "type": "urn:storefront:problem:invalid",
            "title": "Bad Request",
            "status": 400,
            "detail": "Ensure this value is greater than or equal to 1.",
            "code": "invalid",
            "errors": {"quantity": ["Ensure this value is greater than or equal to 1."]},
        },
        response_only=True,
        status_codes=["400"],
    ),
}


def problems(*status_codes: int) -> dict:
    """The error responses of an operation, each `application/problem+json`."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer,
            description=_DESCRIPTIONS[code],
            examples=[_EXAMPLES[code]] if code in _EXAMPLES else [],
        )
        for code in status_codes
    }


CART_TOKEN = OpenApiParameter(
    "X-Cart-Token",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A guest cart's token (from a earlier response). Ignored for logged-in users. "
    "Unknown tokens act as no cart.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The cart ETag last read, e.g. `"7"`; a stale one gets 412.',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string of visible ASCII (a UUID): repeats with the same body replay "
    "the first answer; another body with the same key gets 422; a malformed key gets 400. "
    "Keys are the caller's own (signed-in credential, else `X-Cart-Token`); a guest's write "
    "without a cart token, a login, and answers with a 5xx or 429 are never replayed.",
)
