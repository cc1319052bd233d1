"""Checkout pages, the test payment page, Stripe's webhook and "My orders"."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from cart.web import cart_owner, request_cart_summary, request_source
from checkout import payments, services
from checkout.claims import ClaimsRequest, claims_apply
from checkout.exceptions import TotalChangedError
from checkout.fetch import checkout_quote_load, shipping_methods
from checkout.forms import CheckoutForm
from checkout.models import Order
from checkout.selectors import order_by_number, order_by_payment_session, order_list_for
from checkout.throttles import payment_sync_due
from shop.api.throttles import CartWriteThrottle, CheckoutThrottle, GiftCardThrottle
from shop.exceptions import DomainError
from shop.links import base_url
from shop.ratelimit import rate_limited

SESSION_ORDERS = "checkout_orders"
# What the shopper last submitted on the checkout form, to fill it in again after a failed or
# cancelled payment. Only in the session: never in the cart token or on the cart row.
SESSION_FORM = "checkout_form"
# The fields a shopper types in: checked one by one as they leave them (with JavaScript), all
# together on "Continue to payment", never when only the quote is updated.
TYPED_FIELDS = ("email", "name", "line1", "line2", "city", "postal_code", "country", "phone")
REMEMBERED_FIELDS = (*TYPED_FIELDS, "shipping_method", "promo_code")


def _remember_order(request, order: Order) -> None:
    """Let this browser see its guest orders' confirmation pages."""
    numbers = request.session.get(SESSION_ORDERS, [])[-19:]
    request.session[SESSION_ORDERS] = [*numbers, order.number]


def _quote_input(data, name: str, max_length: int) -> str:
    """A value typed into the form, for the live quote before the form is valid: PostgreSQL
    refuses text with NUL, so such a value quotes as if left empty (the form says why)."""
    value = str(data.get(name, "") or "").strip()[:max_length]
    return "" if "\x00" in value else value


def _remember_form(request, form: CheckoutForm) -> None:
    """Keep what was submitted (cut to each field's length) for the next visit of the form."""
    lengths = {
        name: getattr(form.fields[name], "max_length", None) or 40 for name in REMEMBERED_FIELDS
    }
    request.session[SESSION_FORM] = {
        name: _quote_input(form.data, name, length) for name, length in lengths.items()
    }


def _form_initial(request, user, codes) -> dict:
    """The form as the shopper left it in this session, else the account's details."""
    initial = {
        "email": user.email if user else "",
        "name": user.full_name if user else "",
        "shipping_method": codes[0][0] if codes else "",
        "country": "US",
    }
    remembered = request.session.get(SESSION_FORM) or {}
    initial.update(
        {name: value for name, value in remembered.items() if name in REMEMBERED_FIELDS and value}
    )
    return initial


def _errors_only_on(form: CheckoutForm, names: set[str]) -> None:
    """Show the form's errors on `names` only: the other fields have not been checked yet."""
    for name in list(form.errors):
        if name not in names:
            del form.errors[name]


def _may_see(request, order: Order) -> bool:
    if order.user_id and request.user.is_authenticated:
        return order.user_id == request.user.pk
    return order.number in request.session.get(SESSION_ORDERS, [])


def _action(request) -> str:
    """What a POST of the checkout form asks: "pay", "update", "check" or "apply_gift_card";
    a gift card's Remove button only quotes again."""
    if "remove_gift_card" in request.POST:
        return "update"
    return request.POST.get("action", "pay")


def _starts_checkout(request) -> bool:
    return _action(request) == "pay"


def _applies_gift_card(request) -> bool:
    return _action(request) == "apply_gift_card"


def _gift_card_codes(request, form: CheckoutForm, action: str) -> tuple[list[str], str]:
    """The gift card codes the page carries after this POST (one applied, one removed), and
    the code being applied (checked before it joins them)."""
    if not form.is_bound:
        return [], ""
    try:
        codes = form.fields["gift_cards"].to_python(form.data.getlist("gift_cards"))
    except ValidationError:
        codes = []
    removed = request.POST.get("remove_gift_card", "")
    codes = [code for code in codes if code != removed]
    applying = _quote_input(form.data, "gift_card_code", 40) if action == "apply_gift_card" else ""
    if applying in codes:
        applying = ""
    return codes, applying


