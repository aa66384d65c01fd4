"""Product side of /dashboard/; storefront.dashboard mounts these under the "dashboard" namespace."""

from django.urls import path

from . import dashboard_views as views
from . import postkit_views

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
    path("products/<int:pk>/post/", postkit_views.product_post, name="product-post"),
    path("products/<int:pk>/post/made/", postkit_views.product_post_made, name="product-post-made"),
    path(
        "products/<int:pk>/post/<str:shape>/download/",
        postkit_views.product_post_download,
        name="product-post-download",
    ),
    path(
        "products/<int:pk>/post/files/<str:name>", postkit_views.product_post_file, name="product-post-file"
    ),
    path("post/", postkit_views.stall_post, name="stall-post"),
    path("post/made/", postkit_views.stall_post_made, name="stall-post-made"),
    path("post/<str:shape>/download/", postkit_views.stall_post_download, name="stall-post-download"),
    path("post/files/<str:name>", postkit_views.stall_post_file, name="stall-post-file"),
    path("cooperative/", views.cooperative_profile, name="profile"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
]
