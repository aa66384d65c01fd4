from django import template

from .. import share

register = template.Library()
register.simple_tag(share.product_share, name="product_share")
register.simple_tag(share.cooperative_share, name="cooperative_share")
register.simple_tag(share.home_share, name="home_share")
register.simple_tag(share.catalogue_share, name="catalogue_share")
register.simple_tag(share.cooperative_list_share, name="cooperative_list_share")
register.simple_tag(share.share_links, name="share_links")
