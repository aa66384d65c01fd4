"""A review photo's files go once the deletion commits (products.images.delete_files_on_commit)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from products import images

from .models import ReviewPhoto


@receiver(post_delete, sender=ReviewPhoto)
def review_photo_files_delete(sender, instance, **kwargs):
    images.delete_files_on_commit(instance.image.storage, instance.photo.names(instance.image.name))
