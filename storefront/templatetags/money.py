from django import template

from storefront.lib.money import vnd

register = template.Library()
register.filter("vnd", vnd)
