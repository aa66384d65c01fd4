"""Real photographs for the page-weight run, instead of the demo's flat drawings.

scikit-image's wheel bundles a few sample photographs (requirements-bench.txt; never a
dependency of the site). Each is cropped and enlarged to a 4000×3000 camera JPEG with a
sensor's grain and a phone's EXIF block, then attached to a demo product through the same
photo pipeline as an upload (products.images: cleaned, upright, stripped, renditions made):

    DEBUG=0 .venv/bin/python bench/real_photos.py        # with the site's DATABASE_URL, MEDIA_ROOT

Every public product gets two photos, so the catalogue's first page shows 12 real photos and a
product page a gallery whose second photo peeks in.
"""

import io
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CAMERA = (4000, 3000)
SAMPLES = ("astronaut", "coffee", "chelsea", "rocket", "immunohistochemistry", "hubble_deep_field", "retina")
# Where to crop each sample (left, top, right, bottom as fractions), two views of each.
CROPS = ((0.0, 0.0, 1.0, 1.0), (0.15, 0.1, 0.85, 0.8))


def camera_jpeg(sample: str, crop: tuple[float, float, float, float], seed: int) -> bytes:
    from skimage import data

    pixels = getattr(data, sample)()
    image = Image.fromarray(pixels).convert("RGB")
    w, h = image.size
    box = (round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h))
    image = image.crop(box)
    # A 4:3 frame, as a phone takes it, then enlarged to the sensor's size.
    target_ratio = CAMERA[0] / CAMERA[1]
    w, h = image.size
    if w / h > target_ratio:
        cut = round(w - h * target_ratio)
        image = image.crop((cut // 2, 0, w - (cut - cut // 2), h))
    else:
        cut = round(h - w / target_ratio)
        image = image.crop((0, cut // 2, w, h - (cut - cut // 2)))
    image = image.resize(CAMERA, Image.Resampling.LANCZOS)
    # Sensor grain: an enlarged small photo is smoother than any camera's, and compresses better.
    grain = np.random.default_rng(seed).normal(0, 6, (CAMERA[1], CAMERA[0], 1))
    noisy = np.clip(np.asarray(image, dtype=np.float32) + grain, 0, 255).astype(np.uint8)
    image = Image.fromarray(noisy)
    exif = Image.Exif()
    exif[0x010F] = "samsung"  # Make
    exif[0x0110] = "SM-A125F"  # Model
    exif[0x0112] = 1  # Orientation
    exif[0x0132] = "2026:11:30 09:41:00"  # DateTime
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def camera_photos(count: int):
    """`count` different camera JPEGs (name, bytes), cycling through samples and crops."""
    views = [(sample, crop) for crop in CROPS for sample in SAMPLES]
    for index in range(count):
        sample, crop = views[index % len(views)]
        yield f"IMG_2026113{index:04d}.jpg", camera_jpeg(sample, crop, seed=index)


def attach() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from products.models import Product, ProductImage
    from products.selectors import SORTS

    products = list(Product.objects.public().order_by(*SORTS["newest"]))
    wanted = 2 * len(products)
    photos = camera_photos(wanted)
    for product in products:
        for image in product.images.all():
            image.delete()
        for position in range(2):
            name, data = next(photos)
            ProductImage.objects.create(
                product=product, image=SimpleUploadedFile(name, data, "image/jpeg"), position=position
            )
    return wanted


if __name__ == "__main__":
    print(f"{attach()} camera photos (4000×3000 JPEG) attached through the photo pipeline")
