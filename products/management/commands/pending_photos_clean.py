"""Delete photos kept from product forms that were never submitted again (run daily from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from products.uploads import MAX_AGE, pending_clean


class Command(BaseCommand):
    help = "Delete pending product photos older than their one-day tokens."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=MAX_AGE.total_seconds() / 3600)

    def handle(self, *args, hours, **options):
        removed = pending_clean(older_than=timedelta(hours=hours))
        self.stdout.write(f"Removed {removed} pending photo file(s).")
