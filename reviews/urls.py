from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("orders/<str:code>/reviews/<int:item_id>/", views.review_form, name="review-form"),
]
