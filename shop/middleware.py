"""Request ids (taken from X-Request-ID when sane, made otherwise, sent back and logged), the
CSP, the limit on query strings, and the shop's own 404 page under `make run`."""

import contextvars
import logging
import re
import uuid

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from shop.api.problems import problem_json_response

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


class QueryStringLimitMiddleware:
    """Refuse a query string over MAX_QUERY_STRING_BYTES with a 400 in the shop's own words:
    problem+json under /api/, a short page elsewhere (not a 500, not a server's bare page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # WSGI gives the raw bytes as latin-1 text: one character per byte.
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_BYTES:
            return query_too_long(request)
        return self.get_response(request)


def query_too_long(request) -> HttpResponse:
    message = _("This address is too long. Please shorten the search or filters and try again.")
    if request.path.startswith("/api/"):
        return problem_json_response(
            400, "query_too_long", message, max_bytes=settings.MAX_QUERY_STRING_BYTES
        )
    if request.headers.get("HX-Request"):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    body = format_html(
        "<!doctype html><title>{0}</title><h1>{0}</h1><p>{1}</p><p>{2}: <code>{3}</code></p>",
        _("Bad request"),
        message,
        _("Reference"),
        getattr(request, "request_id", ""),
    )
    return HttpResponse(body, status=400)


class ShopNotFoundPageMiddleware:
    """With DEBUG on (`make run`), a page that is not there gets the shop's own 404 page, as in
    production, instead of Django's technical one; /api/ keeps its problem+json. Listed last in
    config/settings/local.py unless DEBUG_TECHNICAL_404 asks for the technical page (it lists
    the URL patterns tried)."""

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed  # without DEBUG, Django shows the shop's page (handler404)
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.resolver_match is None:
            # No URL pattern matched: Django answered before any view ran.
            return self._page(request, Http404(request.path))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._page(request, exception)
        return None

    @staticmethod
    def _page(request, exception) -> HttpResponse:
        from shop.views import page_not_found  # the very handler404 production uses

        return page_not_found(request, exception)
