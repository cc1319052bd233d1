from django.urls import path

from checkout import views

app_name = "checkout"

urlpatterns = [
    path("checkout/", views.checkout_page, name="start"),
    path("checkout/success/", views.success, name="success"),
    path("checkout/cancel/", views.cancel, name="cancel"),
    path("checkout/pay/<str:token>/", views.local_payment, name="test-pay"),
    path("checkout/webhook/stripe/", views.stripe_webhook, name="stripe-webhook"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/<str:number>/", views.order_detail, name="order-detail"),
]
