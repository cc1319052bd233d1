"""Every domain error maps to one HTTP answer, decided by its class: a new error class must
say how the API answers it before this passes."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from rest_framework.test import APIRequestFactory

from shop.api.problems import exception_handler
from shop.exceptions import DomainError

ROOT = Path(__file__).resolve().parents[3]
APPS = [
    "shop",
    "catalog",
    "inventory",
    "cart",
    "checkout",
    "recovery",
    "giftcards",
    "loyalty",
    "alerts",
    "storefront",
]

# (status, field) for every DomainError subclass in the shop.
EXPECTED = {
    "shop.exceptions.EmailAlreadyRegisteredError": (400, "email"),
    "shop.exceptions.InvalidPasswordError": (400, "password"),
    "catalog.exceptions.ProductNotFoundError": (404, None),
    "catalog.exceptions.VariantNotFoundError": (404, None),
    "catalog.exceptions.CategoryNotFoundError": (400, "category"),
    "catalog.exceptions.SkuTakenError": (400, "sku"),
    "catalog.exceptions.DuplicateVariantNameError": (400, "variants"),
    "catalog.exceptions.ProductNeedsVariantError": (400, "variants"),
    "catalog.exceptions.LineFieldInvalidError": (400, "line_fields"),
    # A line property error names its field by the key (`properties.<key>`).
    "catalog.exceptions.LinePropertyError": (400, "properties.engraving"),
    "catalog.exceptions.LinePropertyRequiredError": (400, "properties.engraving"),
    "catalog.exceptions.LinePropertyTooLongError": (400, "properties.engraving"),
    "catalog.exceptions.LinePropertyChoiceError": (400, "properties.engraving"),
    "catalog.exceptions.LinePropertyTextError": (400, "properties.engraving"),
    "catalog.exceptions.LinePropertyUnknownError": (400, "properties.engraving"),
    "inventory.exceptions.PurchaseRefusedError": (409, None),
    "cart.exceptions.CartError": (400, None),
    "cart.exceptions.LineNotFoundError": (404, None),
    "cart.exceptions.VariantChoiceRequiredError": (400, None),
    "cart.exceptions.InvalidQuantityError": (400, "quantity"),
    "cart.exceptions.QuantityAboveMaximumError": (400, "quantity"),
    "cart.exceptions.CartFullError": (409, None),
    "cart.exceptions.CartVersionMismatchError": (412, None),
    "cart.exceptions.CartNotFoundError": (404, None),
    "cart.exceptions.CartNoteInvalidError": (400, "note"),
    "cart.exceptions.CartNoteTooLongError": (400, "note"),
    "cart.exceptions.SharedCartNotFoundError": (404, None),
    "cart.exceptions.SharedCartEmptyError": (409, None),
    "cart.exceptions.SavedItemNotFoundError": (404, None),
    "cart.exceptions.SavedItemsFullError": (409, None),
    "cart.exceptions.WishlistItemNotFoundError": (404, None),
    "cart.exceptions.WishlistFullError": (409, None),
    "checkout.exceptions.CartEmptyError": (400, None),
    "checkout.exceptions.CartInvalidError": (409, None),
    "checkout.exceptions.ShippingMethodError": (400, "shipping_method"),
    "checkout.exceptions.PromoCodeError": (400, "promo_code"),
    "checkout.exceptions.TotalChangedError": (409, None),
    "checkout.exceptions.OrderNotFoundError": (404, None),
    "checkout.exceptions.OrderStateError": (409, None),
    "checkout.exceptions.CheckoutExpiredError": (409, None),
    "checkout.exceptions.GuestHoldLimitError": (409, None),
    "checkout.exceptions.GuestCheckoutsLimitError": (409, None),
    "checkout.payments.PaymentProviderError": (503, None),
    "giftcards.exceptions.GiftCardNotFoundError": (404, None),
    "giftcards.exceptions.GiftCardInvalidError": (400, "gift_cards"),
    "giftcards.exceptions.GiftCardBalanceError": (409, "gift_cards"),
    "giftcards.exceptions.GiftCardForGiftCardError": (400, "gift_cards"),
    "giftcards.exceptions.GiftCardAdjustError": (400, "amount"),
    "giftcards.exceptions.GiftCardReasonRequiredError": (400, "reason"),
    "giftcards.exceptions.GiftCardAmountError": (400, "balance"),
    "giftcards.exceptions.GiftCardExpiryError": (400, "expires_at"),
    "recovery.exceptions.RecoveryLinkError": (400, None),
    "loyalty.exceptions.PointsAccountRequiredError": (400, "redeem_points"),
    "loyalty.exceptions.NotEnoughPointsError": (409, "redeem_points"),
    "loyalty.exceptions.PointsAdjustmentError": (400, "points"),
    "loyalty.exceptions.PointsReasonRequiredError": (400, "reason"),
    "alerts.exceptions.VariantInStockError": (409, None),
    "alerts.exceptions.StockAlertLinkError": (404, None),
}


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _load_every_module():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)


def _instance(cls):
    """An instance of the error, with made-up arguments where its constructor needs some."""
    from inventory.availability import Refusal

    arguments = {
        "PurchaseRefusedError": (Refusal("out_of_stock", "Sorry, this item is out of stock.", 0),),
        "QuantityAboveMaximumError": (100,),
        "CartFullError": (100,),
        "SkuTakenError": ("SKU-1",),
        "TotalChangedError": ("10.00", "USD"),
        "InvalidPasswordError": (["Too short."],),
        "GuestHoldLimitError": (50, 10),
        "GuestCheckoutsLimitError": (3,),
        "CartNoteTooLongError": (500,),
        "SavedItemsFullError": (100,),
        "WishlistFullError": (200,),
        "GiftCardInvalidError": ("WXYZ",),
        "GiftCardBalanceError": ("•••• WXYZ",),
        "GiftCardAdjustError": ("10.00", "5.00", "USD"),
    }
    if cls.__name__.startswith("LineProperty"):
        return cls("Engraving can be at most 20 characters.", key="engraving")
    return cls(*arguments.get(cls.__name__, ()))


def test_every_domain_error_is_listed_with_its_answer():
    _load_every_module()
    found = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _all_subclasses(DomainError)
        if cls.__module__.split(".")[0] in APPS
    }
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_api_answers_each_domain_error_as_its_class_says(name):
    module, _, qualname = name.rpartition(".")
    cls = getattr(importlib.import_module(module), qualname)
    status, field = EXPECTED[name]
    request = APIRequestFactory().get("/api/v1/anything/")

    response = exception_handler(_instance(cls), {"request": request})

    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    assert response.data["status"] == status and response.data["code"]
    assert response.data["detail"]
    if field:
        assert list(response.data["errors"]) == [field]
    else:
        assert "errors" not in response.data
