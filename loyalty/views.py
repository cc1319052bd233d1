"""The shopper's loyalty points page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from loyalty.selectors import points_summary
from loyalty.services import points_value

ENTRIES_PER_PAGE = 25


@login_required
@require_GET
@vary_on_headers("HX-Request")
def points_page(request):
    summary = points_summary(user=request.user)
    page = Paginator(summary.entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    template = "loyalty/points.html#ledger" if request.htmx else "loyalty/points.html"
    context = {
        "summary": summary,
        "page": page,
        "balance_value": points_value(summary.balance),
        "pending_days": settings.LOYALTY_PENDING_DAYS,
        "points_per_unit": settings.LOYALTY_POINTS_PER_UNIT,
        "currency": settings.SHOP_CURRENCY,
    }
    return render(request, template, context)
