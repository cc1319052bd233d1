from django.urls import path

from loyalty import views

app_name = "loyalty"

urlpatterns = [
    path("account/points/", views.points_page, name="points"),
]
