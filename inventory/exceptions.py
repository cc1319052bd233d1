"""What stock refuses, with a stable code for the API and a message for shoppers."""

from inventory.availability import Refusal
from shop.exceptions import DomainError


class PurchaseRefusedError(DomainError):
    """The stock or the catalog says no: out of stock, too few left, or no longer sold."""

    http_status = 409

    def __init__(self, refusal: Refusal, *, variant_id: int | None = None) -> None:
        self.code = refusal.code
        self.refusal = refusal
        super().__init__(refusal.message, available_stock=refusal.available, variant_id=variant_id)

    @property
    def available_stock(self) -> int:
        return self.refusal.available
