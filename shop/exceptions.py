"""The base of every domain error; each edge (API, HTML views, tasks) translates them once."""

from typing import Any

from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """A business rule said no; `code` is short snake_case, `message` is for people.

    Each subclass says how the API answers it: `http_status` (400 unless it says otherwise)
    and, for an error about one input, the `field` its message belongs to.
    """

    code = "domain_error"
    default_message = gettext_lazy("The request could not be completed.")
    http_status = 400
    field: str | None = None

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = str(message or self.default_message)
        self.details = details
        super().__init__(self.message)


class EmailAlreadyRegisteredError(DomainError):
    field = "email"
    code = "email_taken"
    default_message = gettext_lazy("An account with this email address already exists.")


class InvalidPasswordError(DomainError):
    field = "password"
    code = "invalid_password"
    default_message = gettext_lazy("This password is not allowed.")

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages), messages=messages)
        self.messages = messages


class EmailBeingSentError(Exception):
    """Another run of the same email's task may be sending it right now: try again later
    (once its claim has lapsed, if that run died)."""
