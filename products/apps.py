from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Gian hàng và sản phẩm")

    def ready(self):
        from . import signals  # noqa: F401
