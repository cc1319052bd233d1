"""Reads about who wants which emails."""

from recovery.models import EmailOptOut
from shop.models import normalize_email


def email_opted_out(*, email: str, kind: str) -> bool:
    """Whether `email` asked for no more emails of `kind` (a link, or their settings)."""
    return EmailOptOut.objects.filter(email=normalize_email(email), kind=kind).exists()


def email_opted_out_kinds(*, email: str) -> set[str]:
    """The kinds of email `email` asked for no more of."""
    return set(
        EmailOptOut.objects.filter(email=normalize_email(email)).values_list("kind", flat=True)
    )
