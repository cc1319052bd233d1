"""The cart's pages and actions. Every action works as a plain form post (redirect and a
message) and, with htmx, answers with everything it changed in one response. Each is applied
once per form key (shop/formkeys.py): a send repeated after a lost answer changes nothing."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from cart import services
from cart.exceptions import SharedCartNotFoundError, VariantChoiceRequiredError
from cart.forms import (
    AddToCartForm,
    LineChangeForm,
    NoteForm,
    RestoreForm,
    WishlistToggleForm,
)
from cart.selectors import CartSummary, wishlist_list, with_saved_items
from cart.web import (
    cart_owner,
    remember_cart,
    remember_guest_token,
    request_cart_summary,
    request_source,
)
from catalog.selectors import product_option_name_by_id
from inventory.selectors import featured_products_with_stock
from shop.api.throttles import CartWriteThrottle
from shop.exceptions import DomainError
from shop.formkeys import once_per_form_key
from shop.links import absolute_url, base_url
from shop.ratelimit import rate_limited


def _back(request, default: str) -> str:
    """Where a plain form post returns to: its safe `next`, else `default`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _on_cart_page(request) -> bool:
    current = getattr(request.htmx, "current_url_abs_path", None) or ""
    return current.split("?")[0] == reverse("cart:detail")


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


# The mini cart's forms post origin=mini-cart: a refusal is told there, where the shopper is.
MINI_CART_ORIGIN = "mini-cart"


def _warning_places(
    request, summary: CartSummary, warning: tuple[int, str] | None, on_cart_page: bool
):
    """Where an htmx answer shows a refused line change: (on the cart page, in the mini cart).

    On the line the shopper used, when that line is on show there; otherwise nowhere (a toast)."""
    if warning is None or summary.line(warning[0]) is None:
        return None, None
    if request.POST.get("origin") == MINI_CART_ORIGIN:
        shown = any(line.id == warning[0] for line in summary.mini_lines)
        return None, warning if shown else None
    return (warning if on_cart_page else None), None


def _respond(
    request,
    *,
    summary: CartSummary,
    back: str,
    toast: str = "",
    level: str = "success",
    undo: tuple[tuple[int, int, dict], ...] = (),
    warning: tuple[int, str] | None = None,
    add_error: str | None = None,
    live: bool = False,
):
    """Answer a cart action: a redirect with a message, or, for htmx, every changed partial.
    `live`: a refresh after a change made elsewhere, leaving the page's messages alone."""
    if not request.htmx:
        if toast:
            # The product page shows a refused add beside its button (and not as a toast).
            tags = "stock-error" if add_error else ""
            messages.add_message(request, getattr(messages, level.upper()), toast, extra_tags=tags)
        if warning:
            back = f"{reverse('cart:detail')}?refused={warning[0]}"
        return redirect(back)
    on_cart_page = _on_cart_page(request)
    if on_cart_page:  # the cart page shows the saved items under the lines
        summary = _with_saved(request, summary)
    page_warning, mini_warning = _warning_places(request, summary, warning, on_cart_page)
    if add_error or page_warning or mini_warning:
        toast = ""  # a refusal is said once, where the shopper is looking
    response = render(
        request,
        "cart/partials/_cart_update.html",
        {
            "header_cart": summary,
            "on_cart_page": on_cart_page,
            "toast": toast,
            "level": level,
            # The undo form posts each item's properties back as JSON.
            "undo": [(v, q, json.dumps(p) if p else "") for v, q, p in undo],
            "page_warning": page_warning,
            "mini_warning": mini_warning,
            "add_error": add_error,
            "live": live,
        },
    )
    return trigger_client_event(
        response,
        "cart-changed",
        {"count": summary.total_items, "version": summary.version},
        after="swap",
    )


def _changed(
    request, change: services.CartChange, *, back: str, toast: str | None = None, **kwargs
):
    """Answer a cart action that went through; a guest's new cart token goes in the session."""
    remember_cart(request, change.summary)
    if change.created_cart:
        services.cart_site_record(cart_id=change.summary.cart_id, site_url=base_url(request))
    return _respond(
        request,
        summary=change.summary,
        back=back,
        toast=change.message if toast is None else toast,
        undo=change.removed,
        **kwargs,
    )


def _refused(request, error: DomainError | str, *, back: str, line_id=None, add_form=False):
    message = error if isinstance(error, str) else str(error.message)
    return _respond(
        request,
        summary=request_cart_summary(request),
        back=back,
        toast=message,
        level="error",
        warning=(line_id, message) if line_id is not None else None,
        add_error=message if add_form else None,
    )


