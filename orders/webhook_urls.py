"""Addresses machines post to (mounted at /webhooks/, outside the language prefixes)."""

from django.urls import path

from . import webhook_views as views

app_name = "webhooks"

urlpatterns = [
    path("sepay/<str:token>/", views.sepay_webhook, name="sepay"),
]
