from django.urls import path

from shop import probes, views

app_name = "shop"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("account/confirm/", views.email_confirmation_resend, name="email-confirm-send"),
    path("account/confirm/<str:token>/", views.email_confirm, name="email-confirm"),
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
]
