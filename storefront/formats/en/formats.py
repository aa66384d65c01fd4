from django.conf.locale.en.formats import *  # noqa: F403

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
