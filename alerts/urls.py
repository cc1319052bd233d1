from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/back-in-stock/", views.stock_alert_create, name="stock-alert-create"),
    path("alerts/confirm/<str:token>/", views.stock_alert_confirm, name="stock-alert-confirm"),
    path("account/notifications/", views.notification_settings, name="notification-settings"),
]
