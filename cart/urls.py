from django.urls import path

from cart import views

app_name = "cart"

urlpatterns = [
    path("", views.cart_detail, name="detail"),
    path("mini/", views.mini_cart, name="mini"),
    path("live/", views.cart_live, name="live"),
    path("add/", views.cart_add, name="add"),
    path("lines/<int:line_id>/", views.line_change, name="line-change"),
    path("lines/<int:line_id>/remove/", views.line_remove, name="line-remove"),
    path("lines/<int:line_id>/save/", views.line_save, name="line-save"),
    path("saved/<int:saved_id>/move/", views.saved_move, name="saved-move"),
    path("saved/<int:saved_id>/remove/", views.saved_remove, name="saved-remove"),
    path("clear/", views.cart_clear, name="clear"),
    path("restore/", views.cart_restore, name="restore"),
    path("note/", views.cart_note, name="note"),
    path("share/", views.cart_share, name="share"),
    path("shared/<str:token>/", views.shared_cart_detail, name="shared"),
    path("shared/<str:token>/add/", views.shared_cart_add, name="shared-add"),
]
