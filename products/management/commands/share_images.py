"""Make the link-preview (share) rendition for photos saved before share renditions existed,
and remake those of another size than images.SHARE_SIZE (older versions cropped small or very
wide photos to less than 1200×630).

Safe to run again: a photo whose share file exists at the right size is skipped. Only the photo's
meta column is written (a plain UPDATE, not save()), so no timestamp, slug or search text changes.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from products import images
from storefront.lib.catalogue_cache import catalogue_changed
from storefront.lib.renditions import Renditions


class Command(BaseCommand):
    help = "Make missing or wrongly sized share (link preview) images for product photos and stall covers."

    def handle(self, *args, **options):
        made = kept = unreadable = 0
        for label in sorted(images.SHARE_FIELDS):
            app_label, model_name, field = label.split(".")
            model = apps.get_model(app_label, model_name)
            meta_name = f"{field}_meta"
            rows = model.objects.exclude(**{field: ""}).only("pk", field, meta_name).order_by("pk")
            for row in rows.iterator(chunk_size=200):
                field_file, photo = getattr(row, field), Renditions.of(getattr(row, meta_name))
                share = photo.share
                existing = share.name if share and field_file.storage.exists(share.name) else ""
                if existing and (share.width, share.height) == images.SHARE_SIZE:
                    kept += 1
                    continue
                updated = images.add_share(field_file, photo)
                if updated is None:
                    unreadable += 1
                    self.stderr.write(f"{model_name} {row.pk}: cannot read {field_file.name}")
                    continue
                # The photo may have been replaced meanwhile: then its own save made a share image.
                rows = model.objects.filter(pk=row.pk, **{field: field_file.name})
                if rows.update(**{meta_name: updated.to_meta()}):
                    made += 1
                    if existing:
                        field_file.storage.delete(existing)
                else:
                    field_file.storage.delete(updated.share.name)
        if made:
            catalogue_changed()
        self.stdout.write(f"Made {made} share image(s); {kept} already had one; {unreadable} unreadable.")
