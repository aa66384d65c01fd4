"""gunicorn for production (`make serve`): one process per CPU core and one spare, a timeout longer
than any request should take, access and error logs on stdout for the service manager to keep.

Refuses to start without SECRET_KEY and ALLOWED_HOSTS: a production server with a guessable key or
that answers any Host header is worse than one that does not start."""

import multiprocessing
import os
import sys

for name in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(name):
        sys.exit(f"gunicorn: {name} is not set; see README.md, 'Running it in production'.")

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Every request ends within a few seconds (mail and photos are background jobs); 30 s stops a
# stuck worker without cutting a slow phone's upload on 3G.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# A worker starts afresh now and then, so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