def _claims_preview(quote, codes, applying, points, user, email):
    """Price the claims the page carries; a code being applied joins them only if it pays.
    Returns (claimed, the applied code's error or None)."""
    request = ClaimsRequest(
        gift_cards=tuple([*codes, applying] if applying else codes), redeem_points=points
    )
    claimed = claims_apply(
        order=None, quote=quote, request=request, user=user, email=email, preview=True
    )
    if applying and claimed.result.errors:
        error = claimed.result.errors[-1].message
        request = ClaimsRequest(gift_cards=tuple(codes), redeem_points=points)
        claimed = claims_apply(
            order=None, quote=quote, request=request, user=user, email=email, preview=True
        )
        return claimed, error
    return claimed, None


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@rate_limited(CartWriteThrottle)
@rate_limited(CheckoutThrottle, when=_starts_checkout)
@rate_limited(GiftCardThrottle, when=_applies_gift_card)
def checkout_page(request):
    """The checkout form. A POST's `action` says what the shopper did: "pay" (Continue to
    payment) checks every field and starts the checkout; "update" (a shipping method, a promo
    code, points, a gift card removed) only quotes again; "apply_gift_card" adds the typed
    card if it pays; "check" (htmx, a field left) answers that one field."""
    if settings.CHECKOUT_REQUIRES_LOGIN and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    cart = request_cart_summary(request)
    methods = shipping_methods()
    codes = [(m.code, m.name) for m in methods]
    user = request.user if request.user.is_authenticated else None
    action = _action(request) if request.method == "POST" else ""
    if request.method == "POST":
        form = CheckoutForm(request.POST, shipping_codes=codes)
    else:
        form = CheckoutForm(initial=_form_initial(request, user, codes), shipping_codes=codes)
    if action == "check":
        return _field_check(request, form)
    if action == "pay":
        checked = set(TYPED_FIELDS)
    else:  # only the fields already shown checked keep their word on the quote's update
        checked = set(request.POST.getlist("checked")) & set(TYPED_FIELDS)
        if form.is_bound:
            _errors_only_on(form, checked | {"promo_code", "redeem_points"})
    if form.is_bound:
        _remember_form(request, form)
    data = form.data if form.is_bound else form.initial
    quote = checkout_quote_load(
        cart=cart,
        shipping_method_code=_quote_input(data, "shipping_method", 40),
        promo_code=_quote_input(data, "promo_code", 40),
        email=_quote_input(data, "email", 254),
        user=user,
    )
    codes, applying = _gift_card_codes(request, form, action)
    claimed, gift_card_error = _claims_preview(
        quote,
        codes,
        applying,
        _points_asked(form),
        user,
        _quote_input(data, "email", 254),
    )
    error = None
    if request.method == "POST" and _starts_checkout(request) and form.is_valid():
        values = form.cleaned_data
        try:
            started = services.checkout_start(
                owner=cart_owner(request),
                email=values["email"],
                address=services.ShippingAddress(
                    name=values["name"],
                    line1=values["line1"],
                    line2=values["line2"],
                    city=values["city"],
                    postal_code=values["postal_code"],
                    country=values["country"],
                    phone=values["phone"],
                ),
                shipping_method_code=values["shipping_method"],
                promo_code=values["promo_code"],
                expected_total=values["expected_total"],
                base_url=base_url(request),
                source=request_source(request),
                earlier_orders=request.session.get(SESSION_ORDERS, []),
                claims=form.claims_request(),
            )
        except TotalChangedError as exc:
            error = exc.message
        except DomainError as exc:
            error = str(exc.message)
            if exc.code == "invalid_promo_code":
                form.add_error("promo_code", error)
                error = None
        else:
            _remember_order(request, started.order)
            if request.htmx:
                return HttpResponseClientRedirect(started.payment_url)
            return redirect(started.payment_url)
    context = {
        "form": form,
        "checked": checked,
        "quote": quote,
        "claimed": claimed,
        "gift_card_codes": [claim.code for claim in claimed.result.tenders],
        "gift_card_error": gift_card_error,
        "cart": cart,
        "error": error,
        "requires_email": user is None,
    }
    template = "checkout/checkout.html#checkout-body" if request.htmx else "checkout/checkout.html"
    return render(request, template, context, status=200)


