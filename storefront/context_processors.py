from django.conf import settings


def site(request):
    """Values every page needs: the site URL for share links and the header's categories."""
    from products.selectors import category_list_for_nav

    return {
        "SITE_URL": settings.SITE_URL,
        "nav_categories": category_list_for_nav(),
    }
