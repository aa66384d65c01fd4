"""The dashboard as an app on the phone: its manifest, service worker and icons, linked from the
dashboard only; public pages stay free of them."""

import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from tests.dashboard import make_stall

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_the_dashboard_installable(client):
    """Name, short name, start_url and scope /dashboard/, theme colour, 192/512 and maskable icons
    that exist at the sizes they claim; served without a session (browsers fetch it without one)."""
    response = client.get("/dashboard/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == manifest["scope"] == "/dashboard/"
    assert manifest["name"] == "Chợ Phiên: gian hàng của tôi" and manifest["short_name"] == "Chợ Phiên"
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#2f5d3a"
    purposes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add((icon["sizes"], icon["purpose"]))
    assert purposes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


def test_the_service_worker_is_served_inside_its_scope(client):
    response = client.get("/dashboard/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert 'addEventListener("push"' in script and 'addEventListener("notificationclick"' in script
    assert 'addEventListener("fetch"' not in script
    assert "app-icon-192.png" in script
    assert client.post("/dashboard/sw.js").status_code == 405


def test_only_dashboard_pages_link_the_manifest(client):
    stall = make_stall()
    assert "manifest" not in client.get("/").content.decode()
    assert "manifest" not in client.get(stall.product.get_absolute_url()).content.decode()
    client.force_login(stall.owner)
    page = client.get("/dashboard/").content.decode()
    assert '<link rel="manifest" href="/dashboard/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#2f5d3a">' in page


def test_the_policy_allows_the_worker_and_manifest_from_the_site_only(client):
    policy = client.get("/dashboard/sw.js")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    assert directives["worker-src"] == "'self'" and directives["manifest-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