def _with_saved(request, summary: CartSummary) -> CartSummary:
    user = request.user if request.user.is_authenticated else None
    return with_saved_items(summary, user=user)


@require_GET
@cache_control(private=True, no_store=True)
@vary_on_headers("HX-Request")
def cart_detail(request):
    summary = _with_saved(request, request_cart_summary(request))
    services.cart_record_view(
        owner=cart_owner(request), summary=summary, source=request_source(request)
    )
    warning = None
    refused = request.GET.get("refused", "")
    # isdigit() alone also accepts digits int() refuses, such as "²".
    if (
        refused.isascii()
        and refused.isdigit()
        and (line := summary.line(int(refused))) is not None
    ):
        warning = (line.id, line.refusal_message)
    context = {
        "cart": summary,
        "warning": warning,
        "suggestions": featured_products_with_stock(limit=4) if summary.is_empty else [],
        "share": _shared_link(request, summary),
    }
    template = "cart/detail.html#cart-body" if request.htmx else "cart/detail.html"
    return render(request, template, context)


@require_GET
@cache_control(private=True, no_store=True)
def cart_live(request):
    """What a live cart event (or a tab coming back into view) refreshes with htmx: the badge,
    the mini cart and, asked from the cart page, its lines and totals, with their stock and
    price notices. Without htmx there is nothing to refresh: the cart page."""
    if not request.htmx:
        return redirect(reverse("cart:detail"))
    return _respond(
        request, summary=request_cart_summary(request), back=reverse("cart:detail"), live=True
    )


@require_GET
@cache_control(private=True, no_store=True)
def mini_cart(request):
    """The header's mini cart, loaded when it is first opened."""
    return render(
        request, "cart/partials/_mini_cart.html", {"cart": request_cart_summary(request)}
    )


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def cart_add(request):
    back = _back(request, reverse("cart:detail"))
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return _refused(request, _first_error(form), back=back, add_form=True)
    data = form.cleaned_data
    if data["variant_id"] is None:
        option = product_option_name_by_id(data["product_id"]) if data["product_id"] else ""
        error = VariantChoiceRequiredError(
            _("Please select a %(option)s before adding to cart.") % {"option": option}
            if option
            else None
        )
        return _refused(request, error, back=back, add_form=True)
    try:
        change = services.cart_add_line(
            owner=cart_owner(request),
            variant_id=data["variant_id"],
            quantity=data["quantity"],
            properties=data["properties"],
            source=request_source(request),
        )
    except DomainError as error:
        return _refused(request, error, back=back, add_form=True)
    return _changed(request, change, back=back, add_error="")


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def line_change(request, line_id: int):
    back = _back(request, reverse("cart:detail"))
    form = LineChangeForm(request.POST)
    if not form.is_valid():
        return _refused(request, _first_error(form), back=back, line_id=line_id)
    action = form.cleaned_data["action"]
    owner, source = cart_owner(request), request_source(request)
    try:
        if action == "set":
            change = services.cart_set_line_quantity(
                owner=owner, line_id=line_id, quantity=form.cleaned_data["quantity"], source=source
            )
        else:
            delta = 1 if action == "increase" else -1
            change = services.cart_adjust_line_quantity(
                owner=owner, line_id=line_id, delta=delta, source=source
            )
    except DomainError as error:
        return _refused(request, error, back=back, line_id=line_id)
    # Steps of a quantity show in place; only a removal (typed 0) needs a toast, with undo.
    quiet = request.htmx and not change.removed
    return _changed(request, change, back=back, toast="" if quiet else None)


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def line_remove(request, line_id: int):
    back = _back(request, reverse("cart:detail"))
    try:
        change = services.cart_remove_line(
            owner=cart_owner(request), line_id=line_id, source=request_source(request)
        )
    except DomainError as error:
        return _refused(request, error, back=back)
    return _changed(request, change, back=back)


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def cart_clear(request):
    back = _back(request, reverse("cart:detail"))
    change = services.cart_clear(owner=cart_owner(request), source=request_source(request))
    return _changed(request, change, back=back)


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def cart_restore(request):
    """Undo a removal or a clear: put the lines back (as adds, so stock rules still hold)."""
    back = _back(request, reverse("cart:detail"))
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return _refused(request, _first_error(form), back=back)
    try:
        change = services.cart_add_lines(
            owner=cart_owner(request),
            items=form.cleaned_data["items"],
            source=request_source(request),
        )
    except DomainError as error:
        return _refused(request, error, back=back)
    return _changed(request, change, back=back, toast=_("Restored to your cart."))


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def cart_note(request):
    """Save the cart's note: as the shopper types (htmx, answered with a status line) or by
    the form's button (redirect and a message)."""
    back = _back(request, reverse("cart:detail"))
    form = NoteForm(request.POST)
    saved = False
    if not form.is_valid():
        message = _first_error(form)
    else:
        try:
            change = services.cart_note_set(
                owner=cart_owner(request),
                note=form.cleaned_data["note"],
                source=request_source(request),
            )
        except DomainError as error:
            message = error.message
        else:
            remember_cart(request, change.summary)
            if change.created_cart:
                services.cart_site_record(
                    cart_id=change.summary.cart_id, site_url=base_url(request)
                )
            message, saved = change.message, True
    if request.htmx:
        return render(
            request,
            "cart/partials/_cart_note.html#note-status",
            {"note_status": message, "note_saved": saved},
        )
    messages.add_message(request, messages.SUCCESS if saved else messages.ERROR, message)
    return redirect(back)


