"""django-axes under a Vietnamese name in the admin.

Only the app's name can be set from outside: axes' model names ("access attempts", …) come from
its own Meta and catalogues, which have no Vietnamese.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Chống dò mật khẩu")
