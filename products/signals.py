"""A deleted photo's files go once the deletion commits (see images.delete_files_on_commit)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import images
from .models import Cooperative, ProductImage


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
