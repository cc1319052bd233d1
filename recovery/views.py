"""The pages reminder emails link to: restore a cart, and stop reminders."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cart.web import SESSION_CART_TOKEN, cart_owner, request_source
from recovery import services
from recovery.exceptions import RecoveryLinkError
from recovery.links import unsubscribe_link_read


@require_http_methods(["GET", "POST"])
def cart_recover(request, token: str):
    """The link in a reminder email: the cart comes back in this browser. A logged-in visitor
    is asked first, and a guest cart joins theirs only when they confirm (a POST, so no other
    site can do it for them)."""
    if request.method == "GET" and request.user.is_authenticated:
        try:
            preview = services.cart_recovery_preview(token=token)
        except RecoveryLinkError as error:
            messages.warning(request, error.message)
            return redirect("cart:detail")
        if preview.is_guest_cart:
            return render(request, "recovery/recover.html", {"saved": preview.summary})
    try:
        recovery = services.cart_recover(
            token=token, owner=cart_owner(request), source=request_source(request)
        )
    except RecoveryLinkError as error:
        messages.warning(request, error.message)
        return redirect("cart:detail")
    if recovery.guest_token:
        request.session[SESSION_CART_TOKEN] = recovery.guest_token
    if recovery.needs_login:
        messages.info(request, _("Log in to see the cart you left."))
        return redirect(f"{reverse('shop:login')}?next={reverse('cart:detail')}")
    messages.success(request, _("Welcome back! Your cart is just as you left it."))
    return redirect("cart:detail")


@csrf_exempt  # the signed token is the credential; mail clients post here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop one kind of email (cart reminders, back-in-stock or price-drop alerts) without
    logging in: a page with a button, or a mail client's one-click post (RFC 8058)."""
    try:
        email, kind = unsubscribe_link_read(token)
    except RecoveryLinkError as error:
        return render(request, "recovery/unsubscribe.html", {"error": error.message}, status=400)
    context = {"email": email, "kind": kind, "done": request.method == "POST"}
    if request.method == "POST":
        services.email_unsubscribe(token=token)
    return render(request, "recovery/unsubscribe.html", context)
