"""Helpers for tests that run the market as real processes: a market of its own (database, job
queue, media), gunicorn servers and workers started on it, and a browser-like HTTP session."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_STATIC = {}


def collected_static(env: dict) -> str:
    """Static files collected once per test run, as production serves them (hashed, compressed)."""
    if "root" not in _STATIC:
        root = tempfile.mkdtemp(prefix="chophien-test-collected-")
        result = manage({**env, "STATIC_ROOT": root}, "collectstatic", "--noinput")
        assert result.returncode == 0, result.stderr
        _STATIC["root"] = root
    return _STATIC["root"]


def market_env(tmp_path: Path, **overrides: str) -> dict:
    """Environment for processes of a market of its own, production-like (DEBUG off)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "storefront.settings",
        "DEBUG": "0",
        "SECRET_KEY": "process-test-secret-key-long-enough-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "JOBS_FILE": str(tmp_path / "jobs.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SERVE_MEDIA": "1",
        "EMAIL_URL": "dummy://",
        "AXES_ENABLED": "0",
    }
    env.pop("REDIS_URL", None)
    env.update(overrides)
    env["STATIC_ROOT"] = collected_static(env)
    return env


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, **kwargs
    )


def migrated(env: dict) -> dict:
    result = manage(env, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    return env


def start_gunicorn(env: dict, *, workers: int = 2, output=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """A gunicorn server on a free port, with the project's gunicorn.conf.py; returns it and its
    base URL once /healthz answers. `output` takes what it writes (its log lines)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "storefront.wsgi",
            "-c",
            "gunicorn.conf.py",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": str(workers)},
        stdout=output,
        stderr=subprocess.STDOUT if output is not subprocess.DEVNULL else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("gunicorn did not start")


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser without JavaScript: cookies kept, forms posted with their CSRF token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        request.add_header("Accept-Language", "vi")
        if data is not None:
            request.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, path: str) -> tuple[int, dict, str]:
        return self.request(path)

    def csrf_token(self, page_path: str) -> str:
        _status, _headers, page = self.get(page_path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return token.group(1) if token else ""

    def post(self, path: str, data: dict, *, form_page: str | None = None) -> tuple[int, dict, str]:
        """Open the form's page first (for its CSRF token), then post the form."""
        return self.request(path, {**data, "csrfmiddlewaretoken": self.csrf_token(form_page or path)})

    def post_files(
        self, path: str, data: dict, files: dict[str, tuple[str, bytes, str]]
    ) -> tuple[int, dict, str]:
        """A multipart form with files ({field: (file name, bytes, content type)})."""
        boundary = uuid.uuid4().hex
        fields = {**data, "csrfmiddlewaretoken": self.csrf_token(path)}
        parts = []
        for name, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                parts.append(f"{head}{item}\r\n".encode())
        for name, (filename, content, content_type) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base_url + path, data=body)
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Accept-Language", "vi")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
