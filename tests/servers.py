"""The real servers that production runs, started by tests: gunicorn with deploy/'s config.

Each listens on a port the kernel chose (a socket bound to port 0 and handed to gunicorn as
``fd://N``), so tests never collide with each other or with another checkout on the machine.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"

# Settings of the test process that must not leak into a server meant to run as production.
TEST_ONLY = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "STATICFILES_BACKEND",
    "WHITENOISE_USE_FINDERS",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "LOG_LEVEL",
}


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production server on this machine: DEBUG off, plain HTTP."""
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
    )
    environment.update(overrides)
    return environment


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def free_port() -> int:
    """A port free now, for servers that cannot take a socket (nginx, PostgreSQL)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


@dataclass
class Gunicorn:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def gunicorn(env: dict[str, str], log_dir: Path, *, workers: int = 2) -> Iterator[Gunicorn]:
    """gunicorn -c deploy/gunicorn.conf.py, as systemd starts it, until the block ends."""
    sock = listening_socket()
    port = sock.getsockname()[1]
    log = log_dir / f"gunicorn-{port}.log"
    environment = {
        **env,
        "GUNICORN_BIND": f"fd://{sock.fileno()}",
        "GUNICORN_WORKERS": str(workers),
    }
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONFIG)],
            cwd=ROOT,
            env=environment,
            pass_fds=(sock.fileno(),),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    sock.close()
    server = Gunicorn(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        wait_for_http(server.url + "/static/favicon.svg", process=process, log=log)
        yield server
    finally:
        stop(process)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def _open(request, *, timeout: float, context=None):
    handlers = [_NoRedirects()]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    return urllib.request.build_opener(*handlers).open(request, timeout=timeout)


def wait_for_http(url: str, *, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}:\n{log.read_text()}")
        try:
            with _open(urllib.request.Request(url), timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url} in {seconds} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    context=None,
) -> Answer:
    """One HTTP request; an error status is an answer too, not an exception."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _open(request, timeout=timeout, context=context) as response:
            return Answer(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers.items()), error.read())
