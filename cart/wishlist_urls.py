"""The wishlist's pages, at /wishlist/ (its views live with the cart's: the same owner)."""

from django.urls import path

from cart import views

app_name = "wishlist"

urlpatterns = [
    path("", views.wishlist_detail, name="detail"),
    path("toggle/", views.wishlist_toggle, name="toggle"),
    path("items/<int:item_id>/move/", views.wishlist_move, name="move"),
    path("items/<int:item_id>/remove/", views.wishlist_remove, name="remove"),
]
