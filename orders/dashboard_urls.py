"""Order side of /dashboard/ (mounted at /dashboard/orders/)."""

from django.urls import path

from . import dashboard_views as views

app_name = "dashboard-orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("export/", views.order_export, name="export"),
    path("sepay/", views.sepay_settings, name="sepay"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<int:pk>/checked/", views.transfer_checked, name="transfer-checked"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/slip/", views.packing_slip, name="packing-slip"),
    path("<int:pk>/<slug:action>/", views.order_action, name="action"),
]
