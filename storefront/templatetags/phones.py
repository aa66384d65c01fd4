from django import template

from storefront.lib.phones import phone_display

register = template.Library()
register.filter("phone", phone_display)
