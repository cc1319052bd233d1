from django.urls import path

from giftcards import views

app_name = "giftcards"

urlpatterns = [
    path("gift-cards/balance/", views.balance, name="balance"),
]
