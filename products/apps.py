from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_search_index(sender, using, **kwargs):
    from django.db import connections

    from . import fts

    fts.sqlite_repair(connections[using])


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Gian hàng và sản phẩm")

    def ready(self):
        from . import signals  # noqa: F401

        post_migrate.connect(_repair_search_index, sender=self)
