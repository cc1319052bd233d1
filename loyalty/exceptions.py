from django.utils.translation import gettext_lazy

from shop.exceptions import DomainError


class PointsAccountRequiredError(DomainError):
    field = "redeem_points"
    code = "points_login_required"
    default_message = gettext_lazy("Log in to use your loyalty points.")


class NotEnoughPointsError(DomainError):
    http_status = 409
    field = "redeem_points"
    code = "points_insufficient"
    default_message = gettext_lazy("You do not have that many points to spend.")


class PointsAdjustmentError(DomainError):
    field = "points"
    code = "invalid_points_adjustment"
    default_message = gettext_lazy(
        "That would take the balance below zero: at most the points to spend can be taken."
    )


class PointsReasonRequiredError(DomainError):
    field = "reason"
    code = "points_reason_required"
    default_message = gettext_lazy("Say why the points are adjusted.")
