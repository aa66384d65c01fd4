from django.conf.locale.en.formats import *  # noqa: F403

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
# Day before month with the month spelled, so neither a US nor a Vietnamese reader misreads it.
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
