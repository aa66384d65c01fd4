"""Pending photos: kept across a form error, bound to their user, cleaned up when abandoned."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from products import uploads
from tests.factories import jpeg_upload
from tests.products.test_images import phone_photo

pytestmark = pytest.mark.django_db


def test_pending_photo_is_clean_and_only_loads_for_its_user_and_cooperative():
    """A kept photo is upright with no EXIF, and its token works only for the same user working
    on the same cooperative."""
    photo = uploads.pending_save(phone_photo(), user_id=7, cooperative_id=3)
    with default_storage.open(photo.name) as f:
        image = Image.open(f)
        image.load()
    assert image.size == (300, 400) and not image.getexif()
    assert uploads.pending_load(photo.token, user_id=7, cooperative_id=3) == photo
    assert uploads.pending_load(photo.token, user_id=8, cooperative_id=3) is None
    assert uploads.pending_load(photo.token, user_id=7, cooperative_id=4) is None
    assert uploads.pending_load(photo.token + "x", user_id=7, cooperative_id=3) is None


def test_forged_token_pointing_outside_pending_is_refused():
    """A validly signed token for a path outside pending/ is refused (defence in depth)."""
    token = signing.dumps(
        {"n": "products/2026/01/secret.webp", "u": 1, "c": 1}, salt=uploads.SALT, compress=True
    )
    assert uploads.pending_load(token, user_id=1, cooperative_id=1) is None


def test_clean_command_removes_old_pending_files():
    """The cleaning command deletes pending files older than the given age."""
    photo = uploads.pending_save(jpeg_upload(), user_id=1, cooperative_id=1)
    assert uploads.pending_clean(older_than=timedelta(hours=1)) == 0
    out = StringIO()
    call_command("pending_photos_clean", "--hours", "-1", stdout=out)
    assert "Removed" in out.getvalue()
    assert not default_storage.exists(photo.name)
