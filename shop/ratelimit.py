"""Rate limits for the HTML views, with the very throttles (and settings) the API uses."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import ngettext


def too_many_requests(request, wait: float | None, message: str | None = None) -> HttpResponse:
    seconds = max(1, int(wait or 1))
    message = message or ngettext(
        "You are going a little fast. Please wait %(seconds)d second and try again.",
        "You are going a little fast. Please wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}
    if request.headers.get("HX-Request"):
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    else:
        body = loader.get_template("429.html").render({"message": message}, request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(
    throttle_class,
    methods: tuple[str, ...] = ("POST",),
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable:
    """Refuse a view with 429 and Retry-After once the caller passes the throttle's rate;
    `when` narrows which requests count (all of `methods` without it)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and (when is None or when(request)):
                throttle = throttle_class()
                if not throttle.allow_request(request, None):
                    wait = throttle.wait()
                    return too_many_requests(request, wait, throttle.refusal(wait))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