# --- Shared carts (issue 15, point 3) ----------------------------------------------------

# The link the shopper last made of this cart: shown on the cart page while the cart is
# as it was shared (the same cart and version), so a plain form post can show it too.
SESSION_SHARED_LINK = "shared_cart_link"


def _shared_link(request, summary: CartSummary) -> dict | None:
    """The link to show in the cart page's "Share this cart", or None."""
    stored = request.session.get(SESSION_SHARED_LINK)
    if (
        not isinstance(stored, dict)
        or not summary.exists
        or stored.get("cart_id") != summary.cart_id
        or stored.get("version") != summary.version
    ):
        return None
    token, expires_at = stored.get("token"), parse_datetime(stored.get("expires_at") or "")
    if not token or expires_at is None or expires_at <= timezone.now():
        return None
    return {
        "url": absolute_url(request, services.shared_cart_path(token)),
        "expires_at": expires_at,
    }


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def cart_share(request):
    """Make a link to a snapshot of the cart ("Share this cart"): with htmx the share panel
    answers with it in place; without, the cart page shows it after the redirect."""
    try:
        link = services.cart_share(owner=cart_owner(request), source=request_source(request))
    except DomainError as error:
        if request.htmx:
            return render(
                request, "cart/partials/_share_cart.html", {"share_error": error.message}
            )
        messages.error(request, error.message)
        return redirect(reverse("cart:detail"))
    request.session[SESSION_SHARED_LINK] = {
        "token": link.token,
        "cart_id": link.cart_id,
        "version": link.cart_version,
        "expires_at": link.expires_at.isoformat(),
    }
    if request.htmx:
        share = {
            "url": absolute_url(request, link.path),
            "expires_at": link.expires_at,
        }
        return render(
            request, "cart/partials/_share_cart.html", {"share": share, "just_shared": True}
        )
    messages.success(request, _("Your link is ready: copy it and send it to anyone."))
    return redirect(reverse("cart:detail") + "#share-cart")


def _viewer(request) -> str | None:
    """Who opens a shared cart, to count each visitor's opens once: their account or
    session (none yet: every open counts)."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    key = request.session.session_key
    return f"session:{key}" if key else None


@require_GET
@cache_control(private=True, no_store=True)
def shared_cart_detail(request, token: str):
    """A shared cart's page: its lines at today's prices and stock, and "Add all to my
    cart". An unknown or expired link is the shop's 404 page."""
    try:
        shared = services.shared_cart_open(
            token=token,
            user=request.user if request.user.is_authenticated else None,
            viewer=_viewer(request),
            source=request_source(request),
        )
    except SharedCartNotFoundError as error:
        raise Http404(error.message) from error
    response = render(request, "cart/shared.html", {"shared": shared})
    # A link meant for one person: not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def shared_cart_add(request, token: str):
    """Add every line of a shared cart to the visitor's cart, then show the cart with what
    was capped or left out; when nothing could be added, back to the shared cart."""
    try:
        result = services.shared_cart_add_to_cart(
            token=token, owner=cart_owner(request), source=request_source(request)
        )
    except SharedCartNotFoundError as error:
        raise Http404(error.message) from error
    if result.changed:
        remember_cart(request, result.summary)
        if result.created_cart:
            services.cart_site_record(cart_id=result.summary.cart_id, site_url=base_url(request))
        level = messages.WARNING if result.capped or result.left_out else messages.SUCCESS
        target = reverse("cart:detail")
    else:
        level = messages.ERROR
        target = reverse("cart:shared", args=[token])
    messages.add_message(request, level, result.message)
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


