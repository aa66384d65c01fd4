"""Counters that every worker shares: with three gunicorn workers answering in turn, the order
look-up limit still lets exactly ORDER_TRACK_LIMIT wrong tries through, not three times as many."""

import pytest

from tests.servers import Visitor, market_env, migrated, start_gunicorn, stop


@pytest.fixture
def server(tmp_path):
    env = migrated(market_env(tmp_path, ORDER_TRACK_LIMIT="10"))
    process, url = start_gunicorn(env, workers=3)
    yield url
    stop(process)


def test_the_tracking_limit_holds_across_worker_processes(server):
    """15 wrong tries from one client, spread over three worker processes: 10 answered, 5 refused."""
    visitor = Visitor(server)
    statuses = [
        visitor.post("/orders/track/", {"code": "ZZZZZZZZ", "phone": "0912345678"})[0] for _ in range(15)
    ]
    assert statuses.count(200) == 10
    assert statuses.count(429) == 5
    assert statuses[-5:] == [429] * 5
