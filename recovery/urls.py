from django.urls import path

from recovery import views

app_name = "recovery"

# Under /cart/, where the links in emails already sent point.
urlpatterns = [
    path("recover/<str:token>/", views.cart_recover, name="recover"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
