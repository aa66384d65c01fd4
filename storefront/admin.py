"""The admin site's own titles, in Vietnamese like the rest of the market."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị Chợ Phiên")
admin.site.site_title = _("Quản trị Chợ Phiên")
admin.site.index_title = _("Bảng quản trị")
