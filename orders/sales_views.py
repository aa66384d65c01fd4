"""The dashboard's "Bán hàng" pages: what sells, and the monthly statement with the market (page,
CSV and printable page).

Owners and members only, like the orders: helpers are volunteers from outside the cooperative who
keep the listings; the cooperative's takings and what it owes the market are not theirs to see.
Each page reads the cooperative being worked on and nothing else.
"""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from products.permissions import ORDER_ROLES, dashboard_view

from . import sales, statements
from .exports import statement_csv_response
from .sales_forms import chosen_month, chosen_period


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def sales_page(request):
    """Units and money per product, orders per province and from posters, for 7/30/90 days."""
    days, error = chosen_period(request.GET)
    figures = sales.cooperative_sales(cooperative=request.membership.cooperative, days=days)
    context = {"sales": figures, "periods": sales.PERIODS, "error": error, "dash_section": "sales"}
    return render(request, "dashboard/sales/sales.html", context, status=400 if error else 200)


def _statement(request):
    month, error = chosen_month(request.GET)
    statement = statements.cooperative_statement(cooperative=request.membership.cooperative, month=month)
    return statement, error


def _statement_page(request, statement, error: str):
    context = {
        "statement": statement,
        "error": error,
        "months": statements.months_recent(),
        "before": statements.month_before(month=statement.month),
        "after": statements.month_after(month=statement.month),
        "current": statements.month_current(),
        "dash_section": "sales",
    }
    return render(request, "dashboard/sales/statement.html", context, status=400 if error else 200)


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def statement_page(request):
    """The month's statement with the market: delivered parts, money received, the fee."""
    return _statement_page(request, *_statement(request))


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def statement_csv(request):
    """The statement as a spreadsheet; a bad month gets the page with its message instead."""
    statement, error = _statement(request)
    if error:
        return _statement_page(request, statement, error)
    return statement_csv_response(statement)


@dashboard_view(roles=ORDER_ROLES)
@require_safe
def statement_print(request):
    """The statement on one sheet of paper (print CSS), to sign or keep."""
    statement, error = _statement(request)
    if error:
        return _statement_page(request, statement, error)
    back = f"{reverse('dashboard-sales:statement')}?month={statement.month:%Y-%m}"
    return render(request, "orders/statement_print.html", {"statement": statement, "back_url": back})
