from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cart import streams as cart_streams
from shop import views as site_views
from shop.api.throttles import AuthThrottle
from shop.probes import metrics
from shop.ratelimit import rate_limited

admin.site.site_header = f"{settings.SHOP_NAME} staff"
admin.site.site_title = f"{settings.SHOP_NAME} staff"
admin.site.index_title = "Run the shop"

handler404 = "shop.views.page_not_found"
handler500 = "shop.views.server_error"

urlpatterns = [
    # The admin's login is rate limited like the shop's.
    path("admin/login/", rate_limited(AuthThrottle)(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's settings as a script file, so CSP needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # django-prometheus's view, answered only to the scraper (shop.probes.metrics_allowed).
    path("metrics", metrics, name="prometheus-django-metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Served by the ASGI event process (uvicorn); the load balancer routes it there.
    path("events/", cart_streams.cart_events, name="events"),
    path("", include("shop.urls")),
    path("", include("storefront.urls")),
    path("cart/", include("cart.urls")),
    path("cart/", include("recovery.urls")),
    path("", include("alerts.urls")),
    path("wishlist/", include("cart.wishlist_urls")),
    path("", include("checkout.urls")),
    path("", include("giftcards.urls")),
    path("", include("loyalty.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", site_views.media),
    ]
