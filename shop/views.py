import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults, static
from django.views.decorators.http import require_http_methods

from shop.api.problems import problem_json_response
from shop.api.throttles import AuthThrottle
from shop.exceptions import EmailAlreadyRegisteredError, InvalidPasswordError
from shop.forms import LoginForm, SignupForm
from shop.links import base_url
from shop.ratelimit import rate_limited
from shop.services import email_confirmation_request, user_create, user_email_confirm
from shop.tokens import (
    ConfirmationLinkError,
    ConfirmationLinkExpiredError,
    email_confirmation_user,
)

logger = logging.getLogger(__name__)


@method_decorator(rate_limited(AuthThrottle), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "shop/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    # Django's login() rotates the session key but keeps its data (a guest's cart token
    # included) and sends user_logged_in, whose receiver in the cart app merges the carts.


class LogoutView(auth_views.LogoutView):
    next_page = "/"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been logged out."))
        return response


def _safe_next(request) -> str:
    """Where to go after signing up: `next` when it is a path on this site, else home. (Not a
    bare word: redirect() would look it up as a URL name.)"""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
@rate_limited(AuthThrottle)
def signup(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    # The order confirmation page offers a guest an account for the order's email: filled in.
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except EmailAlreadyRegisteredError as exc:
            form.add_error("email", exc.message)
        except InvalidPasswordError as exc:
            for message in exc.messages:
                form.add_error("password", message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            email_confirmation_request(user=user, base_url=base_url(request))
            messages.success(request, _("Welcome! Your account is ready."))
            target = _safe_next(request)
            if target != reverse("checkout:order-list"):  # which says so itself
                messages.info(request, _confirm_prompt(user.email))
            return redirect(target)
    return render(request, "shop/signup.html", {"form": form, "next": _safe_next(request)})


def _confirm_prompt(email: str) -> str:
    return _(
        "We have sent a link to %(email)s: open it to confirm your email address, and orders "
        "you placed as a guest with it join your account."
    ) % {"email": email}


@require_http_methods(["GET", "POST"])
@rate_limited(AuthThrottle)
def email_confirm(request, token: str):
    """The link from the confirmation email. The GET shows a button and changes nothing (mail
    scanners open links); its CSRF-protected POST confirms the address the link was made for."""
    try:
        user = email_confirmation_user(token)
    except ConfirmationLinkError as exc:
        expired = isinstance(exc, ConfirmationLinkExpiredError)
        return render(request, "shop/email_confirm.html", {"expired": expired}, status=400)
    if request.method == "GET":
        return render(request, "shop/email_confirm.html", {"email": user.email})
    user_email_confirm(user=user)
    messages.success(
        request,
        _("%(email)s is confirmed. Orders you placed as a guest with it are in My orders.")
        % {"email": user.email},
    )
    orders = reverse("checkout:order-list")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(orders)
    return redirect_to_login(orders)


@login_required
@require_http_methods(["POST"])
@rate_limited(AuthThrottle)
def email_confirmation_resend(request):
    """Send the logged-in user a new confirmation link."""
    if email_confirmation_request(user=request.user, base_url=base_url(request)):
        messages.info(
            request, _("We have sent a new link to %(email)s.") % {"email": request.user.email}
        )
    return redirect(_safe_next(request) if request.POST.get("next") else "checkout:order-list")


def page_not_found(request, exception=None):
    """The friendly 404 page; under /api/ a problem+json body instead."""
    if request.path.startswith("/api/"):
        return problem_json_response(404, "not_found", _("There is nothing at this address."))
    return defaults.page_not_found(request, exception)


def media(request, path: str):
    """Uploaded files, when Django serves them (SERVE_MEDIA); a name the file system refuses
    (too long, say) is not found rather than an error."""
    try:
        return static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError) as exc:
        raise Http404("No such file") from exc


def _database_unavailable() -> bool:
    """Whether the error being handled is the database being out of reach."""
    exc = sys.exc_info()[1]
    return isinstance(exc, (OperationalError, InterfaceError))


def service_unavailable(request):
    """The database is out of reach: a friendly 503 that needs no database to render."""
    request_id = getattr(request, "request_id", "")
    message = _(
        "The shop is taking a short break. Please try again in a minute; your cart is safe."
    )
    if request.path.startswith("/api/"):
        response = problem_json_response(
            503, "service_unavailable", message, request_id=request_id or None
        )
    elif request.headers.get("HX-Request"):
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        body = loader.get_template("503.html").render(
            {"request_id": request_id, "message": message}
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """Render the 500 page without context processors: they may be what failed."""
    if _database_unavailable():
        return service_unavailable(request)
    if request.path.startswith("/api/"):
        return problem_json_response(
            500,
            "server_error",
            "Sorry, something went wrong on our side.",
            request_id=getattr(request, "request_id", None),
        )
    if request.headers.get("HX-Request"):
        message = _("Sorry, something went wrong on our side. Please try again.")
        return HttpResponseServerError(message, content_type="text/plain; charset=utf-8")
    request_id = getattr(request, "request_id", "")
    try:
        body = loader.get_template("500.html").render({"request_id": request_id})
    except Exception:  # the page itself failed (say, no static manifest): plain words then
        logger.exception("the 500 page could not be rendered")
        body = format_html(
            "<!doctype html><title>{0}</title><h1>{0}</h1><p>{1}</p><p>{2}: <code>{3}</code></p>",
            _("Sorry, something went wrong on our side"),
            _("Your cart is safe. Please try again in a moment."),
            _("Reference"),
            request_id,
        )
    return HttpResponseServerError(body)


def csrf_failure(request, reason: str = ""):
    """A form or htmx request whose CSRF check failed: usually an expired session."""
    message = _("Your session has expired. Please reload the page and try again.")
    if request.headers.get("HX-Request"):
        return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
    return render(request, "403_csrf.html", {"message": message}, status=403)
