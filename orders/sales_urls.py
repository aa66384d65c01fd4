"""The dashboard's sales pages (mounted at /dashboard/sales/)."""

from django.urls import path

from . import sales_views as views

app_name = "dashboard-sales"

urlpatterns = [
    path("", views.sales_page, name="sales"),
    path("statement/", views.statement_page, name="statement"),
    path("statement/csv/", views.statement_csv, name="statement-csv"),
    path("statement/print/", views.statement_print, name="statement-print"),
]
