from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_email(email: str) -> str:
    """Return the form an email is stored and looked up in: trimmed and lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email=normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A shopper or a member of staff; the email address is the login name."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can log in to the admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The address the user proved they receive mail at (the link in the confirmation email).
    # Only while it is still `email` is the account confirmed: orders placed as a guest with
    # that address join it then, never before.
    confirmed_email = models.EmailField(_("confirmed email"), blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="shop_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def email_confirmed(self) -> bool:
        return bool(self.confirmed_email) and self.confirmed_email == self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed for repeats."""

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.BinaryField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="shop_idempotency_scope_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code or 'running'})"


class OutboxTask(models.Model):
    """A Celery task recorded in the transaction whose change it follows, so that it is sent
    even if the broker was down at commit time (the outbox flush sends it later)."""

    name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # Set by the send working on the row (shop/outbox.py); no other send takes it meanwhile.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Set when no task of that name is registered (a deploy bug, logged): the flush leaves the
    # row alone from then on, so it never holds up the rows behind it.
    abandoned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(dispatched_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.kwargs}"


class SentEmail(models.Model):
    """An email the shop sends once (an order's confirmation, a cart's reminder): claimed
    while it is being sent, stamped once it went, so a task delivered twice sends it once."""

    kind = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    claimed_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="shop_sent_email_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({'sent' if self.sent_at else 'sending'})"
