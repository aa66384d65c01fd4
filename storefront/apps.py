from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "storefront"
    verbose_name = _("Chợ Phiên")

    def ready(self):
        from . import jobs  # noqa: F401 (connects the job failure handler)
