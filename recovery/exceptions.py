from django.utils.translation import gettext_lazy

from shop.exceptions import DomainError


class RecoveryLinkError(DomainError):
    code = "recovery_link_invalid"
    default_message = gettext_lazy("This link is not valid any more. Your cart may have expired.")
