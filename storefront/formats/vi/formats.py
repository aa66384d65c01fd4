# Django's vi locale sets the separator but not the grouping, so 120000 would stay "120000".
from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
