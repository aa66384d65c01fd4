"""Background jobs of the catalogue: a new photo's renditions, the post kit's pictures, search text
rebuilt after a stall or category is renamed, and the daily clean-up of photos kept for forms nobody
came back to."""

from datetime import timedelta

from django.core.cache import cache
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from storefront.lib.catalogue_cache import catalogue_changed
from storefront.lib.jobs import retry_options

from . import images, postkit, uploads
from .derived import product_search_refresh
from .models import Product, ProductImage

POST_QUEUE_SECONDS = 60


@db_task(**retry_options())
def products_search_rebuild(cooperative_id: int | None = None, category_id: int | None = None) -> int:
    """Products copy their stall's and category's names into their search text: rebuild it for the
    products of one stall or one category (idempotent: the text is computed, not appended)."""
    products = Product.objects.select_related("category", "cooperative")
    if cooperative_id is not None:
        products = products.filter(cooperative_id=cooperative_id)
    if category_id is not None:
        products = products.filter(category_id=category_id)
    return product_search_refresh(products=products.iterator(chunk_size=500))


@db_task(**retry_options())
def photo_renditions(image_id: int) -> None:
    """The WebP renditions and the share picture of a product photo stored by the dashboard
    (idempotent: a photo that has them, or is gone, is left alone)."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None or image.photo.by_width:
        return
    storage, master = image.image.storage, image.image.name
    made = images.renditions_for_stored(storage, master, share=True)
    if made is None:
        raise FileNotFoundError(f"the master {master} of photo {image_id} cannot be read")
    if not ProductImage.objects.filter(pk=image_id, image=master).update(image_meta=made.to_meta()):
        # Deleted or replaced while this ran: these files belong to nothing.
        for name in made.names(""):
            storage.delete(name)
        return
    catalogue_changed()


@db_periodic_task(crontab(hour="3", minute="15"))
def pending_photos_clean() -> int:
    """Every night: photos uploaded with a product form that was never completed."""
    return uploads.pending_clean(older_than=uploads.MAX_AGE + timedelta(hours=1))


@db_task(**retry_options())
def post_images_make(kind: str, pk: int) -> bool:
    """The post kit's pictures of a product or a stall as it is now (idempotent: pictures stored
    under the current key are left alone; a product or stall that is gone has none)."""
    subject = postkit.subject_of(kind, pk)
    return subject is not None and postkit.images_make(subject)


def post_images_queue(subject: postkit.Subject) -> None:
    """Ask for the pictures of `subject` once a minute at most, however often the kit is opened
    while the job waits for a worker."""
    if cache.add(f"postkit:{subject.folder}:{subject.key}", 1, POST_QUEUE_SECONDS):
        post_images_make(subject.kind, subject.pk)
