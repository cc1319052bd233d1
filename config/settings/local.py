"""Settings for `make run` and development: DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import env

INTERNAL_IPS = ["127.0.0.1"]
# A page that is not there shows the shop's own 404 page, as in production; with
# DEBUG_TECHNICAL_404=true, Django's technical page (the URL patterns tried) instead.
if not DEBUG_TECHNICAL_404:  # noqa: F405
    MIDDLEWARE = [*MIDDLEWARE, "shop.middleware.ShopNotFoundPageMiddleware"]  # noqa: F405
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
