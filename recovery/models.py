from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailOptOut(models.Model):
    """An address that asked for no more cart reminders."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cart_emailoptout"  # where the table was made; rows kept as they are
        verbose_name = _("reminder opt-out")
        verbose_name_plural = _("reminder opt-outs")

    def __str__(self) -> str:
        return self.email
