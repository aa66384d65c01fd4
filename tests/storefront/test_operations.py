"""What an operator relies on: readiness that names what is down, a request id on every answer and
log line, JSON logs, errors that reach a person (ADMINS by mail, or Sentry), and a production server
that refuses to start half-configured."""

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import brotli
import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from tests.servers import ROOT, manage, market_env, migrated, start_gunicorn, stop

pytestmark = pytest.mark.django_db


def closed_redis_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def test_readyz_answers_ok_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "media": "ok", "jobs": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_the_cache_and_the_job_queue_when_they_are_down(client, settings):
    """Redis not answering: 503, with the cache and the queue named and the rest still "ok"."""
    url = closed_redis_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    storage, immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = RedisStorage("chophien", url=url)
    try:
        response = client.get("/readyz")
    finally:
        HUEY.storage = storage
        HUEY.immediate = immediate
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["media"] == "ok"
    assert body["cache"].startswith("down:") and body["jobs"].startswith("down:")


def test_every_answer_has_a_request_id_and_a_proxy_s_id_is_kept_only_behind_a_proxy(client, settings):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-1")["X-Request-ID"] != "from-the-proxy-1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-1")["X-Request-ID"] == "from-the-proxy-1"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad\nid")["X-Request-ID"] != "bad\nid"


def test_a_server_error_is_mailed_to_admins(client, settings, monkeypatch):
    """A 500 reaches the ADMINS by mail, with the request's id in the log line it comes from."""
    settings.ADMINS = [("Quản trị", "ops@chophien.example")]
    client.raise_request_exception = False
    monkeypatch.setattr("storefront.views.selectors.product_featured", lambda **kwargs: 1 / 0)
    response = client.get("/")
    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["ops@chophien.example"]
    assert "ZeroDivisionError" in message.body


@pytest.fixture
def logged_server(tmp_path):
    log = open(tmp_path / "server.log", "w+b")  # noqa: SIM115 (read back after the server stops)
    env = migrated(market_env(tmp_path, LOG_FORMAT="json"))
    process, url = start_gunicorn(env, workers=1, output=log)
    yield url, tmp_path / "server.log"
    stop(process)
    log.close()


def test_logs_are_json_lines_carrying_the_request_id(logged_server):
    """A request's log line (here a 404's warning) is one JSON object with the id the answer gave."""
    import urllib.error
    import urllib.request

    url, log_path = logged_server
    try:
        urllib.request.urlopen(f"{url}/khong-co-trang-nay/", timeout=10)
    except urllib.error.HTTPError as error:
        request_id = error.headers["X-Request-ID"]
        assert error.code == 404
    time.sleep(0.5)
    lines = [line for line in log_path.read_text().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    warning = next(r for r in records if r.get("logger") == "django.request")
    assert warning["request_id"] == request_id
    assert warning["level"] == "WARNING" and "Not Found" in warning["message"]


class SentryStandIn(BaseHTTPRequestHandler):
    """Receives what sentry-sdk sends (its envelope endpoint) and keeps the bodies."""

    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.received.append((self.path, body.decode("utf-8", "replace")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_errors_go_to_sentry_when_sentry_dsn_is_set(tmp_path):
    """With SENTRY_DSN, an error logged by the market arrives at that Sentry as an event."""
    SentryStandIn.received = []
    server = HTTPServer(("127.0.0.1", 0), SentryStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
    env = market_env(tmp_path, SENTRY_DSN=dsn)
    script = (
        "import logging, sentry_sdk; logging.getLogger('orders').error('mail job 42 failed');"
        " sentry_sdk.flush(5)"
    )
    try:
        result = manage(env, "shell", "-c", script)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    events = [body for path, body in SentryStandIn.received if path == "/api/42/envelope/"]
    assert any("mail job 42 failed" in body for body in events)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_the_production_server_refuses_to_start_half_configured(tmp_path, missing):
    env = market_env(tmp_path)
    env.pop(missing)
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "storefront.wsgi", "-c", "gunicorn.conf.py", "-b", "127.0.0.1:0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr + result.stdout
