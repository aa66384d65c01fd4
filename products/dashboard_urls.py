"""Product side of /dashboard/; storefront.dashboard mounts these under the "dashboard" namespace."""

from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("choose/", views.choose, name="choose"),
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/photos/", views.photo_upload, name="photo-upload"),
    path("products/<int:pk>/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/quick/", views.product_quick_update, name="product-quick-update"),
    path("products/<int:pk>/duplicate/", views.product_duplicate, name="product-duplicate"),
    path("products/<int:pk>/delete/", views.product_delete, name="product-delete"),
    path("products/<int:pk>/restore/", views.product_restore, name="product-restore"),
    path("cooperative/", views.cooperative_profile, name="profile"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]
