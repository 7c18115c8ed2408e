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
import urllib.parse
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
    "PUBLISH_NEEDS_SECOND_PERSON",
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
    """SIGTERM to the server's process group (each is started in a session of its own, so the
    group is the server and its workers, or make and what it runs), SIGKILL after 30 s."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


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


# --- A PostgreSQL cluster of the test's own (never the shared one: tests restart it) ------------

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres() -> list[str]:
    # initdb and pg_ctl refuse to run as root; CI runs as root.
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def scratch_dir(prefix: str) -> Path:
    """A directory that nginx's and PostgreSQL's unprivileged users can read (tmp_path is 0700
    under /tmp/pytest-of-root)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


@dataclass
class Cluster:
    data: Path
    port: int

    def url(self, database: str = "kompass") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*_as_postgres(), str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr + self.server_log()
        return result

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.data} -c fsync=off -c max_connections=50"
        )
        self.pg_ctl("-l", str(self.data / "server.log"), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "-t", "60", "stop")

    def restart(self) -> None:
        """As an operator's `systemctl restart postgresql`: clients are disconnected."""
        self.stop("fast")
        self.start()

    def createdb(self, name: str = "kompass", *, template: str = "template1") -> None:
        result = subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
            + ["--template", template, name],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr

    def server_log(self) -> str:
        log = self.data / "server.log"
        return log.read_text(errors="replace") if log.exists() else ""


@contextmanager
def postgres_cluster(base: Path) -> Iterator[Cluster]:
    """initdb + pg_ctl on a free port, in ``base``; stopped and removed when the block ends."""
    import shutil

    data = base / "pgdata"
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    result = subprocess.run(
        [
            *_as_postgres(),
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for attempt in range(5):
        cluster = Cluster(data=data, port=free_port())
        try:
            cluster.start()
            break
        except AssertionError:
            if attempt == 4 or "already in use" not in cluster.server_log():
                raise
    try:
        yield cluster
    finally:
        cluster.pg_ctl("-m", "immediate", "stop", check=False)
        shutil.rmtree(data, ignore_errors=True)


# --- Debian's nginx with deploy/nginx-kompass.conf -----------------------------------------------

NGINX = Path("/usr/sbin/nginx")
SITE_CONFIG = ROOT / "deploy" / "nginx-kompass.conf"


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "localhost.pem", directory / "localhost.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def site_config(
    *, http_port: int, https_port: int, upstream: str, static_root: Path, directory: Path
) -> str:
    """deploy/nginx-kompass.conf with this machine's ports, paths and certificate in place of
    the example's, and nothing else changed."""
    cert, key = self_signed_certificate(directory)
    replacements = [
        ("    listen [::]:80;\n", ""),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("server_name kompass.example.se;", "server_name localhost;"),
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("/srv/kompass/staticfiles/", f"{static_root}/"),
        ("/etc/letsencrypt/live/kompass.example.se/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/kompass.example.se/privkey.pem", str(key)),
        ("/var/log/nginx/kompass.access.log", str(directory / "access.log")),
        ("/var/log/nginx/kompass.error.log", str(directory / "error.log")),
        ("/var/www/letsencrypt", str(directory / "acme")),
    ]
    text = SITE_CONFIG.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} is no longer in {SITE_CONFIG.name}: update site_config()"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    http_url: str
    https_url: str
    directory: Path
    certificate: Path

    def access_log(self) -> str:
        return (self.directory / "access.log").read_text(errors="replace")


@contextmanager
def nginx(*, upstream: str, static_root: Path, directory: Path) -> Iterator[Nginx]:
    """Debian's nginx, as its nginx.conf would include the site file, until the block ends."""
    for attempt in range(5):
        http_port, https_port = free_port(), free_port()
        site = directory / "kompass.conf"
        site.write_text(
            site_config(
                http_port=http_port,
                https_port=https_port,
                upstream=upstream,
                static_root=static_root,
                directory=directory,
            )
        )
        main = directory / "nginx.conf"
        user = "user www-data;" if os.geteuid() == 0 else ""
        main.write_text(
            f"""{user}
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {site};
}}
"""
        )
        command = [str(NGINX), "-p", str(directory), "-c", str(main)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr
        log = directory / "nginx.log"
        with log.open("w") as log_file:
            process = subprocess.Popen(
                [*command, "-g", "daemon off;"],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for_http(f"http://127.0.0.1:{http_port}/", process=process, log=log, seconds=20)
        except AssertionError:
            stop(process)
            if attempt < 4 and "Address already in use" in log.read_text():
                continue
            raise
        break
    try:
        yield Nginx(
            http_url=f"http://localhost:{http_port}",
            https_url=f"https://localhost:{https_port}",
            directory=directory,
            certificate=directory / "localhost.pem",
        )
    finally:
        stop(process)


class Browser:
    """Cookies, no redirects followed: enough to log in to the admin over HTTP(S)."""

    def __init__(self, base_url: str, context=None):
        import http.cookiejar

        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path: str, *, data: dict[str, str] | None = None, headers=None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers.items()), error.read())

    def cookie(self, name: str):
        return next((cookie for cookie in self.cookies if cookie.name == name), None)


# --- Databases holding what production would, made once per test session -------------------------

REPORTS = sorted((ROOT / "evaluations" / "data" / "reports").glob("*.txt"))
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


class ProductionData:
    """Migrated databases with the three real reports imported and published, as staff would
    have them (import_report, not demo_data). Migrating takes long, so each kind is made once,
    as a template, and every test gets a copy of its own: ``postgres()`` (a database in a
    cluster of the tests' own) or ``sqlite()`` (a file); ``of_database_url_kind()`` follows
    DATABASE_URL."""

    def __init__(self) -> None:
        from contextlib import ExitStack

        self._resources = ExitStack()
        self._cluster: Cluster | None = None
        self._sqlite: Path | None = None
        self._copies = 0

    def _fill(self, database_url: str) -> None:
        env = production_env(DATABASE_URL=database_url)
        manage("migrate", "--no-input", env=env)
        manage("import_report", "--publish", *map(str, REPORTS), env=env)

    def _scratch(self, prefix: str) -> Path:
        import shutil

        base = scratch_dir(prefix)
        self._resources.callback(shutil.rmtree, base, True)
        return base

    def postgres(self) -> tuple[str, Cluster]:
        if self._cluster is None:
            cluster = self._resources.enter_context(postgres_cluster(self._scratch("kompass-pg-")))
            cluster.createdb("kompass_template")
            self._fill(cluster.url("kompass_template"))
            self._cluster = cluster
        self._copies += 1
        name = f"kompass_{self._copies}"
        self._cluster.createdb(name, template="kompass_template")
        return self._cluster.url(name), self._cluster

    def sqlite(self) -> str:
        import shutil

        if self._sqlite is None:
            template = self._scratch("kompass-sqlite-") / "template.sqlite3"
            self._fill(f"sqlite:///{template}")
            self._sqlite = template
        self._copies += 1
        copy = self._sqlite.with_name(f"kompass_{self._copies}.sqlite3")
        shutil.copyfile(self._sqlite, copy)
        return f"sqlite:///{copy}"

    def of_database_url_kind(self) -> str:
        return self.postgres()[0] if ON_POSTGRES else self.sqlite()

    def close(self) -> None:
        self._resources.close()
