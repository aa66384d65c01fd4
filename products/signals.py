from django.db.models.signals import post_delete
from django.dispatch import receiver

from . import images
from .models import Cooperative, ProductImage


@receiver(post_delete, sender=ProductImage)
def product_image_files_delete(sender, instance, **kwargs):
    images.delete_files(instance.image, instance.image_meta)


@receiver(post_delete, sender=Cooperative)
def cooperative_files_delete(sender, instance, **kwargs):
    images.delete_files(instance.logo, instance.logo_meta)
    images.delete_files(instance.cover, instance.cover_meta)
