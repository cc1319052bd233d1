"""Thin pages for alerts: ask for a back-in-stock email, confirm it, and choose which emails
to get. Each parses its input, calls one service and renders (a partial for htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from alerts import services
from alerts.exceptions import StockAlertLinkError
from alerts.forms import NotificationPreferencesForm, StockAlertForm
from shop.api.throttles import AuthThrottle
from shop.exceptions import DomainError
from shop.links import base_url
from shop.ratelimit import rate_limited

NOTIFY_PARTIAL = "alerts/partials/_back_in_stock.html"


def _next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _answer(request, message: str, *, ok: bool, form=None, variant_id=None, status: int = 200):
    if request.htmx:
        context = {
            "alert_message": message,
            "alert_ok": ok,
            "alert_form": form,
            "alert_variant_id": variant_id,
            "alert_next": _next(request),
            "show_back_in_stock": True,
        }
        return render(request, NOTIFY_PARTIAL, context, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect(_next(request))


@require_POST
@vary_on_headers("HX-Request")
@rate_limited(AuthThrottle)  # a guest's ask emails an address: limited like logins
def stock_alert_create(request):
    """ "Email me when it's back": a shopper's one click, or a guest's address to confirm."""
    user = request.user if request.user.is_authenticated else None
    form = StockAlertForm(request.POST, needs_email=user is None)
    variant_id = request.POST.get("variant_id", "")
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        message = " ".join(problems) or _("Please check the form.")
        return _answer(request, message, ok=False, form=form, variant_id=variant_id, status=400)
    try:
        result = services.stock_alert_request(
            variant_id=form.cleaned_data["variant_id"],
            user=user,
            email=form.cleaned_data["email"],
            site_url=base_url(request),
        )
    except DomainError as error:
        status = 404 if error.http_status == 404 else 409
        return _answer(request, error.message, ok=False, variant_id=variant_id, status=status)
    if not result.confirmed:
        message = _(
            "Almost done: we sent a link to %(email)s. Open it to confirm, and we'll email you "
            "when it's back."
        ) % {"email": result.alert.email}
    elif result.muted:
        message = _(
            "Saved, but back-in-stock emails are turned off in your notification settings."
        )
    else:
        message = _("We'll email you at %(email)s when it's back.") % {"email": result.alert.email}
    return _answer(request, message, ok=True, variant_id=variant_id)


@require_http_methods(["GET", "POST"])
def stock_alert_confirm(request, token: str):
    """The link in the confirmation email: the GET shows a button and changes nothing (mail
    scanners open links); its POST confirms the alert."""
    try:
        if request.method == "GET":
            alert = services.stock_alert_read(token=token)
            return render(request, "alerts/confirm.html", {"alert": alert, "done": False})
        confirmation = services.stock_alert_confirm(token=token)
    except StockAlertLinkError as error:
        return render(request, "alerts/confirm.html", {"error": error.message}, status=400)
    return render(
        request,
        "alerts/confirm.html",
        {"alert": confirmation.alert, "done": True, "in_stock": confirmation.in_stock},
    )


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def notification_settings(request):
    """Which emails the shopper gets: back in stock, price drops, cart reminders."""
    saved = False
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            services.notification_preferences_set(user=request.user, wanted=form.cleaned_data)
            saved = True
            if not request.htmx:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("alerts:notification-settings")
    else:
        form = NotificationPreferencesForm(
            initial=services.notification_preferences_get(user=request.user)
        )
    template = "alerts/notifications.html"
    if request.htmx:
        template += "#preferences"
    return render(request, template, {"form": form, "saved": saved})
