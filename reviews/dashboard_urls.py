"""Reviews side of /dashboard/ (mounted at /dashboard/reviews/)."""

from django.urls import path

from . import views

app_name = "dashboard-reviews"

urlpatterns = [
    path("", views.dashboard_list, name="list"),
    path("<int:pk>/reply/", views.dashboard_reply, name="reply"),
]