def _points_asked(form: CheckoutForm) -> int:
    """The points the form asks to redeem, for the quote (0 while the number is not valid)."""
    if not form.is_bound:
        return 0
    try:
        points = form.fields["redeem_points"].clean(form.data.get("redeem_points", ""))
    except ValidationError:
        return 0
    return points or 0


def _field_check(request, form: CheckoutForm):
    """Answer the one field the shopper has just left, checked on its own (htmx only)."""
    name = request.POST.get("field", "")
    if not request.htmx or name not in TYPED_FIELDS:
        return HttpResponseBadRequest("No such field to check.", content_type="text/plain")
    _errors_only_on(form, {name})
    return render(
        request,
        "checkout/checkout.html#checkout-field",
        {"field": form[name], "checked": {name}},
    )


@require_GET
def success(request):
    session_id = request.GET.get("session_id", "")
    if session_id:
        order = order_by_payment_session(session_id=session_id)
    else:
        order = order_by_number(number=request.GET.get("order", ""))
    if order is None or not _may_see(request, order):
        raise Http404("No such order")
    if payment_sync_due(request, order):
        try:
            order = services.payment_sync(order=order)
        except payments.PaymentProviderError:
            messages.warning(request, _("We are still confirming your payment with the bank."))
    if order.status in {Order.Status.PAID, Order.Status.FULFILLED}:
        # Kept for a retry only: the next shopper on a shared computer starts afresh.
        request.session.pop(SESSION_FORM, None)
    return render(
        request,
        "checkout/success.html",
        {"order": order, "lines": list(order.lines.all())},
    )


@require_http_methods(["GET", "POST"])
def cancel(request):
    """Back from the payment page without paying (the cancel URL handed to Stripe): the page
    offers to cancel, and only its CSRF-protected POST does, so that no link or cross-site
    GET can end a shopper's checkout. The order ends, the cart stays."""
    number = (request.POST if request.method == "POST" else request.GET).get("order", "")
    order = order_by_number(number=number)
    if order is None or not _may_see(request, order):
        return redirect("cart:detail")
    if order.status != Order.Status.PENDING_PAYMENT:
        return redirect(f"{reverse('checkout:success')}?order={order.number}")
    if request.method == "GET":
        return render(
            request,
            "checkout/cancel.html",
            {"order": order, "lines": list(order.lines.all())},
        )
    services.order_cancel(order_id=order.pk, reason="abandoned")
    messages.info(request, _("Payment cancelled. Your cart is just as you left it."))
    return redirect("cart:detail")


@require_http_methods(["GET", "POST"])
def local_payment(request, token: str):
    """The test payment backend: no money moves; pay or fail drive the real order code."""
    try:
        order = services.local_payment_order(token)
    except DomainError as exc:
        raise Http404("No such payment") from exc
    if request.method == "POST":
        succeed = request.POST.get("outcome") == "pay"
        try:
            order = services.local_payment_complete(order_id=order.pk, succeed=succeed)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("cart:detail")
        if order.status in {Order.Status.PAID, Order.Status.FULFILLED}:
            return redirect(f"{reverse('checkout:success')}?order={order.number}")
        messages.error(
            request, _("The test payment failed. Nothing was charged and your cart is unchanged.")
        )
        return redirect("cart:detail")
    return render(
        request, "checkout/test_payment.html", {"order": order, "lines": list(order.lines.all())}
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's signed webhook: verified by the stripe library, applied at most once."""
    try:
        event = payments.webhook_event(request.body, request.headers.get("Stripe-Signature", ""))
    except payments.InvalidWebhookError:
        return HttpResponse("invalid signature", status=400, content_type="text/plain")
    return JsonResponse({"status": services.stripe_event_apply(event=event)})


@login_required
@require_GET
def order_list(request):
    page = Paginator(order_list_for(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "checkout/order_list.html", {"page": page})


@login_required
@require_GET
def order_detail(request, number: str):
    order = order_by_number(
        number=number,
        orders=order_list_for(user=request.user).prefetch_related("lines", "history"),
    )
    if order is None:
        raise Http404("No such order")
    return render(request, "checkout/order_detail.html", {"order": order})
