import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
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
from shop.ratelimit import rate_limited
from shop.services import user_create

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
    form = SignupForm(request.POST or None)
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
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(_safe_next(request))
    return render(request, "shop/signup.html", {"form": form, "next": _safe_next(request)})


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
