# Django's vi locale sets the separator but not the grouping, so 120000 would stay "120000".
from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
# Django's vi default reads "07:13 Ngày 28 tháng 11 năm 2026": date first, short, as people write it.
DATETIME_FORMAT = "d/m/Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
