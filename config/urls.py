from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = f"{settings.SHOP_NAME} staff"
admin.site.site_title = f"{settings.SHOP_NAME} staff"
admin.site.index_title = "Run the shop"

handler404 = "shop.views.page_not_found"
handler500 = "shop.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("shop.urls")),
    path("", include("catalog.urls")),
    path("cart/", include("cart.urls")),
    path("", include("checkout.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
