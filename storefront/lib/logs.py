"""Log lines that can be followed across a request: each carries the id of the request it belongs
to (also sent back as the X-Request-ID header), so one buyer's complaint leads to every line of it."""

import contextvars
import logging
import re
import uuid

REQUEST_ID = contextvars.ContextVar("request_id", default="-")
HEADER = "X-Request-ID"
# A request id a proxy of ours passes on is kept only if it looks like one (no log injection).
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_new(*, forwarded: str = "") -> str:
    return forwarded if _ACCEPTABLE.fullmatch(forwarded or "") else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`-` outside a request: the job worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True
