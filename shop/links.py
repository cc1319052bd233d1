"""Absolute links the shop hands out: from SITE_URL when set, else the request's host and port."""

from django.conf import settings


def absolute_url(request, path: str) -> str:
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def base_url(request) -> str:
    """The shop's scheme, host and port: SITE_URL when set, else as this request reached it."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
