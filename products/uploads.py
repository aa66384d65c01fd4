"""Photos that arrived with a product form that had an error elsewhere.

A producer on 3G who picked five photos must not send them again because the price was
missing. Each valid upload is cleaned at once (upright, no metadata, long side capped) and kept
in storage under pending/; the form carries a signed token per photo, bound to the user and the
cooperative they work on, and the next successful submit attaches them. With JavaScript each photo
comes this way on its own as soon as it is chosen (`dashboard_views.photo_upload`), so a dropped
connection costs one photo's retry, not the whole form. Tokens expire after a day;
`pending_photos_clean` removes files nobody came back for.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import images

PENDING_DIR = "pending"
SALT = "products.pending-photo"
MAX_AGE = timedelta(days=1)
# A photo sent again within this time (a retry after a lost answer) gets the file already made.
REUSE_WITHIN = timedelta(hours=1)
PREVIEW_WIDTH = 160


@dataclass(frozen=True)
class PendingPhoto:
    token: str
    name: str
    original_name: str
    # SHA-256 of the file as sent, so the same photo sent twice is attached once.
    digest: str = ""

    @property
    def preview_url(self) -> str:
        return default_storage.url(_preview_name(self.name))


def _preview_name(name: str) -> str:
    return name.removesuffix(".webp") + "-preview.webp"


def upload_digest(upload) -> str:
    """SHA-256 of an uploaded file's bytes, read in chunks (a camera photo can be 15 MB)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def pending_save(upload, *, user_id: int, cooperative_id: int) -> PendingPhoto:
    """Clean a validated upload, keep it under pending/ and return its signed token.

    The file's name follows from the photo's bytes and who sent it, so the same photo sent again
    (a phone retrying after the answer was lost) is the same pending photo, not a second file.
    """
    digest = upload_digest(upload)
    key = salted_hmac(SALT, f"{user_id}:{cooperative_id}:{digest}").hexdigest()[:32]
    name = f"{PENDING_DIR}/{key}.webp"
    if not _fresh(name):
        image = images.normalise(upload)
        name = default_storage.save(name, ContentFile(images.webp_bytes(image, 92)))
        preview = image.copy()
        preview.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2))
        default_storage.save(_preview_name(name), ContentFile(images.webp_bytes(preview, 70)))
    original_name = (upload.name or "")[:100]
    token = signing.dumps(
        {"n": name, "u": user_id, "c": cooperative_id, "o": original_name, "d": digest},
        salt=SALT,
        compress=True,
    )
    return PendingPhoto(token=token, name=name, original_name=original_name, digest=digest)


def _fresh(name: str) -> bool:
    """True when the pending photo and its preview exist and are young enough to be reused."""
    if not (default_storage.exists(name) and default_storage.exists(_preview_name(name))):
        return False
    return default_storage.get_modified_time(name) > timezone.now() - REUSE_WITHIN


def pending_load(token: str, *, user_id: int, cooperative_id: int) -> PendingPhoto | None:
    """The pending photo behind a token, or None if it is forged, expired, gone, or made for
    another person or another of their cooperatives."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = data.get("n", "")
    if data.get("u") != user_id or data.get("c") != cooperative_id:
        return None
    if not name.startswith(f"{PENDING_DIR}/") or ".." in name:
        return None
    if not default_storage.exists(name):
        return None
    return PendingPhoto(token=token, name=name, original_name=data.get("o", ""), digest=data.get("d", ""))


def pending_open(photo: PendingPhoto):
    """A file object to hand to ProductImage, named after what the producer uploaded."""
    stored = default_storage.open(photo.name)
    stored.name = photo.original_name or "photo.webp"
    return stored


def pending_discard(photo: PendingPhoto) -> None:
    """Remove a pending photo's files once the transaction that used (or dropped) it commits."""
    images.delete_files_on_commit(default_storage, [photo.name, _preview_name(photo.name)])


def pending_clean(*, older_than: timedelta = MAX_AGE) -> int:
    """Delete pending files older than their tokens can live. Returns how many were removed."""
    try:
        # A folder on disk, a key prefix on S3 (where "exists" would be false for a prefix).
        filenames = default_storage.listdir(PENDING_DIR)[1]
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for filename in filenames:
        name = f"{PENDING_DIR}/{filename}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            removed += 1
    return removed
