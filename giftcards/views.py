"""The gift card balance page."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from giftcards.exceptions import GiftCardNotFoundError
from giftcards.forms import GiftCardBalanceForm
from giftcards.selectors import gift_card_get
from shop.api.throttles import GiftCardThrottle
from shop.ratelimit import rate_limited


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@rate_limited(GiftCardThrottle)
def balance(request):
    """Check a gift card's balance: what it can still spend, and until when. The code is
    posted, never put in the address; unknown, disabled and expired codes answer alike."""
    card, error = None, None
    form = GiftCardBalanceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            card = gift_card_get(code=form.cleaned_data["code"])
        except GiftCardNotFoundError as exc:
            error = exc.message
    template = (
        "giftcards/balance.html#balance-result" if request.htmx else "giftcards/balance.html"
    )
    return render(request, template, {"form": form, "card": card, "error": error})
