"""Background jobs through the real worker: stored before the request returns, run after the commit,
retried while the mail server is down, and delivered exactly once when it is back."""

import socket
import subprocess
import sys
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from huey.contrib.djhuey import HUEY

from orders.models import Order
from tests.factories import ProductFactory
from tests.orders.test_views import CHECKOUT, add, checkout_data
from tests.servers import ROOT, free_port, manage, market_env, migrated


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((tuple(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def site_env(tmp_path):
    """A market of its own for processes started by the test; its mail server is not up yet."""
    port = free_port()
    return migrated(
        market_env(
            tmp_path,
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            SMTP_PORT=str(port),
            JOB_RETRY_DELAY="1",
            JOB_RETRY_BACKOFF="1",
            JOB_RETRIES="60",
        )
    )


PLACE_ORDER = """
from tests.factories import CooperativeFactory, ProductFactory, placed_order
stall = CooperativeFactory(email="htx@example.vn")
order = placed_order({ProductFactory(cooperative=stall, stock=5): 1}, email="lan@example.vn")
print(order.code)
"""


def test_an_order_placed_while_the_mail_server_is_down_is_mailed_once_it_is_back(site_env):
    """The order is placed with no mail server and no worker running; the worker starts, fails,
    retries; once the server is up, the buyer and the stall each get their mail exactly once."""
    placed = manage(site_env, "shell", "-c", PLACE_ORDER)
    assert placed.returncode == 0, placed.stderr
    code = placed.stdout.strip().splitlines()[-1]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2"],
        cwd=ROOT,
        env=site_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=int(site_env["SMTP_PORT"]))
    try:
        time.sleep(3)  # the worker tries, the connection is refused, the jobs wait and retry
        assert inbox.messages == []
        controller.start()
        deadline = time.monotonic() + 30
        while len(inbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # long enough for any duplicate to arrive
    finally:
        controller.stop()
        worker.terminate()
        worker.wait(10)
    recipients = sorted(rcpt for rcpt, _body in inbox.messages)
    assert recipients == [("htx@example.vn",), ("lan@example.vn",)]
    assert all(code in body for _rcpt, body in inbox.messages)


@pytest.fixture
def queued_jobs():
    """Jobs are stored in the queue instead of running at once, as in production without a worker."""
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.mark.django_db(transaction=True)
def test_checkout_answers_at_once_whatever_the_mail_server_does(client, queued_jobs, settings):
    """A mail server that accepts the connection and never answers: the checkout still answers in
    well under a second with the order page, and the mails wait in the queue."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
    try:
        tea = ProductFactory(stock=5)
        add(client, tea)
        data = checkout_data(client, email="lan@example.vn")
        started = time.monotonic()
        response = client.post(CHECKOUT, data, follow=True)
        took = time.monotonic() - started
    finally:
        silent.close()
    order = Order.objects.get()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == order.get_absolute_url()
    assert order.code in response.content.decode()
    assert took < 1.0
    assert queued_jobs.pending_count() == 2
