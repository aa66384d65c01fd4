"""Print a fresh VAPID key pair for Web Push, as lines to paste into the environment.

Run once per site; after the keys are changed, a phone subscribed under the old ones hears nothing
until its dashboard home or order page is opened again (static/js/push.js moves it then)."""

from django.core.management.base import BaseCommand

from storefront.lib.webpush import vapid_keys_new


class Command(BaseCommand):
    help = "In một cặp khoá VAPID mới cho thông báo đẩy (Web Push), dạng biến môi trường."

    def add_arguments(self, parser):
        parser.add_argument(
            "--subject",
            default="mailto:admin@example.vn",
            help="A contact for push services: mailto:you@yoursite or https://yoursite",
        )

    def handle(self, *args, subject, **options):
        private, public = vapid_keys_new()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_SUBJECT={subject}")
