"""Several app servers, as a province grows: two gunicorn servers on one PostgreSQL, one Redis and
one S3-compatible store (moto's server), with a job worker. A buyer and a producer move between
the servers and see one market.

Needs PostgreSQL and Redis on 127.0.0.1 (CI has both); without them it is skipped, unless
REQUIRE_SERVICES=1 (as `.ci/run` sets) makes that a failure.
"""

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from PIL import Image

from tests.dashboard import product_data
from tests.servers import ROOT, Visitor, free_port, manage, market_env, migrated, start_gunicorn, stop
from tests.storefront.test_jobs import Inbox

PG_ADMIN = os.environ.get("CI_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "chophien_two_servers"
REDIS_URL = "redis://127.0.0.1:6379/7"
BUCKET = "chophien-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _missing() -> str:
    if not _reachable(5432):
        return "PostgreSQL on 127.0.0.1:5432"
    if not _reachable(6379):
        return "Redis on 127.0.0.1:6379"
    if not shutil.which("moto_server", path=str(Path(sys.executable).parent)):
        return "moto_server (pip install 'moto[server]')"
    return ""


@pytest.fixture(scope="module")
def market(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"the two-server test needs {missing}")
        pytest.skip(f"needs {missing}")
    import boto3
    import psycopg
    import redis

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    s3_port = free_port()
    moto = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-p", str(s3_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{s3_port}"
    for _ in range(100):
        if _reachable(s3_port):
            break
        time.sleep(0.1)
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
    s3.create_bucket(Bucket=BUCKET)
    # Photos are public, as DEPLOY.md says to set up a bucket: anyone may read, only the app writes.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    smtp_port = free_port()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    tmp = tmp_path_factory.mktemp("two-servers")
    env = market_env(
        tmp,
        DATABASE_URL=PG_ADMIN.rsplit("/", 1)[0] + f"/{DATABASE}",
        REDIS_URL=REDIS_URL,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_S3_REGION_NAME="us-east-1",
        SERVE_MEDIA="0",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        ORDER_TRACK_LIMIT="10",
        JOB_RETRY_DELAY="1",
    )
    migrated(env)
    seeded = manage(env, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    first, first_url = start_gunicorn(env, workers=2)
    second, second_url = start_gunicorn(env, workers=2)
    yield {"a": first_url, "b": second_url, "inbox": inbox, "s3": endpoint, "env": env}
    stop(first, second, worker, moto)
    smtp.stop()


SEED = """
from tests.factories import CooperativeFactory, MembershipFactory, ProductFactory, UserFactory
stall = CooperativeFactory(name="HTX Chè Lũng Phìn", email="htx@example.vn")
owner = UserFactory(username="chu", password="mat-khau-2026")
MembershipFactory(user=owner, cooperative=stall, role="owner")
ProductFactory(cooperative=stall, name="Chè Shan tuyết", slug="che-shan-tuyet", price=250000, stock=20)
"""


def camera_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((1200, 900), 60).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_a_cart_filled_on_one_server_is_checked_out_on_the_other(market):
    """Sessions live in the shared store: add on A, check out on B, the order page opens on A,
    and the worker mails the buyer."""
    buyer = Visitor(market["a"])
    status, _headers, page = buyer.get("/products/che-shan-tuyet/")
    product_id = re.search(r'name="product_id" value="(\d+)"', page).group(1)
    status, _h, _p = buyer.post(
        "/cart/add/", {"product_id": product_id, "quantity": "2"}, form_page="/products/che-shan-tuyet/"
    )
    assert status == 303
    buyer.base_url = market["b"]
    _status, _headers, checkout = buyer.get("/checkout/")
    token = re.search(r'name="checkout_token" value="([^"]+)"', checkout).group(1)
    status, headers, _page = buyer.post(
        "/checkout/",
        {
            "full_name": "Nguyễn Thị Lan",
            "phone": "0912 345 678",
            "email": "lan@example.vn",
            "province": "01",
            "commune": "phường Ba Đình",
            "street_address": "12 Hàng Bông",
            "note": "",
            "payment_method": "cod",
            "checkout_token": token,
        },
    )
    assert status == 303
    order_path = headers["Location"]
    buyer.base_url = market["a"]
    status, _headers, page = buyer.get(order_path)
    assert status == 200
    code = order_path.strip("/").split("/")[-1]
    assert code in page
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        rcpt == ("lan@example.vn",) for rcpt, _b in market["inbox"].messages
    ):
        time.sleep(0.3)
    to_buyer = [body for rcpt, body in market["inbox"].messages if rcpt == ("lan@example.vn",)]
    assert len(to_buyer) == 1 and code in to_buyer[0]


def test_an_edit_and_a_photo_made_on_one_server_show_on_the_other(market):
    """The producer changes the price and adds a camera photo on A; B shows the new price and the
    photo, which comes from the object store, not from A's disk."""
    producer = Visitor(market["a"])
    status, _h, _p = producer.post("/accounts/login/", {"username": "chu", "password": "mat-khau-2026"})
    assert status == 302
    _status, _headers, listing = producer.get("/dashboard/products/")
    pk = re.search(r'/dashboard/products/(\d+)/"', listing).group(1)
    _status, _headers, form = producer.get(f"/dashboard/products/{pk}/")
    category = re.search(r'<option value="(\d+)" selected', form).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    data = product_data(
        category=SimpleNamespace(pk=category),
        name="Chè Shan tuyết",
        price="275.000",
        stock="20",
        stock_shown="20",
    )
    data["form_token"] = form_token
    status, _headers, _page = producer.post_files(
        f"/dashboard/products/{pk}/", data, {"photos": ("che.jpg", camera_jpeg(), "image/jpeg")}
    )
    assert status == 302
    _status, _headers, page = Visitor(market["b"]).get("/products/che-shan-tuyet/")
    assert "275.000" in page
    photo = re.search(rf'src="({re.escape(market["s3"])}/{BUCKET}/products/[^"]+\.webp)"', page)
    assert photo, "the product page on B shows the photo from the object store"
    with urllib.request.urlopen(photo.group(1), timeout=10) as response:
        assert response.headers["Content-Type"] == "image/webp"
        assert Image.open(io.BytesIO(response.read())).width > 0


def test_the_tracking_limit_counts_across_both_servers(market):
    """15 wrong tries from one client, alternating between A and B: 10 answered, 5 refused."""
    visitor = Visitor(market["a"])
    statuses = []
    for attempt in range(15):
        visitor.base_url = market["a"] if attempt % 2 else market["b"]
        statuses.append(visitor.post("/orders/track/", {"code": "ZZZZZZZZ", "phone": "0912345678"})[0])
    assert statuses.count(200) == 10
    assert statuses.count(429) == 5


def test_both_servers_are_ready(market):
    """/readyz on each checks the shared database, Redis, the bucket and the queue."""
    for url in (market["a"], market["b"]):
        status, _headers, body = Visitor(url).get("/readyz")
        assert status == 200, body
