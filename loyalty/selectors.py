"""Reads of loyalty points: a shopper's account and ledger."""

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from loyalty.models import PointsAccount, PointsEntry


@dataclass(frozen=True)
class PointsSummary:
    balance: int
    pending: int
    entries: QuerySet[PointsEntry]


def points_summary(*, user) -> PointsSummary:
    """A shopper's points to spend, points pending and ledger, newest first (creates nothing)."""
    account = PointsAccount.objects.filter(user=user).first()
    entries = PointsEntry.objects.filter(account__user=user).select_related("order")
    if account is None:
        return PointsSummary(balance=0, pending=0, entries=entries.none())
    return PointsSummary(balance=account.balance, pending=account.pending, entries=entries)


def points_balance(*, user) -> int:
    """The points a shopper can spend now (0 for a guest or a shopper without an account)."""
    if user is None or not user.is_authenticated:
        return 0
    found = PointsAccount.objects.filter(user=user).values_list("balance", flat=True).first()
    return found or 0


def points_ledger_totals(*, account: PointsAccount) -> tuple[int, int]:
    """What the ledger adds up to, (balance, pending): always the account's own figures."""
    sums = account.entries.aggregate(b=Sum("balance_change"), p=Sum("pending_change"))
    return sums["b"] or 0, sums["p"] or 0
