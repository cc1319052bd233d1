"""Every JSON API route, under /api/v1/ (CONTRACT section 4)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from cart import streams as cart_streams
from cart.api import views as cart_views
from checkout.api import views as checkout_views
from giftcards.api import views as giftcard_views
from loyalty.api import views as loyalty_views
from shop import views as site_views
from shop.api import views as shop_views
from storefront.api import views as catalog_views

app_name = "api"

urlpatterns = [
    path("auth/register/", shop_views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", shop_views.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", shop_views.LogoutView.as_view(), name="auth-logout"),
    path("categories/", catalog_views.CategoryListView.as_view(), name="category-list"),
    path("products/", catalog_views.ProductListView.as_view(), name="product-list"),
    path(
        "products/<slug:slug>/", catalog_views.ProductDetailView.as_view(), name="product-detail"
    ),
    path("cart/", cart_views.CartView.as_view(), name="cart"),
    # Server-Sent Events, served by the ASGI event process like /events/.
    path("cart/events/", cart_streams.cart_events_api, name="cart-events"),
    path("cart/items/", cart_views.CartItemsView.as_view(), name="cart-items"),
    path("cart/items/bulk/", cart_views.CartItemsBulkView.as_view(), name="cart-items-bulk"),
    path("cart/items/<int:line_id>/", cart_views.CartItemView.as_view(), name="cart-item"),
    path(
        "cart/items/<int:line_id>/save/",
        cart_views.CartItemSaveView.as_view(),
        name="cart-item-save",
    ),
    path(
        "cart/saved/<int:saved_id>/move/",
        cart_views.SavedItemMoveView.as_view(),
        name="cart-saved-move",
    ),
    path("cart/saved/<int:saved_id>/", cart_views.SavedItemView.as_view(), name="cart-saved"),
    path("cart/merge/", cart_views.CartMergeView.as_view(), name="cart-merge"),
    path("cart/validate/", cart_views.CartValidateView.as_view(), name="cart-validate"),
    path("cart/summary/", cart_views.CartSummaryView.as_view(), name="cart-summary"),
    path("cart/share/", cart_views.CartShareView.as_view(), name="cart-share"),
    path("shared-carts/<str:token>/", cart_views.SharedCartView.as_view(), name="shared-cart"),
    path(
        "shared-carts/<str:token>/add/",
        cart_views.SharedCartAddView.as_view(),
        name="shared-cart-add",
    ),
    path("wishlist/", cart_views.WishlistView.as_view(), name="wishlist"),
    path("wishlist/items/", cart_views.WishlistItemsView.as_view(), name="wishlist-items"),
    path(
        "wishlist/items/<int:item_id>/",
        cart_views.WishlistItemView.as_view(),
        name="wishlist-item",
    ),
    path(
        "checkout/shipping-methods/",
        checkout_views.ShippingMethodsView.as_view(),
        name="shipping-methods",
    ),
    path("checkout/", checkout_views.CheckoutView.as_view(), name="checkout"),
    path("orders/", checkout_views.OrderListView.as_view(), name="order-list"),
    path("orders/<int:order_id>/", checkout_views.OrderDetailView.as_view(), name="order-detail"),
    path("loyalty/", loyalty_views.PointsView.as_view(), name="loyalty"),
    path(
        "admin/products/",
        catalog_views.StaffProductCreateView.as_view(),
        name="admin-product-create",
    ),
    path(
        "admin/products/<int:product_id>/",
        catalog_views.StaffProductView.as_view(),
        name="admin-product",
    ),
    path(
        "admin/variants/<int:variant_id>/",
        catalog_views.StaffVariantView.as_view(),
        name="admin-variant",
    ),
    path(
        "gift-cards/<str:code>/",
        giftcard_views.GiftCardBalanceView.as_view(),
        name="gift-card-balance",
    ),
    path(
        "admin/gift-cards/",
        giftcard_views.StaffGiftCardCreateView.as_view(),
        name="admin-gift-card-create",
    ),
    path(
        "admin/gift-cards/<int:card_id>/",
        giftcard_views.StaffGiftCardView.as_view(),
        name="admin-gift-card",
    ),
    # Last: any other address under the API answers problem+json, with DEBUG on too (where
    # Django would show its HTML debug page). Only paths ending in "/", so that a missing
    # slash is still redirected to the route it belongs to. It changes nothing, so it needs
    # no CSRF check (which would answer an HTML 403 to a POST).
    re_path(r"^.*/$", csrf_exempt(site_views.page_not_found)),
]
