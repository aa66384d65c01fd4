"""Make the link-preview (share) rendition for photos saved before share renditions existed.

Safe to run again: a photo that has its share file is skipped. Only the photo's meta column is
written (a plain UPDATE, not save()), so no timestamp, slug or search text changes.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from products import images


class Command(BaseCommand):
    help = "Make missing share (link preview) images for product photos and stall covers."

    def handle(self, *args, **options):
        made = kept = unreadable = 0
        for label in sorted(images.SHARE_FIELDS):
            app_label, model_name, field = label.split(".")
            model = apps.get_model(app_label, model_name)
            meta_name = f"{field}_meta"
            rows = model.objects.exclude(**{field: ""}).only("pk", field, meta_name).order_by("pk")
            for row in rows.iterator(chunk_size=200):
                field_file, meta = getattr(row, field), getattr(row, meta_name) or {}
                share = meta.get("share") or {}
                if share.get("name") and field_file.storage.exists(share["name"]):
                    kept += 1
                    continue
                updated = images.add_share(field_file, meta)
                if updated is None:
                    unreadable += 1
                    self.stderr.write(f"{model_name} {row.pk}: cannot read {field_file.name}")
                    continue
                # The photo may have been replaced meanwhile: then its own save made a share image.
                if model.objects.filter(pk=row.pk, **{field: field_file.name}).update(**{meta_name: updated}):
                    made += 1
                else:
                    field_file.storage.delete(updated["share"]["name"])
        self.stdout.write(f"Made {made} share image(s); {kept} already had one; {unreadable} unreadable.")
