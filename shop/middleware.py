"""Request ids (taken from X-Request-ID when sane, made otherwise, sent back and logged) and the CSP."""

import contextvars
import logging
import re
import uuid

from csp.middleware import CSPMiddleware

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIDMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # Kept until the request has finished (shop.receivers): Django logs 4xx and 5xx
        # responses after the middleware has returned.
        request_id_var.set(request.request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIDLogFilter(logging.Filter):
    """Put the current request id on every log record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The shop's CSP; the admin and the API docs, which put styles in attributes, may too."""

    RELAXED_STYLE_PREFIXES = ("/admin/", "/api/docs/")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(self.RELAXED_STYLE_PREFIXES):
            parts.update = {**(parts.update or {}), "style-src": ["'self'", "'unsafe-inline'"]}
        return parts
