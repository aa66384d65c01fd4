from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from . import dashboard, sitemaps, views

# Each page has one address per language (Vietnamese unprefixed, English under /en/), so a link
# shared on Zalo opens in the language it was shared in and search engines index both versions.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", views.language_switch, name="language-switch"),
    path("data-saver/<str:state>/", views.data_saver_switch, name="data-saver"),
    # Machines (SePay) post here; one address whatever the language.
    path("webhooks/", include("orders.webhook_urls")),
    # For crawlers, one address each: the sitemaps list both languages of every page themselves.
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    *dashboard.app_urlpatterns,
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("products.urls")),
    path("", include("orders.urls")),
    path("", include("reviews.urls")),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("dashboard/", include((dashboard.urlpatterns, "dashboard"))),
    path("dashboard/orders/", include("orders.dashboard_urls")),
    path("dashboard/sales/", include("orders.sales_urls")),
    path("dashboard/reviews/", include("reviews.dashboard_urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    # One-machine installs without a reverse proxy: the app serves uploads itself.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    ]

handler404 = "storefront.views.page_not_found"
handler500 = "storefront.views.server_error"