# --- Saved for later (issue 15, point 1) ---------------------------------------------------


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def line_save(request, line_id: int):
    """Move a line out of the cart into the saved items."""
    back = _back(request, reverse("cart:detail"))
    try:
        change = services.cart_line_save(
            owner=cart_owner(request), line_id=line_id, source=request_source(request)
        )
    except DomainError as error:
        return _refused(request, error, back=back)
    return _changed(request, change, back=back)


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def saved_move(request, saved_id: int):
    """Move a saved item back into the cart: an add, refused as an add is."""
    back = _back(request, reverse("cart:detail"))
    try:
        change = services.saved_item_move_to_cart(
            owner=cart_owner(request), saved_id=saved_id, source=request_source(request)
        )
    except DomainError as error:
        return _refused(request, error, back=back)
    return _changed(request, change, back=back)


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def saved_remove(request, saved_id: int):
    back = _back(request, reverse("cart:detail"))
    try:
        change = services.saved_item_remove(
            owner=cart_owner(request), saved_id=saved_id, source=request_source(request)
        )
    except DomainError as error:
        return _refused(request, error, back=back)
    return _changed(request, change, back=back)


# --- The wishlist (issue 15, point 2) ------------------------------------------------------


def _on_wishlist_page(request) -> bool:
    current = getattr(request.htmx, "current_url_abs_path", None) or ""
    return current.split("?")[0] == reverse("wishlist:detail")


def _wishlist_answer(
    request,
    *,
    back: str,
    message: str,
    level: str = "success",
    heart: dict | None = None,
    count: int | None = None,
):
    """Answer a wishlist change: a redirect with a message, or for htmx the heart drawn
    again, the header's count, the wishlist page's list when it is open, and a toast."""
    if not request.htmx:
        messages.add_message(request, getattr(messages, level.upper()), message)
        return redirect(back)
    owner = cart_owner(request)
    context = {
        "heart": heart,
        "count": count,
        "toast": message,
        "level": level,
        "items": wishlist_list(owner=owner) if _on_wishlist_page(request) else None,
    }
    return render(request, "cart/partials/_wishlist_update.html", context)


@require_GET
@cache_control(private=True, no_store=True)
@vary_on_headers("HX-Request")
def wishlist_detail(request):
    """The wishlist: each variant at today's price and stock, to move to the cart or remove."""
    items = wishlist_list(owner=cart_owner(request))
    template = "cart/wishlist.html#wishlist-body" if request.htmx else "cart/wishlist.html"
    return render(request, template, {"items": items})


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def wishlist_toggle(request):
    """The heart on a product page or card: on the wishlist, or off it again."""
    back = _back(request, reverse("wishlist:detail"))
    form = WishlistToggleForm(request.POST)
    place = (form.is_valid() and form.cleaned_data["place"]) or "page"
    variant_id = form.cleaned_data.get("variant_id") if form.is_valid() else None
    heart = {"variant_id": variant_id, "place": place, "name": ""}
    if variant_id is None:
        return _wishlist_answer(
            request,
            back=back,
            message=_("Please choose an option before adding to your wishlist."),
            level="error",
            heart=heart,
        )
    try:
        change = services.wishlist_toggle(
            owner=cart_owner(request), variant_id=variant_id, source=request_source(request)
        )
    except DomainError as error:
        return _wishlist_answer(
            request, back=back, message=str(error.message), level="error", heart=heart
        )
    remember_guest_token(request, change.token)
    if change.created_cart:
        services.cart_site_record(cart_id=change.cart_id, site_url=base_url(request))
    heart["name"] = change.product_name
    return _wishlist_answer(
        request, back=back, message=change.message, heart=heart, count=change.count
    )


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def wishlist_remove(request, item_id: int):
    back = _back(request, reverse("wishlist:detail"))
    try:
        change = services.wishlist_remove(owner=cart_owner(request), item_id=item_id)
    except DomainError as error:
        return _wishlist_answer(request, back=back, message=str(error.message), level="error")
    return _wishlist_answer(request, back=back, message=change.message, count=change.count)


@require_POST
@rate_limited(CartWriteThrottle)
@once_per_form_key
def wishlist_move(request, item_id: int):
    """Add one of a wishlist item to the cart; it stays on the wishlist."""
    back = _back(request, reverse("wishlist:detail"))
    try:
        change = services.wishlist_move_to_cart(
            owner=cart_owner(request), item_id=item_id, source=request_source(request)
        )
    except DomainError as error:
        return _refused(request, error, back=back)
    return _changed(request, change, back=back)
