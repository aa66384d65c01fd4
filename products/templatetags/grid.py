from django import template

from storefront.lib.page_cache import kept_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def product_grid(context, products, eager=0, level=None):
    """{% product_grid products eager=2 level=2 %}: includes/product_grid.html, kept.

    A page of twelve cards cost as much to draw as the rest of the page together, and the cards
    are the same for every visitor of the address: drawn once, they are kept until the catalogue
    or its stock changes, also for visitors with a cart, whose whole pages are not kept."""
    products = list(products)
    template = context.template.engine.get_template("includes/product_grid.html")

    def draw() -> str:
        with context.push(products=products, eager=eager, level=level):
            return template.render(context)

    seen = [
        " ".join(str(product.pk) for product in products),
        f"eager={eager}",
        f"level={level}",
        "saver" if context.get("data_saver") else "",
    ]
    return kept_fragment(context.get("request"), "grid", seen, draw)
