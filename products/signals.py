"""Side effects of saves and deletions that run after the commit: a deleted photo's files go
(images.delete_files_on_commit), so do a deleted product's or stall's post pictures, and renamed
stalls and categories get their products' search text rebuilt by a background job."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from storefront.lib.catalogue_cache import catalogue_changed_now_and_at_commit

from . import images, postkit, tasks
from .models import Category, Cooperative, Product, ProductImage


@receiver(post_delete, sender=ProductImage)
def product_image_files_delete(sender, instance, **kwargs):
    images.delete_files_on_commit(instance.image.storage, instance.photo.names(instance.image.name))


@receiver(post_delete, sender=Cooperative)
def cooperative_files_delete(sender, instance, **kwargs):
    storage = instance.logo.storage
    images.delete_files_on_commit(
        storage,
        instance.logo_photo.names(instance.logo.name) + instance.cover_photo.names(instance.cover.name),
    )


@receiver(post_delete, sender=Product)
def product_post_files_delete(sender, instance, **kwargs):
    images.delete_files_on_commit(default_storage, postkit.stored_files("product", instance.pk))


@receiver(post_delete, sender=Cooperative)
def stall_post_files_delete(sender, instance, **kwargs):
    images.delete_files_on_commit(default_storage, postkit.stored_files("stall", instance.pk))


@receiver(post_save, sender=Cooperative)
def cooperative_search_rebuild(sender, instance, **kwargs):
    if getattr(instance, "products_search_stale", False):
        transaction.on_commit(lambda: tasks.products_search_rebuild(cooperative_id=instance.pk), robust=True)


@receiver(post_save, sender=Category)
def category_search_rebuild(sender, instance, created, **kwargs):
    if not created:
        transaction.on_commit(lambda: tasks.products_search_rebuild(category_id=instance.pk), robust=True)


@receiver(post_save, sender=Product)
@receiver(post_delete, sender=Product)
@receiver(post_save, sender=ProductImage)
@receiver(post_delete, sender=ProductImage)
@receiver(post_save, sender=Cooperative)
@receiver(post_delete, sender=Cooperative)
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def catalogue_change_noted(sender, **kwargs):
    catalogue_changed_now_and_at_commit()
