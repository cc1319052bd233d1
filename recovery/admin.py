"""Staff screens for carts left alone and the reports that read carts and orders together.

The funnel report hangs off the cart list and reconciliation off the order list, where staff
look for them: this app extends the cart's and checkout's admins rather than have those
floors know about it.
"""

from datetime import date, timedelta

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cart.admin import CartAdmin
from cart.models import Cart
from checkout import services as checkout_services
from checkout.admin import OrderAdmin
from checkout.models import Order
from recovery.models import EmailOptOut
from recovery.reports import funnel_report, orders_to_reconcile
from shop.admin import permission_view
from shop.exceptions import DomainError


class CartWithReportAdmin(CartAdmin):
    change_list_template = "admin/recovery/cart_change_list.html"

    def get_urls(self):
        return [
            path("report/", permission_view(self, self.report_view), name="cart_report"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        today = timezone.localdate()
        try:
            start = date.fromisoformat(request.GET.get("start", ""))
        except ValueError:
            start = today - timedelta(days=29)
        try:
            end = date.fromisoformat(request.GET.get("end", ""))
        except ValueError:
            end = today
        # Nothing happened after today; and a day near date.max has no day after it.
        start, end = min(start, today), min(end, today)
        if end < start:
            start, end = end, start
        end = min(end, start + timedelta(days=366))
        report = funnel_report(start=start, end=end)
        peak = max(
            [1, *(max(d.carts_created, d.checkouts_started, d.orders_paid) for d in report.days)]
        )
        bar = 24
        chart = {
            "width": max(1, len(report.days)) * bar,
            "height": 160,
            "days": [
                {
                    "x": i * bar,
                    "day": d,
                    "bars": [
                        (
                            kind,
                            i * bar + 2 + n * 7,
                            150 - round(140 * value / peak),
                            round(140 * value / peak),
                            value,
                        )
                        for n, (kind, value) in enumerate(
                            (
                                ("created", d.carts_created),
                                ("checkout", d.checkouts_started),
                                ("paid", d.orders_paid),
                            )
                        )
                    ],
                }
                for i, d in enumerate(report.days)
            ],
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Carts and orders report"),
            "report": report,
            "chart": chart,
            "opts": self.model._meta,
        }
        return render(request, "admin/recovery/funnel.html", context)


class OrderWithReconciliationAdmin(OrderAdmin):
    change_list_template = "admin/recovery/order_change_list.html"

    def get_urls(self):
        return [
            path(
                "reconciliation/",
                # Reading needs view, applying (POST) change permission on orders.
                permission_view(self, self.reconciliation, read="view", write="change"),
                name="checkout_order_reconciliation",
            ),
            *super().get_urls(),
        ]

    def reconciliation(self, request):
        """Pending orders the payment provider disagrees with; staff apply its state."""
        if request.method == "POST":
            order_id = request.POST.get("order", "")
            if not (order_id.isascii() and order_id.isdigit() and len(order_id) <= 18):
                raise Http404("No such order")
            order = get_object_or_404(Order, pk=int(order_id))
            try:
                order = checkout_services.payment_sync(order=order)
                if (
                    order.status == Order.Status.PENDING_PAYMENT
                    and order.expires_at <= timezone.now()
                ):
                    order = checkout_services.order_cancel(order_id=order.pk, reason="expired")
                self.message_user(
                    request, f"{order.number}: {order.get_status_display()}", messages.SUCCESS
                )
            except DomainError as exc:
                self.message_user(request, f"{order.number}: {exc.message}", messages.WARNING)
            return redirect("admin:checkout_order_reconciliation")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Orders to reconcile with payments"),
            "mismatches": orders_to_reconcile(),
            "opts": self.model._meta,
        }
        return render(request, "admin/recovery/reconciliation.html", context)


admin.site.unregister(Cart)
admin.site.register(Cart, CartWithReportAdmin)
admin.site.unregister(Order)
admin.site.register(Order, OrderWithReconciliationAdmin)


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("email", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("email",)
